// venues/binance/messages.hpp — Binance spot and USD-M market-data messages as parsed.
//
// Field names follow the wire: U = first update id of a diff event, u = final update id,
// pu = USD-M's final update id of the previous event. String views point into the codec's
// buffers and are valid until the next parse() on the same codec.
//
// Threads: plain values.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "venues/common/wire.hpp"

namespace depthmon::venues::binance {

enum class market : std::uint8_t { spot, usdm };

enum class msg_kind : std::uint8_t {
  depth_update,    // <symbol>@depth / @depth@100ms diff event
  book_ticker,     // <symbol>@bookTicker
  depth_snapshot,  // REST /api/v3/depth or /fapi/v1/depth body (or a raw-stream WS partial)
  partial_depth,   // combined-stream <symbol>@depth<5|10|20>[@100ms]: top levels + lastUpdateId
  subscription,    // {"result":null,"id":N}
  error,           // {"code":..,"msg":..} or {"error":{...}}
  server_shutdown, // serverShutdown event: reconnect now
  ignored,         // trades, klines, tickers ...: known, nothing for books
};

struct message {
  msg_kind kind = msg_kind::ignored;
  std::string_view symbol;        // "s" as sent (uppercase); for partial_depth, from "stream"
  std::string_view stream;        // combined-stream name; empty for raw streams
  std::uint32_t partial_levels = 0;  // partial_depth: levels per side the stream asks for
  std::string_view event_type;    // "e"
  std::uint64_t first_update_id = 0;   // U
  std::uint64_t final_update_id = 0;   // u, or lastUpdateId for snapshots and partials
  std::uint64_t prev_final_update_id = 0;  // pu (USD-M)
  bool has_prev = false;
  std::int64_t event_time_ms = 0;        // E
  std::int64_t transaction_time_ms = 0;  // T
  std::vector<wire_level> bids;
  std::vector<wire_level> asks;
  wire_level best_bid{};  // bookTicker b/B
  wire_level best_ask{};  // bookTicker a/A
  std::int64_t error_code = 0;
};

}  // namespace depthmon::venues::binance
