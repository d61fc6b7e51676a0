// venues/okx/codec.hpp — bytes to OKX v5 public messages.
//
// A pure function with a reusable parser: no I/O, no clock, no book. Key order is never
// assumed (one pass over each object's fields); prices and sizes are exact decimals from their
// token text; the text frame "pong" is recognised before any JSON parsing. Levels are checked
// here (price > 0, size >= 0), so a message that parses is safe to apply.
//
// Threads: one codec per thread (it owns a simdjson parser). Errors: core::status —
// malformed_json (incl. truncated frames) / wrong_type / missing_field / bad_number /
// number_overflow for bytes that are not a valid OKX message, unknown_message for valid JSON
// OKX does not send (unknown event, neither event nor arg+data, unknown action).
#pragma once

#include "venues/common/codec.hpp"
#include "venues/okx/messages.hpp"

namespace depthmon::venues {
template <>
core::status codec_for<okx::message>::parse(core::padded_view frame, okx::message& out) noexcept;
}  // namespace depthmon::venues

namespace depthmon::venues::okx {

using codec = codec_for<okx::message>;

}  // namespace depthmon::venues::okx
