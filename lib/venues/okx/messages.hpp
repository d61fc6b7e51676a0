// venues/okx/messages.hpp — OKX v5 public websocket messages as parsed.
//
// Field names follow the wire: `arg` {channel, instId} names the stream, `action` is
// snapshot|update on incremental channels, each `data` entry carries asks/bids levels
// [price, size, "0", numOrders] (strings), `checksum` (legacy CRC32, 0 today), `seqId` and
// `prevSeqId` (-1 on a snapshot). String views point into the codec's buffers and are valid
// until the next parse() on the same codec.
//
// Threads: plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "venues/common/wire.hpp"
#include "venues/okx/channel.hpp"

namespace depthmon::venues::okx {

enum class msg_kind : std::uint8_t {
  book_data,     // push on an order-book channel (see `book_channel`)
  channel_data,  // push on another channel (trades, tickers ...): known, nothing for books
  subscribed,    // {"event":"subscribe" | "unsubscribe", ...} acks
  error,         // {"event":"error","code":"60012",...}
  notice,        // {"event":"notice","code":"64008",...}: 64008 = reconnect before an upgrade
  other_event,   // login, channel-conn-count ...: control traffic with nothing for books
  pong,          // the text frame "pong" answering our "ping"
};

enum class action : std::uint8_t { none, snapshot, update };

// One element of "data" on a book channel.
struct book_entry {
  std::vector<wire_level> bids;
  std::vector<wire_level> asks;
  bool has_bids = false, has_asks = false;
  std::int64_t checksum = 0;  // signed 32-bit range; 0 = not provided
  std::int64_t seq_id = 0;
  std::int64_t prev_seq_id = 0;
  bool has_seq_id = false, has_prev_seq_id = false;
  std::int64_t ts_ms = 0;
  std::string_view inst_id;  // some channels (books5) repeat instId inside data
};

struct message {
  msg_kind kind = msg_kind::other_event;
  std::string_view channel_name;       // arg.channel
  std::string_view inst_id;            // arg.instId (or the first data entry's instId)
  std::optional<channel> book_channel; // set when channel_name is an order-book channel
  action act = action::none;
  std::string_view event;              // "event"
  std::string_view code;               // "code" (OKX sends it as a string)
  // data entries [0, entry_count); the vector keeps its capacity across messages.
  std::vector<book_entry> entries;
  std::size_t entry_count = 0;
};

}  // namespace depthmon::venues::okx
