#include "book/l2_book.hpp"

#include <algorithm>

namespace depthmon::book {

namespace {
constexpr std::int64_t k_pow10[core::max_scale + 1] = {
    1,           10,           100,           1000,           10000,           100000,
    1000000,     10000000,     100000000,     1000000000,     10000000000,     100000000000,
    1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000,
    100000000000000000, 1000000000000000000};
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
  // Both scales are now at least the value's (ensure_scales above), so this is to_scale()
  // without its checks and result wrapping: two multiplies per level change, inline.
  std::int64_t p, q;
  if (__builtin_mul_overflow(price.mantissa, k_pow10[price_scale_ - price.scale], &p) ||
      __builtin_mul_overflow(qty.mantissa, k_pow10[qty_scale_ - qty.scale], &q))
    return {core::errc::number_overflow, "value too large for scale"};
  set_key(s, key_of(s, p), q);
  return {};
}

void l2_book::set_ticks(side s, std::int64_t price, std::int64_t qty) noexcept {
  set_key(s, key_of(s, price), qty);
}

void l2_book::set_key(side s, std::int64_t key, std::int64_t qty) noexcept {
  if (bulk_) {
    staged_[index(s)].push_back(keyed_level{key, qty});
    return;
  }
  const std::int64_t old_qty = sides_[index(s)].set(key, qty);
  if (observer_ && old_qty != qty) observer_->on_level(s, price_of(s, key), old_qty, qty);
}

void l2_book::begin_bulk() noexcept {
  clear();
  bulk_ = true;
}

void l2_book::end_bulk() noexcept {
  for (std::size_t si = 0; si < 2; ++si) {
    auto& v = staged_[si];
    // Stable, so for a price listed twice the later entry wins, as it would one by one.
    std::stable_sort(v.begin(), v.end(),
                     [](const keyed_level& a, const keyed_level& b) { return a.key < b.key; });
    std::size_t out = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i + 1 < v.size() && v[i + 1].key == v[i].key) continue;  // superseded
      if (v[i].qty != 0) v[out++] = v[i];
    }
    sides_[si].assign_sorted(v.data(), out);
    v.clear();  // keeps its capacity for the next snapshot
  }
  bulk_ = false;
  notify_reset();
}

void l2_book::clear() noexcept {
  for (std::size_t si = 0; si < 2; ++si) {
    sides_[si].clear();
    staged_[si].clear();
  }
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
  // Check every level first so a failed rescale leaves the book untouched. The levels of a
  // bulk load in progress are still staged; they are rescaled like the rest.
  bool overflow = false;
  const auto check = [&](keyed_level l) noexcept {
    std::int64_t tmp;
    const bool key_over = __builtin_mul_overflow(l.key, pm, &tmp);
    const bool qty_over = __builtin_mul_overflow(l.qty, qm, &tmp);
    overflow |= key_over || qty_over;
  };
  for (std::size_t si = 0; si < 2; ++si) {
    for (const auto& l : sides_[si]) check(l);
    for (const auto& l : staged_[si]) check(l);
  }
  if (overflow) return {core::errc::precision_loss, "rescale overflows int64"};
  // The coverage boundary is checked like the levels: a snapshot's deepest ask, deleted since,
  // can lie far above every level still in the book.
  for (const auto& c : coverage_) {
    std::int64_t tmp;
    if (c.k == coverage::kind::to_price && __builtin_mul_overflow(c.price, pm, &tmp))
      return {core::errc::precision_loss, "rescale overflows the coverage boundary"};
  }
  const auto scale = [pm, qm](std::int64_t& key, std::int64_t& qty) noexcept {
    key *= pm;
    qty *= qm;
  };
  for (std::size_t si = 0; si < 2; ++si) {
    sides_[si].for_each_mutable(scale);
    for (auto& l : staged_[si]) scale(l.key, l.qty);
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
  const auto& l = sides_[index(s)].nth_from_back(i);
  return {price_of(s, l.key), l.qty};
}

void l2_book::top(side s, std::size_t n, std::vector<level>& out) const {
  out.resize(std::min(n, size(s)));
  out.resize(copy_best(s, out.data(), out.size()));
}

void l2_book::truncate(std::size_t n) noexcept {
  for (side s : {side::bid, side::ask}) {
    auto& v = sides_[index(s)];
    if (v.size() <= n) continue;
    const std::size_t drop = v.size() - n;
    if (observer_) {
      auto it = v.begin();
      for (std::size_t i = 0; i < drop; ++i, ++it)
        observer_->on_level(s, price_of(s, it->key), it->qty, 0);
    }
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
      // A venue that shows no level tells nothing about the side: a key above every level, so
      // no band edge and no level is covered (DESIGN.md: a band not fully covered is missing).
      if (c.n == 0) return k_nothing_known;
      // Fewer than n levels: the venue showed them all.
      if (v.size() < c.n) return std::nullopt;
      return v.nth_from_back(c.n - 1).key;
    }
  }
  return std::nullopt;
}

}  // namespace depthmon::book
