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

  bool live() const noexcept { return status == book::book_status::live; }
};

}  // namespace depthmon::depth
