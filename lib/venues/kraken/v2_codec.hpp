// venues/kraken/v2_codec.hpp — bytes to Kraken WebSocket v2 messages.
//
// Understands the `book` channel (snapshot / update, prices and sizes as JSON numbers or
// strings, decoded exactly from their token text), the `instrument` channel (per-pair
// price_precision / qty_precision), heartbeat and status, and method replies (subscribe /
// unsubscribe acks, pong). Other known channels (ticker, trade, ohlc, level3, ...) are
// `ignored`. Key order is never assumed. No I/O, no clock, no book.
//
// Threads: one codec per thread (it owns a simdjson parser). Errors: core::status —
// malformed_json / wrong_type / missing_field / bad_number / number_overflow for bytes that are
// not a valid Kraken v2 message, unknown_message for JSON Kraken v2 does not send.
#pragma once

#include "venues/common/codec.hpp"
#include "venues/kraken/messages.hpp"

namespace depthmon::venues::kraken {
struct v2_tag;
}  // namespace depthmon::venues::kraken

namespace depthmon::venues {
template <>
core::status codec_for<kraken::message, kraken::v2_tag>::parse(core::padded_view frame, kraken::message& out) noexcept;
}  // namespace depthmon::venues

namespace depthmon::venues::kraken {

using v2_codec = codec_for<kraken::message, kraken::v2_tag>;

}  // namespace depthmon::venues::kraken
