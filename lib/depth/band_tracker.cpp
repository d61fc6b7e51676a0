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
  const auto update = [&](half_window& h, bool inside) noexcept {
    if (old_qty == 0) window_insert(h, inside, keyed_level{key, new_qty});
    else if (new_qty == 0) window_erase(h, key);
    else window_resize(h, key, new_qty);
  };
  for (std::size_t b = 0; b < j; ++b) {
    if (key < reach_out_[si][b]) continue;
    update(near_[si][b].out, false);
    reach_out_[si][b] = reach(near_[si][b].out, false);
  }
  for (std::size_t b = j; b < nb; ++b) {
    if (key > reach_in_[si][b]) continue;
    update(near_[si][b].in, true);
    reach_in_[si][b] = reach(near_[si][b].in, true);
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

template <side S>
void band_tracker::rebuild_side(int128 mid2) noexcept {
  const std::size_t si = idx(S);
  const std::size_t nb = bands_.size();
  for (std::size_t b = 0; b < nb; ++b) edge_[si][b] = edge_key(S, mid2, bands_[b]);
  auto& near = near_[si];
  // One best-first walk (the ladder's own loop, no iterator step per level) down to the
  // widest edge and three levels past it. Bands are ascending so edges descend in key: each
  // band's sum is what the walk has added when it passes the band's edge, its inside half
  // window the last two levels visited, its outside half the next two (and whether a third
  // exists, which is what `end` says). The sums and the overflow flag stay in locals
  // (registers) for the walk, and the side is a template parameter (price_of is then free).
  int128 qty = 0, notional = 0;
  bool overflow = false;
  std::size_t b = 0;   // bands whose edge the walk has passed
  std::size_t pf = 0;  // bands [pf, b) still reading their outside half
  std::int64_t next_edge = nb > 0 ? edge_[si][0] : INT64_MIN;
  keyed_level last[2]{};  // the last two levels visited: last[(seen - 1) & 1] the latest
  std::size_t seen = 0;   // levels inside every band not yet passed
  const auto inside_half = [&](half_window& h) noexcept {
    h.n = static_cast<std::uint8_t>(seen < 2 ? seen : 2);
    h.l[0] = last[(seen - 1) & 1];  // the nearest to the edge: the latest visited
    h.l[1] = last[seen & 1];
    h.end = seen <= 2;
  };
  // The lambda is forced inline and its rare steps (an edge passed, an outside half reading)
  // are marked so: out of line or with them in the way, its state (the sums, counts) lives in
  // memory and every level waits on its stores (measured: a 5 000-level rebuild 2.2x slower).
  const bool stopped = !book_.ladder(S).walk_from_best([&](std::int64_t key, std::int64_t q)
                                                           __attribute__((always_inline)) {
    if (pf < b || key < next_edge) [[unlikely]] {
      const keyed_level x{key, q};
      for (std::size_t p = pf; p < b; ++p) {  // a level below edges already passed
        half_window& o = near[p].out;
        if (o.n < 2) {
          o.l[o.n++] = x;
        } else {
          o.end = false;  // a third level: more lie beyond the two listed
          pf = p + 1;     // earlier bands have seen at least as many: they are done too
        }
      }
      while (b < nb && key < edge_[si][b]) {
        edge_window& w = near[b];
        inside_half(w.in);
        w.out.n = 1;
        w.out.l[0] = x;
        seg_[si][b++] = {qty, notional};  // the band's sum for now; made a segment below
      }
      next_edge = b < nb ? edge_[si][b] : INT64_MIN;
      if (b == nb) return pf < nb;  // past the widest edge: only outside halves still read
    }
    // A size sum cannot overflow int128 (fewer than 2^40 levels below 2^63 each); a notional
    // sum can (each product is below 2^126).
    qty += q;
    overflow |= __builtin_add_overflow(
        notional, static_cast<int128>(book::price_of(S, key)) * q, &notional);
    last[seen++ & 1] = {key, q};
    return true;
  });
  overflow_ |= overflow;
  // The walk reached the worst level: nothing lies beyond the outside halves still reading.
  if (!stopped)
    for (std::size_t p = pf; p < b; ++p) near[p].out.end = true;
  for (; b < nb; ++b) {  // edges below every level: the whole side is inside
    edge_window& w = near[b];
    inside_half(w.in);
    w.out.n = 0;
    w.out.end = true;
    seg_[si][b] = {qty, notional};
  }
  for (b = 0; b < nb; ++b) update_reach(si, b);
  for (b = nb; b-- > 1;) add(seg_[si][b], seg_[si][b - 1], true);
  dirty_from_[si] = 0;
}

void band_tracker::rebuild(int128 mid2) noexcept {
  overflow_ = false;
  rebuild_side<side::bid>(mid2);
  rebuild_side<side::ask>(mid2);
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
  update_reach(si, b);
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
