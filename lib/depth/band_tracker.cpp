#include "depth/band_tracker.hpp"

#include <cmath>

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

void band_tracker::add(sums& into, const sums& d, bool negate) noexcept {
  if (negate) {
    overflow_ |= __builtin_sub_overflow(into.qty, d.qty, &into.qty);
    overflow_ |= __builtin_sub_overflow(into.notional, d.notional, &into.notional);
  } else {
    overflow_ |= __builtin_add_overflow(into.qty, d.qty, &into.qty);
    overflow_ |= __builtin_add_overflow(into.notional, d.notional, &into.notional);
  }
}

namespace {

using book::keyed_level;

// Half-window operations; `up` = the inside half (keys ascending away from the edge).
template <class H>
void window_insert(H& h, bool up, keyed_level x) noexcept {
  const auto nearer = [up](std::int64_t a, std::int64_t b) { return up ? a < b : a > b; };
  if (h.n == 0) {
    if (h.end) {  // nothing on this side: x is the nearest, and the only one
      h.l[0] = x;
      h.n = 1;
    }
    return;
  }
  if (nearer(x.key, h.l[0].key)) {
    if (h.n == 2) h.end = false;  // the old second level drops out of the window
    h.l[1] = h.l[0];
    h.l[0] = x;
    h.n = 2;
  } else if (h.n == 2) {
    if (nearer(x.key, h.l[1].key)) h.l[1] = x;
    h.end = false;  // the old second level, or x, lies beyond the window now
  } else if (h.end) {  // one level known and nothing beyond it: x comes next
    h.l[1] = x;
    h.n = 2;
  }
}

template <class H>
void window_erase(H& h, std::int64_t key) noexcept {
  // Removing a listed level keeps the rest exact (the gaps only merge).
  if (h.n >= 1 && h.l[0].key == key) {
    h.l[0] = h.l[1];
    --h.n;
  } else if (h.n == 2 && h.l[1].key == key) {
    h.n = 1;
  }
}

template <class H>
void window_resize(H& h, std::int64_t key, std::int64_t qty) noexcept {
  for (std::uint8_t i = 0; i < h.n; ++i)
    if (h.l[i].key == key) h.l[i].qty = qty;
}

template <class H>
keyed_level window_pop(H& h) noexcept {
  const keyed_level x = h.l[0];
  h.l[0] = h.l[1];
  --h.n;
  return x;
}

// x, nearer to the edge than anything listed, moves into this half.
template <class H>
void window_push(H& h, keyed_level x) noexcept {
  if (h.n == 2) h.end = false;
  h.l[1] = h.l[0];
  h.l[0] = x;
  h.n = h.n == 2 ? 2 : static_cast<std::uint8_t>(h.n + 1);
}

}  // namespace

void band_tracker::on_level(side s, std::int64_t price, std::int64_t old_qty,
                            std::int64_t new_qty) noexcept {
  if (!valid_) return;
  const std::size_t si = idx(s);
  const std::int64_t key = book::key_of(s, price);
  const std::size_t nb = bands_.size();
  // Edges descend in key: the level is outside bands [0, j) and inside [j, nb), so its size
  // belongs to segment j alone (one sum per change, not one per band).
  std::size_t j = 0;
  while (j < nb && key < edge_[si][j]) ++j;
  if (j < nb) {
    add(seg_[si][j], price, new_qty - old_qty);
    if (j < dirty_from_[si]) dirty_from_[si] = j;
  }
  for (std::size_t b = 0; b < nb; ++b) {
    const bool inside = b >= j;
    half_window& h = inside ? near_[si][b].in : near_[si][b].out;
    if (old_qty == 0) window_insert(h, inside, keyed_level{key, new_qty});
    else if (new_qty == 0) window_erase(h, key);
    else window_resize(h, key, new_qty);
  }
}

