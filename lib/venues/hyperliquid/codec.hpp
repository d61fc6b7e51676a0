// venues/hyperliquid/codec.hpp — bytes to Hyperliquid websocket messages.
//
// A pure function with a reusable parser: no I/O, no clock, no book. Key order is never assumed
// ("data" may precede "channel"; px/sz/n in any order), so each object is read in one pass over
// its fields and classified afterwards. px and sz are exact decimals from their token text; a
// px <= 0 or a negative sz is a bad number. `levels` must be exactly [bids, asks]; empty sides
// are valid.
//
// Threads: one codec per thread (it owns a simdjson parser). Errors: core::status —
// malformed_json / wrong_type / missing_field / bad_number / number_overflow for bytes that are
// not a valid Hyperliquid message, unknown_message for JSON Hyperliquid does not send.
#pragma once

#include "venues/common/codec.hpp"
#include "venues/hyperliquid/messages.hpp"

namespace depthmon::venues {
template <>
core::status codec_for<hyperliquid::message>::parse(core::padded_view frame, hyperliquid::message& out) noexcept;
}  // namespace depthmon::venues

namespace depthmon::venues::hyperliquid {

using codec = codec_for<hyperliquid::message>;

}  // namespace depthmon::venues::hyperliquid
