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
//   - a book left crossed or locked by a complete message is invalidated and resubscribed.
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
  std::uint32_t depth = 0;     // N of orderbook.N.SYM; 0 until known
  bool have_snapshot = false;  // content = a snapshot + contiguous deltas
};

class protocol final : public venue_protocol {
 public:
  protocol(const settings& s, const protocol_options& opt);

  core::venue venue() const noexcept override { return core::venue::bybit; }
  core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) override;
  // Bybit's public books start from their websocket snapshot: invalid_argument.
  core::status on_snapshot(std::string_view symbol, core::padded_view body,
                           core::unix_nanos recv_time) override;
  std::vector<std::string> subscribe_messages() const override;
  std::vector<std::string> unsubscribe_messages(std::string_view symbol) const override;
  void on_disconnect() override;

  const settings& config() const noexcept { return settings_; }

 private:
  bybit_book* book_for(std::string_view symbol);
  void on_book_message(bybit_book& b);
  void resync(bybit_book& b, core::error why);

  settings settings_;
  protocol_options opt_;
  codec codec_;
  message msg_;
  book_registry<bybit_book> books_;
};

// The factory registry.cpp calls: validates opt.settings (see settings.hpp).
core::result<std::unique_ptr<venue_protocol>> create_protocol(const protocol_options& opt);

}  // namespace depthmon::venues::bybit
