// venues/kraken/messages.hpp — Kraken spot market-data messages as parsed, v2 and legacy v1.
//
// Both codecs fill the same `message`, so one sync state machine serves both APIs. A book
// entry carries its levels as exact decimals plus the largest number of fractional digits the
// wire wrote for prices and sizes (trailing zeros included: "2183.69000" has 5 although it
// parses to 2183.69). Kraken's checksum prints values with the pair's precision, and for v1
// (fixed-precision strings) that count *is* the precision. String views point into the codec's
// buffers and are valid until the next parse() on the same codec.
//
// Threads: plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "venues/common/wire.hpp"

namespace depthmon::venues::kraken {

// Which Kraken websocket API: v2 (`wss://ws.kraken.com/v2`, JSON objects, `book` channel) or
// the legacy v1 (`wss://ws.kraken.com`, array framing, `book-N` channels).
enum class api : std::uint8_t { v1, v2 };

enum class msg_kind : std::uint8_t {
  book,        // book data: `books[0..book_count)` snapshots or updates
  subscribed,    // a book subscription ack: `symbol`, `depth` (0 = not given)
  unsubscribed,  // a book unsubscription ack: `symbol` (its book stream has ended)
  instrument,  // v2 instrument reference data: `precisions`
  control,     // heartbeat, status, pong, other acks and error replies
  ignored,     // known channels that carry nothing for a book (trade, ticker, ohlc, ...)
};

// One book's part of a message (v2: one element of "data"; v1: the whole array message).
struct book_data {
  std::string_view symbol;
  bool snapshot = false;
  std::vector<wire_level> bids;  // in wire order (later entries for a price win)
  std::vector<wire_level> asks;
  unsigned price_digits = 0;  // most fractional digits written for a price, zeros included
  unsigned qty_digits = 0;    // the same for sizes
  bool has_checksum = false;
  std::uint32_t checksum = 0;     // v2 "checksum", v1 "c"
  core::unix_nanos event_time = 0;  // v2 "timestamp"; v1 the latest level timestamp; 0 unknown
  std::uint32_t depth = 0;        // v1: N of the "book-N" channel name; 0 = not given
};

// A pair's checksum precisions as published by the v2 instrument channel.
struct pair_precision {
  std::string_view symbol;
  unsigned price = 0;
  unsigned qty = 0;
};

struct message {
  msg_kind kind = msg_kind::control;
  // Book entries; the vector only grows so that its level buffers are reused across messages.
  std::vector<book_data> books;
  std::size_t book_count = 0;
  // subscribed
  std::string_view symbol;
  std::uint32_t depth = 0;
  // instrument
  std::vector<pair_precision> precisions;

  // Starts a new book entry, reusing an old one's buffers.
  book_data& add_book() {
    if (book_count == books.size()) books.emplace_back();
    book_data& b = books[book_count++];
    b.symbol = {};
    b.snapshot = false;
    b.bids.clear();
    b.asks.clear();
    b.price_digits = b.qty_digits = 0;
    b.has_checksum = false;
    b.checksum = 0;
    b.event_time = 0;
    b.depth = 0;
    return b;
  }

  void reset() noexcept {
    kind = msg_kind::control;
    book_count = 0;
    symbol = {};
    depth = 0;
    precisions.clear();
  }
};

// Book depths Kraken accepts (v1 and v2).
constexpr bool valid_depth(std::uint64_t n) noexcept {
  return n == 10 || n == 25 || n == 100 || n == 500 || n == 1000;
}

}  // namespace depthmon::venues::kraken