void band_tracker::refill(edge_window& w, const book::ladder_view& lv,
                          book::ladder_view::iterator first_in) noexcept {
  w.in.n = 0;
  auto it = first_in;
  while (w.in.n < 2 && it != lv.end()) w.in.l[w.in.n++] = *it++;
  w.in.end = it == lv.end();
  w.out.n = 0;
  it = first_in;
  while (w.out.n < 2 && it != lv.begin()) w.out.l[w.out.n++] = *--it;
  w.out.end = it == lv.begin();
}

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
        const keyed_level l = *--it;
        if (l.key < e) {
          ++it;  // back to the first level inside
          break;
        }
        add(acc, book::price_of(s, l.key), l.qty);
      }
      edge_[si][b] = e;
      seg_[si][b] = acc;  // the band's sum for now; made a segment below
      refill(near_[si][b], lv, it);
    }
    for (std::size_t b = bands_.size(); b-- > 1;) add(seg_[si][b], seg_[si][b - 1], true);
    dirty_from_[si] = 0;
  }
  mid2_ = mid2;
  valid_ = true;
}

void band_tracker::slide(side s, std::size_t b, std::int64_t new_edge) noexcept {
  const std::size_t si = idx(s);
  std::int64_t& edge = edge_[si][b];
  edge_window& w = near_[si][b];
  // What enters band b (negative: leaves it); it leaves or enters segment b + 1 the other way.
  sums acc{};
  if (new_edge == edge) return;
  const bool inwards = new_edge > edge;  // levels in [edge, new_edge) leave the band
  // Levels the window knows cross first; `from`..`to` is what may remain unvisited.
  std::int64_t from = inwards ? edge : new_edge, to = inwards ? new_edge : edge;
  if (inwards) {
    while (w.in.n > 0 && w.in.l[0].key < new_edge) {
      const keyed_level x = window_pop(w.in);
      add(acc, book::price_of(s, x.key), -x.qty);
      window_push(w.out, x);
      from = x.key + 1;
    }
    if (w.in.n > 0 || w.in.end) from = to;  // the window covered the whole move
  } else {
    while (w.out.n > 0 && w.out.l[0].key >= new_edge) {
      const keyed_level x = window_pop(w.out);
      add(acc, book::price_of(s, x.key), x.qty);
      window_push(w.in, x);
      to = x.key;
    }
    if (w.out.n > 0 || w.out.end) to = from;
  }
  edge = new_edge;
  if (from < to) {
    // The move went past what the window knows: walk the rest in the ladder, refill the window.
    const book::ladder_view lv = book_.ladder(s);
    const auto start = lv.lower_bound(from);  // outwards, from = new_edge: the new first inside
    auto it = start;
    for (; it != lv.end() && it->key < to; ++it)
      add(acc, book::price_of(s, it->key), inwards ? -it->qty : it->qty);
    refill(w, lv, inwards ? it : start);
  }
  add(seg_[si][b], acc, false);
  if (b + 1 < bands_.size()) add(seg_[si][b + 1], acc, true);
  if (b < dirty_from_[si]) dirty_from_[si] = b;
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

  const bool overflow_before = overflow_;
  for (side s : {side::bid, side::ask}) {
    const std::size_t si = idx(s);
    const auto cov = book_.coverage_key(s);
    // Band b is the prefix sum of segments 0..b (checked like every sum); only the bands from
    // the first segment changed since the last compute() are summed again.
    const std::size_t from = dirty_from_[si];
    sums band = from > 0 ? band_[si][from - 1] : sums{};
    for (std::size_t b = 0; b < bands_.size(); ++b) {
      if (b >= from) {
        add(band, seg_[si][b], false);
        band_[si][b] = band;
      }
      band_side& out = v.bands[b].sides[si];
      out.qty = band_[si][b].qty;
      out.notional = band_[si][b].notional;
      out.edge_price = book::price_of(s, edge_[si][b]);
      out.complete = !overflow_ && (!cov || edge_[si][b] >= *cov);
    }
    dirty_from_[si] = max_bands;
  }
  // A band sum that overflowed just now makes every figure unusable, the earlier ones too.
  if (overflow_ && !overflow_before)
    for (std::size_t b = 0; b < bands_.size(); ++b)
      for (auto& sd : v.bands[b].sides) sd.complete = false;
  v.overflow = overflow_;
  return v;
}

}  // namespace depthmon::depth
