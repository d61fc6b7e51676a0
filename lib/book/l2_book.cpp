#include "book/l2_book.hpp"

#include <algorithm>

namespace depthmon::book {
namespace {

// Top-of-book changes land within the last few entries; scan those before bisecting.
constexpr std::size_t k_linear_probe = 8;

// First position whose key is >= `key` in an ascending ladder of n levels.
std::size_t lower_bound_from_back(const keyed_level* v, std::size_t n, std::int64_t key) noexcept {
  std::size_t i = n;
  const std::size_t stop = n > k_linear_probe ? n - k_linear_probe : 0;
  while (i > stop && v[i - 1].key >= key) --i;
  if (i > stop || stop == 0) return i;
  // key is below the probed window: bisect the rest.
  const keyed_level* it = std::lower_bound(
      v, v + stop, key, [](const keyed_level& l, std::int64_t k) { return l.key < k; });
  return static_cast<std::size_t>(it - v);
}

}  // namespace

core::status l2_book::set(side s, core::decimal price, core::decimal qty) noexcept {
  if (price.mantissa <= 0) return {core::errc::bad_number, "non-positive price"};
  if (qty.mantissa < 0) return {core::errc::bad_number, "negative size"};
  if (price.scale > price_scale_ || qty.scale > qty_scale_) {
    if (auto st = ensure_scales(std::max<unsigned>(price.scale, price_scale_),
                                std::max<unsigned>(qty.scale, qty_scale_));
        !st)
      return st;
  }
  auto p = core::to_scale(price, price_scale_);
  if (!p) return p.err();
  auto q = core::to_scale(qty, qty_scale_);
  if (!q) return q.err();
  set_key(s, key_of(s, *p), *q);
  return {};
}

void l2_book::set_ticks(side s, std::int64_t price, std::int64_t qty) noexcept {
  set_key(s, key_of(s, price), qty);
}

void l2_book::set_key(side s, std::int64_t key, std::int64_t qty) noexcept {
  auto& v = sides_[index(s)];
  if (bulk_) {
    // Snapshots arrive best-first, the reverse of the ladder order: collect, sort once.
    v.push_back(keyed_level{key, qty});
    return;
  }
  const std::size_t i = lower_bound_from_back(v.data(), v.size(), key);
  const bool found = i < v.size() && v[i].key == key;
  std::int64_t old_qty = 0;
  if (found) {
    old_qty = v[i].qty;
    if (qty == 0) v.erase_at(i);
    else v[i].qty = qty;
  } else {
    if (qty == 0) return;  // deleting an absent level: nothing changed
    v.insert_at(i, keyed_level{key, qty});
  }
  if (observer_ && !bulk_ && old_qty != qty) observer_->on_level(s, price_of(s, key), old_qty, qty);
}

void l2_book::begin_bulk() noexcept {
  clear();
  bulk_ = true;
}

void l2_book::end_bulk() noexcept {
  for (auto& v : sides_) {
    // Stable, so for a price listed twice the later entry wins, as it would one by one.
    std::stable_sort(v.data(), v.data() + v.size(),
                     [](const keyed_level& a, const keyed_level& b) { return a.key < b.key; });
    std::size_t out = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i + 1 < v.size() && v[i + 1].key == v[i].key) continue;  // superseded
      if (v[i].qty != 0) v[out++] = v[i];
    }
    v.resize(out);
  }
  bulk_ = false;
  notify_reset();
}

void l2_book::clear() noexcept {
  sides_[0].clear();
  sides_[1].clear();
  reset_scales();
  notify_reset();
}

void l2_book::reset_scales() noexcept {
  // Scales only grow while content lives; kept across a clear, one dust size with many decimals
  // would make every later large size unrepresentable. What survives the content is a to_price
  // coverage boundary (venues set it again after their next snapshot): keep the price scale its
  // digits need, so the boundary stays exact.
  unsigned drop = price_scale_;  // decimals every boundary can lose exactly
  for (const auto& c : coverage_) {
    if (c.k != coverage::kind::to_price) continue;
    unsigned tz = 0;
    while (tz < drop && c.price % core::pow10_i64(tz + 1) == 0) ++tz;
    drop = tz;
  }
  for (auto& c : coverage_)
    if (c.k == coverage::kind::to_price) c.price /= core::pow10_i64(drop);
  price_scale_ -= drop;
  qty_scale_ = 0;
}

