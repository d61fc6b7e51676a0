// venues/bitstamp/sync.hpp — Bitstamp books: REST order_book snapshot + diff_order_book diffs.
//
// Bitstamp has no sequence numbers or checksums; alignment is by microtimestamp. Per pair:
//   - diffs that arrive before a snapshot are buffered (at most protocol_options.max_buffered;
//     beyond that the oldest are discarded and counted in `dropped`);
//   - a snapshot is stale if it cannot account for every diff not kept: when buffered diffs
//     were discarded it must be at least as new as the newest discarded one, otherwise it must
//     be at least as new as the oldest buffered diff (else diffs between the snapshot and the
//     subscription could be missing). A stale snapshot invalidates the book and queues
//     fetch_snapshot; the buffer is kept for the next one;
//   - after an aligned snapshot the book is live; buffered and later diffs with
//     microtimestamp <= the snapshot's are dropped (counted in `dropped`), the rest applied in
//     order. A diff older than the last applied one (out of order, or a replayed duplicate)
//     invalidates the book and queues fetch_snapshot; an equal microtimestamp is applied
//     (absolute amounts make an immediate duplicate harmless);
//   - a book left crossed or locked by a diff (or a snapshot) is invalidated and refetched;
//   - last_update_id = microtimestamp of the last applied diff or snapshot.
// Coverage: the REST order_book body is the full book, so both sides are coverage::full_book().
// With protocol_options.snapshot_limit = N (a truncated snapshot source) a side that returned
// N or more levels is known only down to its deepest level, as for Binance.
//
// Threads: the owning connection's thread. Errors: see venues/protocol.hpp.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "venues/bitstamp/codec.hpp"
#include "venues/common/wire.hpp"
#include "venues/protocol.hpp"

namespace depthmon::venues::bitstamp {

struct diff_event {
  std::uint64_t microtimestamp = 0;
  std::vector<wire_level> bids, asks;
};

struct bitstamp_book : book::tracked_book {
  using tracked_book::tracked_book;
  std::uint64_t snapshot_mts = 0;   // the snapshot the book started from
  std::uint64_t last_mts = 0;       // last applied diff (or the snapshot)
  std::uint64_t discarded_mts = 0;  // newest diff discarded from a full buffer (0 = none)
  std::deque<diff_event> buffer;
  bool subscribed = false;  // bts:subscription_succeeded for its diff channel on this connection
};

class protocol final : public venue_protocol {
 public:
  explicit protocol(const protocol_options& opt);

  core::venue venue() const noexcept override { return core::venue::bitstamp; }
  bool subscription_confirmed(std::string_view symbol) const noexcept override;
  core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) override;
  core::status on_snapshot(std::string_view symbol, core::padded_view body,
                           core::unix_nanos recv_time) override;

 private:
  void on_diff(bitstamp_book& b, diff_event&& ev);
  void buffer_event(bitstamp_book& b, diff_event&& ev);
  void note_subscription();
  void on_book_restart(book::tracked_book& tb) override;

  protocol_options opt_;
  codec codec_;
  message msg_;
  message snap_;
  book_registry<bitstamp_book> books_;
};

}  // namespace depthmon::venues::bitstamp
