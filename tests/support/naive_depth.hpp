// tests/support/naive_depth.hpp — a deliberately naive reference for the depth definition of
// DESIGN.md, written to share nothing with the code under test but the book's public levels.
//
// Bands: every level is rescanned and tested against the band inequality itself (no edges, no
// running sums). Coverage: the boundary is derived from the side's coverage kind and its levels
// (DESIGN.md "Coverage"), never from l2_book::coverage_key(), so a bug there cannot hide behind
// the reference; tests compare coverage_key() with naive_coverage() instead. Sums are checked:
// `overflow` says the exact figure does not fit int128, which the code under test must report
// as unusable rather than wrap.
//
// Threads: reads a book on the test's thread. Errors: none; the caller checks has_mid first.
#pragma once

#include <cstdint>
#include <optional>

#include "book/l2_book.hpp"
#include "depth/bands.hpp"

namespace depthmon::test {

struct naive_band {
  core::int128 qty = 0, notional = 0;
  bool complete = false;
  bool overflow = false;  // a sum does not fit int128: the band has no exact figure
};

// How far one side is known, from first principles.
struct naive_known {
  bool whole_side = false;  // every level of the side is known
  bool nothing = false;     // no level is known (a venue showing zero levels)
  std::int64_t price = 0;   // otherwise: known down to this price, inclusive
};

inline naive_known naive_coverage(const book::l2_book& bk, core::side s) {
  const book::coverage c = bk.get_coverage(s);
  switch (c.k) {
    case book::coverage::kind::full: return {true, false, 0};
    case book::coverage::kind::to_price: return {false, false, c.price};
    case book::coverage::kind::to_nth_level:
      // The venue shows its best n levels: a side with fewer shows all it has; otherwise the
      // n-th best level is the deepest one known.
      if (c.n == 0) return {false, true, 0};
      if (bk.size(s) < c.n) return {true, false, 0};
      return {false, false, bk.nth(s, c.n - 1).price};
  }
  return {false, true, 0};
}

inline core::int128 naive_mid2(const book::l2_book& bk) {
  return static_cast<core::int128>(bk.best(core::side::bid)->price) + bk.best(core::side::ask)->price;
}

// mid ± x %, inclusive, straight from the inequality: 2·D·p >= mid2·(D − n) for bids,
// 2·D·p <= mid2·(D + n) for asks, with x = n·10^-k and D = 100·10^k. `price` is int128 so the
// caller can ask about the tick just beyond INT64_MAX.
inline bool in_band(core::side s, core::int128 price, core::int128 mid2, const depth::band& b) {
  const core::int128 d = core::pow10_i128(2u + b.pct.scale);
  const core::int128 n = b.pct.mantissa;
  if (s == core::side::bid) return 2 * d * price >= mid2 * (d - n);
  return 2 * d * price <= mid2 * (d + n);
}

// A band side is complete iff no price inside the band lies beyond what is known. The band is
// contiguous from the touch outwards, so it suffices to ask whether the first tick beyond the
// known boundary is inside (a tick below 1 or above INT64_MAX cannot hold a level).
inline bool naive_complete(const book::l2_book& bk, core::side s, core::int128 mid2,
                           const depth::band& b) {
  const naive_known k = naive_coverage(bk, s);
  if (k.whole_side) return true;
  if (k.nothing) return false;
  const core::int128 beyond = s == core::side::bid ? core::int128{k.price} - 1 : core::int128{k.price} + 1;
  if (beyond < 1 || beyond > INT64_MAX) return true;
  return !in_band(s, beyond, mid2, b);
}

// Needs both sides non-empty (a mid).
inline naive_band naive(const book::l2_book& bk, core::side s, const depth::band& b) {
  naive_band out;
  const core::int128 mid2 = naive_mid2(bk);
  for (std::size_t i = 0; i < bk.size(s); ++i) {
    const auto l = bk.nth(s, i);
    if (!in_band(s, l.price, mid2, b)) continue;
    out.overflow |= __builtin_add_overflow(out.qty, core::int128{l.qty}, &out.qty);
    out.overflow |= __builtin_add_overflow(out.notional, static_cast<core::int128>(l.price) * l.qty,
                                           &out.notional);
  }
  out.complete = naive_complete(bk, s, mid2, b);
  return out;
}

// Price impact by brute force: walk from the best level while the levels are known, with
// checked sums. nullopt: not computable (unknown levels needed, book too thin, or a sum that
// does not fit int128). Returns the last level's price.
inline std::optional<std::int64_t> naive_impact_price(const book::l2_book& bk, core::side s,
                                                      core::int128 target) {
  if (!bk.best(core::side::bid) || !bk.best(core::side::ask) || target <= 0) return std::nullopt;
  const naive_known k = naive_coverage(bk, s);
  if (k.nothing) return std::nullopt;
  core::int128 filled = 0;
  for (std::size_t i = 0; i < bk.size(s); ++i) {
    const auto l = bk.nth(s, i);
    const bool known = k.whole_side || (s == core::side::bid ? l.price >= k.price : l.price <= k.price);
    if (!known) return std::nullopt;
    if (__builtin_add_overflow(filled, static_cast<core::int128>(l.price) * l.qty, &filled))
      return std::nullopt;
    if (filled >= target) return l.price;
  }
  return std::nullopt;
}

}  // namespace depthmon::test
