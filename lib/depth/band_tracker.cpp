#include "depth/band_tracker.hpp"

#include <cmath>
#include <limits>

namespace depthmon::depth {

using core::int128;
using core::side;

namespace {
constexpr std::size_t idx(side s) noexcept { return static_cast<std::size_t>(s); }
}  // namespace

double depth_view::spread_bps() const noexcept {
  if (!has_mid || mid2 == 0) return std::nan("");
  const auto spread = static_cast<double>(best_ask.price - best_bid.price);
  return 2.0 * spread / static_cast<double>(mid2) * 1e4;
}

band_tracker::band_tracker(book::l2_book& book, band_set bands)
    : book_(book), bands_(std::move(bands)) {
  if (bands_.size() > max_bands) bands_.resize(max_bands);
  book_.set_observer(this);
}

band_tracker::~band_tracker() { book_.set_observer(nullptr); }

void band_tracker::add(sums& into, std::int64_t price, std::int64_t dq) noexcept {
  const int128 dn = static_cast<int128>(price) * dq;
  overflow_ |= __builtin_add_overflow(into.qty, static_cast<int128>(dq), &into.qty);
  overflow_ |= __builtin_add_overflow(into.notional, dn, &into.notional);
}

void band_tracker::on_level(side s, std::int64_t price, std::int64_t old_qty,
                            std::int64_t new_qty) noexcept {
  if (!valid_) return;
  const std::size_t si = idx(s);
  const std::int64_t key = book::key_of(s, price);
  const std::int64_t dq = new_qty - old_qty;
  // An insert can land between an edge and its bracket: narrow the bracket. A delete only
  // widens the real gap around an edge, so a bracket that still names the deleted level stays
  // a safe (narrower) claim and is refreshed by the next lookup.
  const bool inserted = old_qty == 0;
  for (std::size_t b = 0; b < bands_.size(); ++b) {
    const bool inside = key >= edge_[si][b];
    if (inside) add(sums_[si][b], price, dq);
    if (inserted) {
      bracket& nb = near_[si][b];
      if (inside) nb.inner = std::min(nb.inner, key);
      else nb.outer = std::max(nb.outer, key);
    }
  }
}

namespace {
constexpr std::int64_t k_none_inside = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t k_none_outside = std::numeric_limits<std::int64_t>::min();
}  // namespace

void band_tracker::rebuild(int128 mid2) noexcept {
  overflow_ = false;
  for (side s : {side::bid, side::ask}) {
    const std::size_t si = idx(s);
    const book::ladder_view lv = book_.ladder(s);
    // Walk from the best level down; bands are ascending so edges descend in key.
    auto it = lv.end();
    const auto first = lv.begin();
    sums acc{};
    for (std::size_t b = 0; b < bands_.size(); ++b) {
      const std::int64_t e = edge_key(s, mid2, bands_[b]);
      while (it != first) {
        const auto prev = std::prev(it);
        if (prev->key < e) break;
        it = prev;
        add(acc, book::price_of(s, it->key), it->qty);
      }
      edge_[si][b] = e;
      sums_[si][b] = acc;
      near_[si][b] = {it == lv.end() ? k_none_inside : it->key,
                      it == first ? k_none_outside : std::prev(it)->key};
    }
  }
  mid2_ = mid2;
  valid_ = true;
}

void band_tracker::slide(side s, std::size_t b, std::int64_t new_edge) noexcept {
  const std::size_t si = idx(s);
  std::int64_t& edge = edge_[si][b];
  bracket& nb = near_[si][b];
  if (new_edge == edge) return;
  if (nb.outer < new_edge && new_edge <= nb.inner) {
    edge = new_edge;  // no level between the old and the new edge
    return;
  }
  // Levels with keys in [lo, hi) change sides: taken in when the edge moved outwards (down in
  // key), given back when it moved inwards.
  const bool outwards = new_edge < edge;
  const std::int64_t lo = outwards ? new_edge : edge;
  const std::int64_t hi = outwards ? edge : new_edge;
  const book::ladder_view lv = book_.ladder(s);
  sums& acc = sums_[si][b];
  const auto start = lv.lower_bound(lo);
  auto it = start;
  for (; it != lv.end() && it->key < hi; ++it)
    add(acc, book::price_of(s, it->key), outwards ? it->qty : -it->qty);
  // The first level inside the new edge: `start` when it moved outwards, `it` when inwards.
  const auto inner = outwards ? start : it;
  nb = {inner == lv.end() ? k_none_inside : inner->key,
        inner == lv.begin() ? k_none_outside : std::prev(inner)->key};
  edge = new_edge;
}

depth_view band_tracker::compute() noexcept {
  depth_view v;
  v.price_scale = book_.price_scale();
  v.qty_scale = book_.qty_scale();
  v.band_count = bands_.size();
  const auto bb = book_.best(side::bid);
  const auto ba = book_.best(side::ask);
  if (!bb || !ba) return v;  // no mid, no depth
  v.has_mid = true;
  v.best_bid = *bb;
  v.best_ask = *ba;
  v.mid2 = static_cast<int128>(bb->price) + ba->price;

  if (!valid_) {
    rebuild(v.mid2);
  } else if (v.mid2 != mid2_) {
    for (side s : {side::bid, side::ask})
      for (std::size_t b = 0; b < bands_.size(); ++b) slide(s, b, edge_key(s, v.mid2, bands_[b]));
    mid2_ = v.mid2;
  }

  v.overflow = overflow_;
  for (side s : {side::bid, side::ask}) {
    const std::size_t si = idx(s);
    const auto cov = book_.coverage_key(s);
    for (std::size_t b = 0; b < bands_.size(); ++b) {
      band_side& out = v.bands[b].sides[si];
      out.qty = sums_[si][b].qty;
      out.notional = sums_[si][b].notional;
      out.edge_price = book::price_of(s, edge_[si][b]);
      out.complete = !overflow_ && (!cov || edge_[si][b] >= *cov);
    }
  }
  return v;
}

}  // namespace depthmon::depth
