// venues/coinbase/exchange_messages.hpp — legacy Coinbase Exchange feed messages as parsed
// (wss://ws-feed.exchange.coinbase.com, channel `level2_batch`; `level2` has the same schema).
//
// Book data: {"type":"snapshot","product_id":..,"bids":[[price,size],..],"asks":[..]} replaces
// a product's book; {"type":"l2update","product_id":..,"changes":[["buy"|"sell",price,size],..],
// "time":..} sets absolute sizes ("0" deletes). No sequence numbers on level2. String views point
// into the codec's buffers and are valid until the next parse().
//
// Threads: plain values.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "venues/common/wire.hpp"

namespace depthmon::venues::coinbase {

enum class ex_kind : std::uint8_t {
  snapshot,       // full book of one product
  l2update,       // changes to one product's book
  subscriptions,  // subscribe/unsubscribe acknowledgement
  heartbeat,      // per product: sequence, last_trade_id, time
  error,          // {"type":"error","message":..,"reason":..}
  ignored,        // ticker, match, last_match, full-channel and status messages
};

struct ex_change {
  core::side side = core::side::bid;
  wire_level level{};
};

struct exchange_message {
  ex_kind kind = ex_kind::ignored;
  std::string_view type;        // "type" as sent
  std::string_view product_id;  // empty when absent
  std::vector<wire_level> bids;  // snapshot
  std::vector<wire_level> asks;  // snapshot
  std::vector<ex_change> changes;  // l2update, in wire order
  core::unix_nanos time = 0;       // "time"; 0 when absent or unparseable
  std::uint64_t sequence = 0;      // heartbeat
  std::uint64_t last_trade_id = 0; // heartbeat
};

}  // namespace depthmon::venues::coinbase
