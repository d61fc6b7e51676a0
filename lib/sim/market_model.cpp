#include "sim/market_model.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace depthmon::sim {

using core::side;

std::optional<price_level> truth_book::best(side s) const noexcept {
  const auto& m = side_of(s);
  if (m.empty()) return std::nullopt;
  return price_level{price_of(s, m.begin()->first), m.begin()->second.qty};
}

std::int64_t truth_book::qty_at(side s, std::int64_t price) const noexcept {
  const auto& m = side_of(s);
  auto it = m.find(key_of(s, price));
  return it == m.end() ? 0 : it->second.qty;
}

std::vector<price_level> truth_book::top(side s, std::size_t n) const {
  std::vector<price_level> out;
  const auto& m = side_of(s);
  out.reserve(n == 0 ? m.size() : std::min(n, m.size()));
  for (const auto& [key, e] : m) {
    if (n != 0 && out.size() >= n) break;
    out.push_back({price_of(s, key), e.qty});
  }
  return out;
}

market_model::market_model(instrument inst, scenario sc, std::uint64_t seed)
    : inst_(std::move(inst)), scen_(sc), rng_(seed) {
  if (inst_.tick < 1) inst_.tick = 1;
  if (inst_.lot < 1) inst_.lot = 1;
  if (inst_.levels < 4) inst_.levels = 4;
  fair0_ = to_grid_below(inst_.mid);
  fair_ = fair0_;
  span_ticks_ = std::max<std::int64_t>(
      inst_.tick * 4, static_cast<std::int64_t>(static_cast<double>(inst_.mid) * inst_.span_pct / 100.0));
  dense_levels_ = std::max<std::uint32_t>(3, inst_.levels / 10);
  dense_extent_ = std::min<std::int64_t>(static_cast<std::int64_t>(dense_levels_) * 3 * inst_.tick,
                                         span_ticks_ / 3);
  if (dense_extent_ < inst_.tick) dense_extent_ = inst_.tick;
  walk_step_ = std::max<std::int64_t>(
      inst_.tick, static_cast<std::int64_t>(static_cast<double>(inst_.mid) * inst_.vol_bps / 1e4));
  build_initial();
  next_time_ = static_cast<core::unix_nanos>(1e9 / inst_.rate * rng_.uniform()) + 1;
}

std::int64_t market_model::to_grid_below(std::int64_t p) const noexcept {
  std::int64_t g = p - ((p % inst_.tick) + inst_.tick) % inst_.tick;
  return std::max(g, inst_.tick);
}

std::int64_t market_model::to_grid_above(std::int64_t p) const noexcept {
  const std::int64_t g = to_grid_below(p);
  return g >= p ? g : g + inst_.tick;
}

std::int64_t market_model::distance(side s, std::int64_t price) const noexcept {
  const std::int64_t d = s == side::bid ? fair_ - price : price - fair_;
  return d > 0 ? d : 0;
}

std::int64_t market_model::draw_base(std::int64_t dist) {
  // Sizes thin away from the touch (halved at the span), with noise and the odd wall.
  const double shape = 1.0 / (1.0 + 2.0 * static_cast<double>(dist) / static_cast<double>(span_ticks_));
  double noise = 0.3 + 1.4 * rng_.uniform();
  if (rng_.chance(0.03)) noise *= 6.0;
  const double lots = static_cast<double>(inst_.touch_qty) * shape * noise / static_cast<double>(inst_.lot);
  const auto n = std::max<std::int64_t>(1, static_cast<std::int64_t>(lots + 0.5));
  return n * inst_.lot;
}

std::int64_t market_model::sized(std::int64_t base, std::int32_t factor) const noexcept {
  const core::int128 scaled = (static_cast<core::int128>(base) * factor + 500) / 1000;
  const auto lots = static_cast<std::int64_t>((scaled + inst_.lot / 2) / inst_.lot);
  return std::max<std::int64_t>(1, lots) * inst_.lot;
}

std::int64_t market_model::draw_distance() {
  const double p_dense = static_cast<double>(dense_levels_) / static_cast<double>(inst_.levels);
  if (rng_.chance(p_dense)) return rng_.between(inst_.tick, dense_extent_);
  return rng_.between(dense_extent_, span_ticks_);
}

bool market_model::valid_price(side s, std::int64_t price) const noexcept {
  if (price <= 0) return false;
  if (s == side::bid) {
    if (price >= fair_) return false;
    auto a = book_.best(side::ask);
    return !a || price < a->price;
  }
  if (price <= fair_) return false;
  auto b = book_.best(side::bid);
  return !b || price > b->price;
}

void market_model::record(side s, std::int64_t price, std::int64_t qty) {
  for (auto& c : changes_)
    if (c.side == s && c.price == price) {
      c.qty = qty;
      return;
    }
  changes_.push_back({s, price, qty});
}

