#include "depth/book_snapshot.hpp"

#include "depth/band_tracker.hpp"
#include "depth/price_impact.hpp"

namespace depthmon::depth {

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
  // The ladder's own walk (inlined here, the side folded at compile time).
  out.top_bid_count = static_cast<std::uint16_t>(
      b.copy_best(core::side::bid, out.top_bids.data(), snapshot_top_levels));
  out.top_ask_count = static_cast<std::uint16_t>(
      b.copy_best(core::side::ask, out.top_asks.data(), snapshot_top_levels));

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
