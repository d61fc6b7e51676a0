// depth/book_snapshot.hpp — what a book's writer publishes after every change: a fixed-size
// value holding everything readers (HTTP API, /metrics, recorder, alert thread) may know of
// the book, so none of them ever touches a live book.
//
// Fixed size (no heap, trivially copyable) so it goes through core::seqlock. Identity (venue,
// symbol, base, quote) is not in it: it lives in the slot that carries the snapshot
// (feed/published.hpp) and never changes for the slot's life.
//
// Threads: a plain value; capture_snapshot() runs on the book's writer thread.
// Errors: none; absent figures are flagged (has_mid, band complete flags, impact present).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "book/book_state.hpp"
#include "core/decimal.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "depth/depth_view.hpp"

namespace depthmon::depth {

inline constexpr std::size_t snapshot_top_levels = 50;   // ?levels=N serves at most this many
inline constexpr std::size_t max_impact_notionals = 4;

struct impact_figure {
  bool present = false;          // false: the complete part of the book cannot fill it
  double bps = 0;                // move from mid to the worst level touched
  std::int64_t last_price = 0;   // ticks
};

struct book_snapshot {
  book::book_status status = book::book_status::syncing;
  bool ever_live = false;        // has been live at least once (/-/ready)
  book::book_counters counters{};   // includes resyncs per reason
  bool has_update_id = false;
  std::uint64_t last_update_id = 0;
  core::unix_nanos event_time = 0;    // venue time of the last applied change
  core::unix_nanos receive_time = 0;  // local receive time of the frame that made it
  core::unix_nanos publish_time = 0;  // when this snapshot was stored
  std::uint32_t bid_levels = 0, ask_levels = 0;
  depth_view depth{};                 // BBO, mid, bands (has_mid false unless live)
  std::uint16_t top_bid_count = 0, top_ask_count = 0;
  std::array<book::level, snapshot_top_levels> top_bids{}, top_asks{};  // best first
  // USD per unit of the book's quote notional (quote rate × contract value) at capture time.
  bool has_usd_rate = false;
  double usd_per_quote = 0;
  std::uint8_t impact_count = 0;
  std::array<std::array<impact_figure, 2>, max_impact_notionals> impacts{};  // [notional][side]
  std::array<std::int64_t, max_impact_notionals> impact_usd{};  // the USD order size of each
  // Why the book was last invalidated (the JSON "error" of an invalid book). `detail` points
  // to a static string (core::error's contract), so the pointer stays valid in any reader.
  core::error last_error{};
  // The venue book is live but its owner holds it back (the feed's stale watchdog): published
  // like a book that is not live, and named "stale" in the book JSON.
  bool held = false;

  bool live() const noexcept { return status == book::book_status::live && !held; }
};

class band_tracker;

// Impact order sizes for one capture, already in the book's quote notional (price_scale +
// qty_scale ticks, usd_to_quote_ceil at `notional_scale`); a target computed for another scale
// than the book's current one is not used (its figure is reported missing).
struct impact_targets {
  std::uint8_t count = 0;                                      // at most max_impact_notionals
  unsigned notional_scale = 0;
  std::array<core::int128, max_impact_notionals> quote{};     // per notional
  std::array<std::int64_t, max_impact_notionals> usd{};       // what each quote target is worth
  bool has_usd_rate = false;
  double usd_per_quote = 0;                                    // the rate the targets used
};

// Fills `out` from the book and its tracker (which must observe tb.book). `publishable`: the
// owner's verdict (a feed holds a stale book back; replay passes tb.live()); a book that is not
// publishable gets status, counters, ids and times but no BBO, mid, bands, levels or impacts.
// Cost: one band_tracker::compute(), K levels walked from the best, one walk per impact target.
// Writer thread of the book only.
void capture_snapshot(book_snapshot& out, const book::tracked_book& tb, band_tracker& tracker,
                      bool publishable, const impact_targets& targets,
                      core::unix_nanos publish_time) noexcept;

// A one-off capture for an owner that reads its own book once (replay at the end of its input,
// the simulator's truth): publishable = tb.live(), no impacts, publish_time 0.
book_snapshot snapshot_of(const book::tracked_book& tb, band_tracker& tracker) noexcept;

}  // namespace depthmon::depth