void market_model::set_level(side s, std::int64_t price, std::int64_t base) {
  auto& m = book_.side_of(s);
  const std::int64_t qty = sized(base, factor_);
  auto [it, inserted] = m.try_emplace(truth_book::key_of(s, price));
  const bool same = !inserted && it->second.qty == qty;
  it->second = {qty, base, factor_};
  if (!same) record(s, price, qty);
}

void market_model::erase_level(side s, std::int64_t price) {
  auto& m = book_.side_of(s);
  if (m.erase(truth_book::key_of(s, price))) record(s, price, 0);
}

void market_model::build_initial() {
  const std::int64_t tick = inst_.tick;
  const std::int64_t sparse_gap = std::max<std::int64_t>(
      tick, (span_ticks_ - dense_extent_) /
                std::max<std::int64_t>(1, static_cast<std::int64_t>(inst_.levels - dense_levels_)));
  for (side s : {side::bid, side::ask}) {
    auto& m = book_.side_of(s);
    std::int64_t p = s == side::bid ? fair_ - tick : fair_ + tick;
    for (std::uint32_t i = 0; i < inst_.levels && p > 0; ++i) {
      const std::int64_t d = distance(s, p);
      const std::int64_t base = draw_base(d);
      m[truth_book::key_of(s, p)] = {sized(base, 1000), base, 1000};
      const std::int64_t gap =
          d < dense_extent_ ? rng_.between(1, 5) * tick
                            : rng_.between(1, std::max<std::int64_t>(1, 2 * sparse_gap / tick - 1)) * tick;
      p = s == side::bid ? p - gap : p + gap;
    }
  }
}

void market_model::move_fair() {
  if (rng_.chance(0.3)) {
    std::int64_t dir = rng_.chance(0.5) ? 1 : -1;
    // A weak pull back keeps a long steady run from wandering off its grid and span.
    if (walk_ > span_ticks_ / 8) dir = rng_.chance(0.6) ? -1 : 1;
    if (walk_ < -span_ticks_ / 8) dir = rng_.chance(0.6) ? 1 : -1;
    walk_ += dir * rng_.between(1, 2) * walk_step_;
  }
  const double target = static_cast<double>(fair0_) * scen_.price_factor(seconds());
  fair_ = to_grid_below(static_cast<std::int64_t>(target) + walk_);
}

void market_model::keep_touch(side s) {
  auto& m = book_.side_of(s);
  // Levels the fair price has crossed are consumed (trades and cancels at the touch).
  for (int n = 0; n < 2000 && !m.empty(); ++n) {
    const std::int64_t p = truth_book::price_of(s, m.begin()->first);
    if (s == side::bid ? p < fair_ : p > fair_) break;
    erase_level(s, p);
  }
  const std::int64_t touch = s == side::bid ? fair_ - inst_.tick : fair_ + inst_.tick;
  auto best = book_.best(s);
  if ((!best || distance(s, best->price) > 5 * inst_.tick) && valid_price(s, touch))
    set_level(s, touch, draw_base(0));
}

void market_model::activity() {
  const std::int64_t n = 1 + rng_.geometric(1.0);
  for (std::int64_t k = 0; k < n; ++k) {
    const side s = rng_.chance(0.5) ? side::bid : side::ask;
    auto& m = book_.side_of(s);
    if (m.empty()) continue;
    const auto idx = std::min<std::int64_t>(rng_.geometric(3.0), static_cast<std::int64_t>(m.size()) - 1);
    auto it = std::next(m.begin(), idx);
    const std::int64_t p = truth_book::price_of(s, it->first);
    const double r = rng_.uniform();
    if (r < 0.55) {
      set_level(s, p, draw_base(distance(s, p)));
    } else if (r < 0.78) {
      if (m.size() > 2) erase_level(s, p);
    } else {
      auto next = std::next(it);
      const std::int64_t worse = next == m.end() ? (s == side::bid ? p - 4 * inst_.tick : p + 4 * inst_.tick)
                                                 : truth_book::price_of(s, next->first);
      const std::int64_t gap_ticks = (s == side::bid ? p - worse : worse - p) / inst_.tick;
      if (gap_ticks < 2) continue;
      const std::int64_t off = rng_.between(1, gap_ticks - 1) * inst_.tick;
      const std::int64_t q = s == side::bid ? p - off : p + off;
      if (valid_price(s, q)) set_level(s, q, draw_base(distance(s, q)));
    }
  }
}

