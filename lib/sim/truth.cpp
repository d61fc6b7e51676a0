#include "sim/truth.hpp"

#include "book/book_state.hpp"
#include "depth/band_tracker.hpp"
#include "depth/book_json.hpp"
#include "sim/venue_sim.hpp"

namespace depthmon::sim {
namespace {
double to_double(core::int128 v, unsigned scale) noexcept {
  return static_cast<double>(v) / static_cast<double>(core::pow10_i128(scale));
}
}  // namespace

double band_figure::bid() const noexcept { return to_double(bid_notional, scale); }
double band_figure::ask() const noexcept { return to_double(ask_notional, scale); }

void copy_truth(const truth_book& t, const instrument& in, book::l2_book& out) {
  out.begin_bulk();
  out.clear();
  (void)out.ensure_scales(in.price_scale, in.qty_scale);
  for (core::side s : {core::side::bid, core::side::ask})
    t.for_each(s, [&](std::int64_t p, std::int64_t q) {
      out.set_ticks(s, p, q);
      return true;
    });
  out.end_bulk();
  out.set_coverage(core::side::bid, book::coverage::full_book());
  out.set_coverage(core::side::ask, book::coverage::full_book());
}

depth::depth_view truth_depth(const truth_book& t, const instrument& in, const depth::band_set& bands) {
  book::l2_book b;
  copy_truth(t, in, b);
  depth::band_tracker tr(b, bands);
  return tr.compute();
}

band_figure truth_band(const truth_book& t, const instrument& in, core::decimal pct) {
  const depth::depth_view dv = truth_depth(t, in, depth::band_set{depth::band{pct}});
  band_figure f;
  f.scale = dv.notional_scale();
  if (dv.has_mid && dv.band_count > 0) {
    f.bid_notional = dv.bands[0][core::side::bid].notional;
    f.ask_notional = dv.bands[0][core::side::ask].notional;
  }
  return f;
}

std::string truth_book_json(const venue_sim& v, std::string_view symbol, std::size_t levels,
                            const depth::band_set& bands) {
  const symbol_feed* f = v.feed(symbol);
  if (!f) return {};
  book::tracked_book tb{std::string(symbol)};
  copy_truth(f->model.book(), f->model.inst(), tb.book);
  tb.status = book::book_status::live;
  tb.counters.messages = f->model.steps();
  tb.counters.updates_applied = f->model.steps();
  tb.counters.snapshots = 1;
  tb.last_update_id = f->last_id;
  depth::band_tracker tr(tb.book, bands);
  const depth::book_snapshot snap = depth::snapshot_of(tb, tr);
  // Truth serves up to 100 000 levels, more than a snapshot holds: they come from the book.
  const depth::level_lists deep = depth::deep_levels(tb.book, levels);
  depth::book_json_options jo;
  jo.levels = levels;
  jo.deep = &deep;
  std::string out;
  depth::append_book_json(out, v.venue(), symbol, snap, bands, jo);
  return out;
}

}  // namespace depthmon::sim
