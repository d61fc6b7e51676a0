// venues/hyperliquid/sync.hpp — Hyperliquid l2Book books: every message replaces the book.
//
// There are no sequence numbers, deltas or checksums. Per coin:
//   - an l2Book message replaces both sides (empty sides are valid: the book is live with no
//     mid); its `time` becomes last_update_id and the event time;
//   - a message whose `time` is older than the book's is out of order: dropped (counted in
//     `dropped`), the newer book stays. An equal time replaces (a duplicate is idempotent);
//   - coverage is coverage::top_n(levels) (settings.hpp): Hyperliquid shows at most 20 levels
//     per side (5 with `fast`), so a band is complete only inside the levels shown, and a side
//     with fewer levels is complete. With nSigFigs aggregation levels are price buckets and
//     depth is computed per level at the px received (bucket edges UNCONFIRMED);
//   - a message leaving the book crossed or locked invalidates it (Hyperliquid does not
//     document crossed books); nothing is requested: the next full message recovers it, so a
//     book that stays crossed never storms the venue with resubscriptions.
//
// Threads: the owning connection's thread. Errors: see venues/protocol.hpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "venues/common/wire.hpp"
#include "venues/hyperliquid/codec.hpp"
#include "venues/hyperliquid/settings.hpp"
#include "venues/protocol.hpp"

namespace depthmon::venues::hyperliquid {

struct hl_book : book::tracked_book {
  using tracked_book::tracked_book;
  std::uint64_t last_time_ms = 0;  // time of the newest message applied (kept across failures)
  bool have_time = false;
};

class protocol final : public venue_protocol {
 public:
  protocol(const settings& s, const protocol_options& opt);

  core::venue venue() const noexcept override { return core::venue::hyperliquid; }
  core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) override;

  const settings& config() const noexcept { return settings_; }

 private:
  void on_l2_book(hl_book& b);
  void on_book_restart(book::tracked_book& tb) override;

  settings settings_;
  protocol_options opt_;
  codec codec_;
  message msg_;
  book_registry<hl_book> books_;
};

}  // namespace depthmon::venues::hyperliquid
