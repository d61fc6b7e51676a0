// venues/kraken/v1_codec.hpp — bytes to Kraken legacy WebSocket (v1) messages.
//
// v1 frames data as arrays: [channelID, {payload}..., "book-N", "PAIR"]. A book snapshot has
// "as"/"bs"; an update has "a" and/or "b" (possibly in two separate payload objects of one
// array) and the checksum string "c". Levels are ["price","volume","timestamp"] with an optional
// 4th element "r" (a republished update, applied like any other). Events are objects:
// heartbeat, systemStatus, subscriptionStatus (a "book-N" one is reported as `subscribed`),
// pong, error. Other channels (trade, ticker, spread, ohlc-*) are `ignored`. Key order is never
// assumed. No I/O, no clock, no book.
//
// Threads: one codec per thread (it owns a simdjson parser). Errors: core::status —
// malformed_json / wrong_type / missing_field / bad_number / number_overflow for bytes that are
// not a valid Kraken v1 message, unknown_message for JSON Kraken v1 does not send.
#pragma once

#include "venues/common/codec.hpp"
#include "venues/kraken/messages.hpp"

namespace depthmon::venues::kraken {
struct v1_tag;
}  // namespace depthmon::venues::kraken

namespace depthmon::venues {
template <>
core::status codec_for<kraken::message, kraken::v1_tag>::parse(core::padded_view frame, kraken::message& out) noexcept;
}  // namespace depthmon::venues

namespace depthmon::venues::kraken {

using v1_codec = codec_for<kraken::message, kraken::v1_tag>;

// True for a "book-N" channel name (N digits), with N in `depth` (checked by the caller with
// valid_depth()).
bool parse_book_channel(std::string_view channel_name, std::uint32_t& depth) noexcept;

}  // namespace depthmon::venues::kraken
