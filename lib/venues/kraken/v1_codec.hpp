// venues/kraken/v1_codec.hpp — bytes to Kraken legacy WebSocket (v1) messages.
//
// v1 frames data as arrays: [channelID, {payload}..., "book-N", "PAIR"]. A book snapshot has
// "as"/"bs"; an update has "a" and/or "b" (possibly in two separate payload objects of one
// array) and the checksum string "c". Levels are ["price","volume","timestamp"] with an optional
// 4th element "r" (a republished update, applied like any other). Events are objects:
// heartbeat, systemStatus, subscriptionStatus (a "book-N" one is reported as `subscribed` or `unsubscribed`),
// pong, error. Other channels (trade, ticker, spread, ohlc-*) are `ignored`. Key order is never
// assumed. No I/O, no clock, no book.
//
// Threads, errors: as every codec (venues/common/codec.hpp).
#pragma once

#include "venues/common/codec.hpp"
#include "venues/kraken/messages.hpp"

DEPTHMON_VENUE_CODEC(kraken, v1_codec, message, v1_tag)

namespace depthmon::venues::kraken {

// True for a "book-N" channel name (N digits), with N in `depth` (checked by the caller with
// valid_depth()).
bool parse_book_channel(std::string_view channel_name, std::uint32_t& depth) noexcept;

}  // namespace depthmon::venues::kraken
