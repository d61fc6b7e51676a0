// venues/hyperliquid/messages.hpp — Hyperliquid websocket messages as parsed.
//
// `l2Book` data: {"coin","time","levels":[[bids best first],[asks best first]]}, each level
// {"px":"59.8","sz":"3.4","n":1} (n = number of orders). Every l2Book message is the whole
// book as Hyperliquid shows it (at most 20 levels per side, 5 with `fast`). String views point
// into the codec's buffers and are valid until the next parse() on the same codec.
//
// Threads: plain values.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "venues/common/wire.hpp"

namespace depthmon::venues::hyperliquid {

enum class msg_kind : std::uint8_t {
  l2_book,  // channel "l2Book": replaces the coin's book
  control,  // subscriptionResponse, pong, error; our own {"method":...} requests in recordings
  ignored,  // other known channels (bbo, trades, candle, allMids, ...)
};

struct message {
  msg_kind kind = msg_kind::ignored;
  std::string_view channel;
  std::string_view coin;        // data.coin: "BTC", "@107", "PURR/USDC"
  std::uint64_t time_ms = 0;    // data.time
  bool has_time = false;
  std::vector<wire_level> bids;  // levels[0]
  std::vector<wire_level> asks;  // levels[1]
};

}  // namespace depthmon::venues::hyperliquid
