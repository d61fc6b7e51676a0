// venues/bitstamp/messages.hpp — Bitstamp websocket v2 events and REST order_book bodies.
//
// A diff: {"data":{"timestamp":"1641343691","microtimestamp":"1641343691244908","bids":[[p,a]],
// "asks":[...]},"channel":"diff_order_book_bateur","event":"data"}; amounts are absolute,
// "0.00000000" deletes. The REST snapshot has the same timestamp/microtimestamp/bids/asks
// fields at the top level. String views point into the codec's buffers and are valid until the
// next parse on the same codec.
//
// Threads: plain values.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "venues/common/wire.hpp"

namespace depthmon::venues::bitstamp {

enum class msg_kind : std::uint8_t {
  diff,       // event "data" on diff_order_book_{pair}
  snapshot,   // REST /api/v2/order_book/{pair} body
  control,    // bts:subscription_succeeded, bts:unsubscription_succeeded, bts:heartbeat,
              // bts:error (and our own bts:subscribe / bts:unsubscribe in recordings)
  reconnect,  // bts:request_reconnect: the server asks us to reconnect
  error,      // REST error body ({"status":"error",...})
  ignored,    // other channels (live_trades_, live_orders_, order_book_, detail_order_book_)
};

struct message {
  msg_kind kind = msg_kind::ignored;
  std::string_view event;
  std::string_view channel;
  std::string_view pair;             // from the channel: diff_order_book_ethusd -> ethusd
  std::uint64_t microtimestamp = 0;  // µs since the epoch
  std::vector<wire_level> bids;
  std::vector<wire_level> asks;
};

}  // namespace depthmon::venues::bitstamp