core::status l2_book::ensure_scales(unsigned ps, unsigned qs) noexcept {
  if (ps > core::max_scale || qs > core::max_scale)
    return {core::errc::precision_loss, "scale above 18"};
  if (ps <= price_scale_ && qs <= qty_scale_) return {};
  const std::int64_t pm = core::pow10_i64(ps > price_scale_ ? ps - price_scale_ : 0);
  const std::int64_t qm = core::pow10_i64(qs > qty_scale_ ? qs - qty_scale_ : 0);
  // Check every level first so a failed rescale leaves the book untouched.
  for (const auto& v : sides_)
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::int64_t tmp;
      if (__builtin_mul_overflow(v[i].key, pm, &tmp) || __builtin_mul_overflow(v[i].qty, qm, &tmp))
        return {core::errc::precision_loss, "rescale overflows int64"};
    }
  // The coverage boundary is checked like the levels: a snapshot's deepest ask, deleted since,
  // can lie far above every level still in the book.
  for (const auto& c : coverage_) {
    std::int64_t tmp;
    if (c.k == coverage::kind::to_price && __builtin_mul_overflow(c.price, pm, &tmp))
      return {core::errc::precision_loss, "rescale overflows the coverage boundary"};
  }
  for (auto& v : sides_)
    for (std::size_t i = 0; i < v.size(); ++i) {
      v[i].key *= pm;
      v[i].qty *= qm;
    }
  for (auto& c : coverage_)
    if (c.k == coverage::kind::to_price) c.price *= pm;
  price_scale_ = std::max(ps, price_scale_);
  qty_scale_ = std::max(qs, qty_scale_);
  notify_reset();
  return {};
}

std::optional<level> l2_book::best(side s) const noexcept {
  const auto& v = sides_[index(s)];
  if (v.empty()) return std::nullopt;
  return level{price_of(s, v.back().key), v.back().qty};
}

level l2_book::nth(side s, std::size_t i) const noexcept {
  const auto& v = sides_[index(s)];
  const auto& l = v[v.size() - 1 - i];
  return {price_of(s, l.key), l.qty};
}

void l2_book::top(side s, std::size_t n, std::vector<level>& out) const {
  out.clear();
  const auto& v = sides_[index(s)];
  const std::size_t m = std::min(n, v.size());
  out.reserve(m);
  for (std::size_t i = 0; i < m; ++i) {
    const auto& l = v[v.size() - 1 - i];
    out.push_back({price_of(s, l.key), l.qty});
  }
}

void l2_book::truncate(std::size_t n) noexcept {
  for (side s : {side::bid, side::ask}) {
    auto& v = sides_[index(s)];
    if (v.size() <= n) continue;
    const std::size_t drop = v.size() - n;
    if (observer_ && !bulk_)
      for (std::size_t i = 0; i < drop; ++i) observer_->on_level(s, price_of(s, v[i].key), v[i].qty, 0);
    v.drop_front(drop);
  }
}

bool l2_book::crossed() const noexcept {
  const auto& b = sides_[0];
  const auto& a = sides_[1];
  return !b.empty() && !a.empty() && b.back().key > -a.back().key;
}

bool l2_book::locked() const noexcept {
  const auto& b = sides_[0];
  const auto& a = sides_[1];
  return !b.empty() && !a.empty() && b.back().key == -a.back().key;
}

std::optional<std::int64_t> l2_book::coverage_key(side s) const noexcept {
  const coverage& c = coverage_[index(s)];
  switch (c.k) {
    case coverage::kind::full: return std::nullopt;
    case coverage::kind::to_price: return key_of(s, c.price);
    case coverage::kind::to_nth_level: {
      const auto& v = sides_[index(s)];
      if (v.size() < c.n) return std::nullopt;  // fewer than n levels: the venue showed all
      return v[v.size() - c.n].key;
    }
  }
  return std::nullopt;
}

}  // namespace depthmon::book
