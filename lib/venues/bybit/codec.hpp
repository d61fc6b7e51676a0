// venues/bybit/codec.hpp — bytes to Bybit v5 public messages (spot, linear, inverse, option).
//
// A pure function with a reusable parser: no I/O, no clock, no book. Key order is never assumed
// (spot and linear order the top-level keys differently; "data" may even precede "topic"), so
// every object is read in one pass over its fields and classified afterwards. Prices and sizes
// are exact decimals from their token text; a price <= 0 or a negative size is a bad number.
//
// Threads, errors: as every codec (venues/common/codec.hpp); unknown_message includes topics
// this project does not read, such as orderbook.full.
#pragma once

#include "venues/bybit/messages.hpp"
#include "venues/common/codec.hpp"

DEPTHMON_VENUE_CODEC(bybit, codec, message)

namespace depthmon::venues::bybit {

// "orderbook.50.BTCUSDT" -> depth 50, symbol "BTCUSDT" (a view into `topic`).
core::status split_orderbook_topic(std::string_view topic, std::uint32_t& depth,
                                   std::string_view& symbol) noexcept;

}  // namespace depthmon::venues::bybit
