#include "depth/book_snapshot.hpp"

#include "depth/band_tracker.hpp"
#include "depth/price_impact.hpp"

namespace depthmon::depth {

namespace {

// Best first into `into`, through the ladder's own walk (no per-level lookup); the side is a
// template parameter so that price_of costs nothing per level.
template <core::side S>
std::uint16_t copy_top(const book::l2_book& b,
                       std::array<book::level, snapshot_top_levels>& into) noexcept {
  std::size_t n = 0;
  b.ladder(S).walk_from_best([&](std::int64_t key, std::int64_t qty) noexcept {
    into[n++] = {book::price_of(S, key), qty};
    return n < snapshot_top_levels;
  });
  return static_cast<std::uint16_t>(n);
}

}  // namespace

void capture_snapshot(book_snapshot& out, const book::tracked_book& tb, band_tracker& tracker,
                      bool publishable, const impact_targets& targets,
                      core::unix_nanos publish_time) noexcept {
  const book::l2_book& b = tb.book;
  out.status = tb.status;
  const bool priced = publishable && tb.live();
  out.held = tb.live() && !publishable;
  out.ever_live = out.ever_live || priced;
  out.counters = tb.counters;
  out.has_update_id = tb.last_update_id.has_value();
  out.last_update_id = tb.last_update_id.value_or(0);
  out.event_time = tb.last_event_time;
  out.receive_time = tb.last_receive_time;
  out.publish_time = publish_time;
  out.last_error = tb.last_error;
  out.bid_levels = static_cast<std::uint32_t>(b.size(core::side::bid));
  out.ask_levels = static_cast<std::uint32_t>(b.size(core::side::ask));
  out.has_usd_rate = targets.has_usd_rate;
  out.usd_per_quote = targets.has_usd_rate ? targets.usd_per_quote : 0;

  if (!priced) {
    // Only what is not a price: a reader can never mistake an old figure for a current one.
    out.depth = depth_view{};
    out.depth.price_scale = b.price_scale();
    out.depth.qty_scale = b.qty_scale();
    out.top_bid_count = out.top_ask_count = 0;
    out.impact_count = 0;
    return;
  }
  out.depth = tracker.compute();
  out.top_bid_count = copy_top<core::side::bid>(b, out.top_bids);
  out.top_ask_count = copy_top<core::side::ask>(b, out.top_asks);

  const std::size_t n = targets.count < max_impact_notionals ? targets.count : max_impact_notionals;
  out.impact_count = static_cast<std::uint8_t>(n);
  const bool same_scale = targets.notional_scale == b.price_scale() + b.qty_scale();
  for (std::size_t i = 0; i < n; ++i) {
    out.impact_usd[i] = targets.usd[i];
    for (core::side s : {core::side::bid, core::side::ask}) {
      impact_figure& f = out.impacts[i][static_cast<std::size_t>(s)];
      f = {};
      if (!same_scale || !out.depth.has_mid) continue;
      if (const auto im = price_impact(b, s, targets.quote[i])) f = {true, im->bps, im->last_price};
    }
  }
}

book_snapshot snapshot_of(const book::tracked_book& tb, band_tracker& tracker) noexcept {
  book_snapshot s;
  capture_snapshot(s, tb, tracker, tb.live(), {}, 0);
  return s;
}

}  // namespace depthmon::depth