void market_model::churn(side s) {
  auto& m = book_.side_of(s);
  // Levels drifted beyond the span (the price moved away from them) are cancelled.
  for (int n = 0; n < 200 && !m.empty(); ++n) {
    const std::int64_t worst = truth_book::price_of(s, std::prev(m.end())->first);
    if (distance(s, worst) * 100 <= span_ticks_ * 115) break;
    erase_level(s, worst);
  }
  const auto target = static_cast<std::int64_t>(inst_.levels);
  const auto size = static_cast<std::int64_t>(m.size());
  std::int64_t inserts = 0, deletes = 0;
  if (size * 100 < target * 97) inserts = std::min<std::int64_t>(50, (target - size) / 4 + 1);
  else if (size * 100 > target * 103) deletes = std::min<std::int64_t>(50, (size - target) / 4 + 1);
  else {
    inserts = rng_.chance(0.3) ? 1 : 0;
    deletes = size > target && rng_.chance(0.3) ? 1 : 0;
  }
  for (std::int64_t k = 0; k < inserts; ++k) {
    // A drawn price that is taken is drawn again, so crowded (dense) regions are not
    // under-filled relative to the uniform cancels below.
    for (int attempt = 0; attempt < 8; ++attempt) {
      const std::int64_t d = draw_distance();
      const std::int64_t p = s == side::bid ? to_grid_below(fair_ - d) : to_grid_above(fair_ + d);
      if (!valid_price(s, p) || book_.qty_at(s, p) != 0) continue;
      set_level(s, p, draw_base(distance(s, p)));
      break;
    }
  }
  // Cancels hit levels uniformly, i.e. in proportion to the level density the inserts above
  // create, so the book's shape stays stationary.
  for (std::int64_t k = 0; k < deletes && m.size() > 2; ++k) {
    const auto n = static_cast<std::int64_t>(m.size());
    const std::int64_t idx = rng_.between(1, n - 1);
    erase_level(s, truth_book::price_of(s, std::next(m.begin(), idx)->first));
  }
}

void market_model::densify(side s) {
  auto& m = book_.side_of(s);
  const std::int64_t sparse_gap = std::max<std::int64_t>(
      inst_.tick, span_ticks_ / std::max<std::int64_t>(1, static_cast<std::int64_t>(inst_.levels)));
  int inserted = 0, seen = 0;
  std::int64_t prev = 0;
  bool have_prev = false;
  std::vector<std::int64_t> holes;
  for (const auto& [key, e] : m) {
    if (++seen > 40 || holes.size() >= 3) break;
    const std::int64_t p = truth_book::price_of(s, key);
    if (have_prev) {
      const std::int64_t gap = s == side::bid ? prev - p : p - prev;
      const std::int64_t expect = distance(s, p) < dense_extent_ ? 3 * inst_.tick : sparse_gap;
      if (gap > 4 * expect && gap >= 2 * inst_.tick) holes.push_back(prev);
    }
    prev = p;
    have_prev = true;
  }
  for (std::int64_t from : holes) {
    if (inserted++ >= 3) break;
    const std::int64_t off = rng_.between(1, 3) * inst_.tick;
    const std::int64_t q = s == side::bid ? from - off : from + off;
    if (valid_price(s, q) && book_.qty_at(s, q) == 0) set_level(s, q, draw_base(distance(s, q)));
  }
}

void market_model::sweep(side s) {
  auto& m = book_.side_of(s);
  if (m.empty()) return;
  const std::size_t k = std::max<std::size_t>(2, inst_.levels / 100);
  auto& cursor = sweep_cursor_[static_cast<std::size_t>(s)];
  auto it = m.lower_bound(cursor);
  for (std::size_t i = 0; i < k; ++i) {
    if (it == m.end()) it = m.begin();
    auto& e = it->second;
    if (std::abs(e.applied - factor_) >= 10) {
      const std::int64_t qty = sized(e.base, factor_);
      e.applied = factor_;
      if (qty != e.qty) {
        e.qty = qty;
        record(s, truth_book::price_of(s, it->first), qty);
      }
    }
    ++it;
  }
  cursor = it == m.end() ? m.begin()->first : it->first;
}

const std::vector<level_change>& market_model::step() {
  time_ = next_time_;
  ++steps_;
  changes_.clear();
  factor_ = static_cast<std::int32_t>(scen_.depth_factor(seconds(), inst_.major) * 1000.0 + 0.5);
  move_fair();
  keep_touch(side::bid);
  keep_touch(side::ask);
  activity();
  for (side s : {side::bid, side::ask}) {
    churn(s);
    densify(s);
    sweep(s);
  }
  // Every venue message carries a change: if the step drew none, resize a best level. The
  // draws are made either way, so the random sequence (and with it the level structure) never
  // depends on sizes: a thinning run has exactly the levels of a steady run with its seed.
  const side fs = rng_.chance(0.5) ? side::bid : side::ask;
  std::int64_t fbase = draw_base(0);
  if (changes_.empty())
    if (auto b = book_.best(fs)) {
      if (sized(fbase, factor_) == b->qty) fbase += inst_.lot * 1000 / std::max(1, factor_) + inst_.lot;
      set_level(fs, b->price, fbase);
    }
  const double rate = inst_.rate * scen_.rate_factor(seconds());
  next_time_ = time_ + static_cast<core::unix_nanos>(1e9 / rate * (0.5 + rng_.uniform())) + 1;
  return changes_;
}

}  // namespace depthmon::sim
