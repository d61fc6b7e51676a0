// A deliberately naive reference for the depth definition of DESIGN.md: rescans every level
// and tests band membership straight from the inequality, with no edges, no running sums.
#pragma once

#include <optional>

#include "book/l2_book.hpp"
#include "depth/bands.hpp"

namespace depthmon::test {

struct naive_band {
  core::int128 qty = 0, notional = 0;
  bool complete = false;
};

inline bool in_band(core::side s, std::int64_t price, core::int128 mid2, const depth::band& b) {
  const core::int128 d = core::pow10_i128(2u + b.pct.scale);
  const core::int128 n = b.pct.mantissa;
  if (s == core::side::bid) return 2 * d * price >= mid2 * (d - n);
  return 2 * d * price <= mid2 * (d + n);
}

inline naive_band naive(const book::l2_book& bk, core::side s, const depth::band& b) {
  naive_band out;
  const auto bb = bk.best(core::side::bid), ba = bk.best(core::side::ask);
  const core::int128 mid2 = static_cast<core::int128>(bb->price) + ba->price;
  for (std::size_t i = 0; i < bk.size(s); ++i) {
    const auto l = bk.nth(s, i);
    if (in_band(s, l.price, mid2, b)) {
      out.qty += l.qty;
      out.notional += static_cast<core::int128>(l.price) * l.qty;
    }
  }
  // Complete iff the first price beyond the known region is outside the band.
  const auto cov = bk.coverage_key(s);
  if (!cov) {
    out.complete = true;
  } else {
    const std::int64_t boundary = book::price_of(s, *cov);
    const std::int64_t beyond = s == core::side::bid ? boundary - 1 : boundary + 1;
    out.complete = beyond <= 0 || !in_band(s, beyond, mid2, b);
  }
  return out;
}

}  // namespace depthmon::test
