// venues/bybit/sync.hpp — Bybit v5 orderbook.{N}.{SYM} books: snapshot + delta, u continuity.
//
// Per book (one per symbol, at one depth N taken from the topic or the `depth` setting):
//   - a `snapshot` replaces the book, whenever it comes (Bybit re-sends one on internal issues;
//     level 1 is snapshot-only and is re-pushed with an unchanged u: neither a gap nor a
//     duplicate, as no continuity check applies to snapshots);
//   - u == 1 on any message is a service restart: its levels overwrite the book, no check;
//   - a `delta` must carry u == previous u + 1. A larger u is a gap, a smaller or equal one a
//     duplicate or out-of-order message: either invalidates the book and queues
//     request::kind::resubscribe (the fresh subscription starts with a snapshot). Deltas that
//     arrive while the book has no snapshot are dropped (counted in `dropped`).
//   - after every message the book is truncated to N levels per side and its coverage is
//     coverage::top_n(N): Bybit shows the best N levels, so a side with fewer is complete.
//   - a book left crossed or locked by a complete message is invalidated and resubscribed
//     (Bybit does not document crossed books), under the base's recovery policy.
// Orderbook messages of another depth for a book's symbol are counted as ignored.
//
// Threads: the owning connection's thread. Errors: see venues/protocol.hpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "venues/bybit/codec.hpp"
#include "venues/bybit/settings.hpp"
#include "venues/common/wire.hpp"
#include "venues/protocol.hpp"

namespace depthmon::venues::bybit {

struct bybit_book : book::tracked_book {
  using tracked_book::tracked_book;
  std::uint32_t depth = 0;  // N of orderbook.N.SYM; 0 until known
};

class protocol final : public venue_protocol {
 public:
  protocol(const settings& s, const protocol_options& opt);

  core::venue venue() const noexcept override { return core::venue::bybit; }
  core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) override;

  const settings& config() const noexcept { return settings_; }

 private:
  bybit_book* book_for(std::string_view symbol);
  void on_book_message(bybit_book& b);

  settings settings_;
  protocol_options opt_;
  codec codec_;
  message msg_;
  book_registry<bybit_book> books_;
};

}  // namespace depthmon::venues::bybit
