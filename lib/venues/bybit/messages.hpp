// venues/bybit/messages.hpp — Bybit v5 public market-data messages as parsed.
//
// Field names follow the wire: topic "orderbook.{depth}.{symbol}", type snapshot|delta,
// data.u = update id (+1 per message per topic; 1 = service restart), data.seq = cross
// sequence, ts = system time, cts = matching-engine time (both ms). String views point into the
// codec's buffers and are valid until the next parse() on the same codec.
//
// Threads: plain values.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "venues/common/wire.hpp"

namespace depthmon::venues::bybit {

// Bybit serves each product on its own host; the category changes limits, not the book logic.
enum class category : std::uint8_t { spot, linear, inverse, option };

enum class msg_kind : std::uint8_t {
  book_snapshot,  // orderbook.N.SYM, type "snapshot": replaces the book
  book_delta,     // orderbook.N.SYM, type "delta": absolute sizes, "0" deletes
  control,        // op subscribe/unsubscribe/ping/pong/auth: acks, pongs (and our own requests)
  ignored,        // other public topics (publicTrade, tickers, kline, ...)
};

struct message {
  msg_kind kind = msg_kind::ignored;
  std::string_view topic;
  std::string_view symbol;       // from the topic (checked against data.s when present)
  std::uint32_t depth = 0;       // from the topic
  std::string_view op;           // control messages
  bool success = true;           // control acks ("success":false = rejected request)
  std::uint64_t update_id = 0;   // data.u
  std::uint64_t cross_seq = 0;   // data.seq
  std::int64_t ts_ms = 0;        // ts
  std::int64_t cts_ms = 0;       // cts (0 when absent)
  std::vector<wire_level> bids;  // data.b, best first as sent
  std::vector<wire_level> asks;  // data.a
};

}  // namespace depthmon::venues::bybit
