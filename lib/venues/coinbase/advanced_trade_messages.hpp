// venues/coinbase/advanced_trade_messages.hpp — Coinbase Advanced Trade websocket messages as
// parsed (wss://advanced-trade-ws.coinbase.com).
//
// Every frame is an envelope {"channel":..,"timestamp":..,"sequence_num":N,"events":[...]}.
// `sequence_num` counts every message on the connection, whatever its channel (control messages
// included), so it is kept per frame, not per product. Only `l2_data` events are parsed in
// detail: {"type":"snapshot"|"update","product_id":..,"updates":[{"side":"bid"|"offer",
// "price_level":..,"new_quantity":..,"event_time":..},...]}. Their levels are stored in one flat
// vector (`levels`) that the events index into, so steady-state parsing allocates nothing.
// String views point into the codec's buffers and are valid until the next parse().
//
// Threads: plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/time.hpp"
#include "venues/common/wire.hpp"

namespace depthmon::venues::coinbase {

enum class at_channel : std::uint8_t {
  l2_data,        // level2 book data (subscribe name "level2")
  heartbeats,     // keep-alive, one per second with heartbeat_counter
  subscriptions,  // subscribe/unsubscribe acknowledgement
  error,          // {"type":"error","message":..}
  other,          // known channels with nothing for books: ticker, market_trades, candles ...
  unknown,        // a channel name we do not know (parse() returns unknown_message)
};

enum class at_event_type : std::uint8_t { snapshot, update };

struct at_level {
  core::side side = core::side::bid;
  wire_level level{};
};

struct at_book_event {
  at_event_type type = at_event_type::update;
  std::string_view product_id;
  std::size_t first = 0;  // index of the event's first level in at_message::levels
  std::size_t count = 0;
};

struct at_message {
  at_channel channel = at_channel::unknown;
  bool has_sequence = false;
  std::uint64_t sequence_num = 0;
  core::unix_nanos timestamp = 0;  // envelope `timestamp`; 0 when absent or unparseable
  std::vector<at_book_event> events;  // l2_data only
  std::vector<at_level> levels;       // all events' levels, in wire order
  bool has_heartbeat_counter = false;
  std::uint64_t heartbeat_counter = 0;  // int or numeric string on the wire
};

}  // namespace depthmon::venues::coinbase
