// tests/support/expect_band.hpp — a depth_view's ±2 % band against an expected file's
// "band_2pct" object (shared/reference-data conventions), exactly: the floor and cap
// (mid × 0.98 and mid × 1.02), the tick edges they round inward to, the sums (lower bounds where
// the book does not cover the band) and the coverage flags.
#pragma once

#include <catch2/catch.hpp>

#include <cstddef>

#include "depth/depth_view.hpp"
#include "support/json.hpp"

namespace depthmon::test {

// Exact comparison of an expected decimal text with mantissa × 10^-scale.
inline bool same_value(simdjson::dom::element e, core::int128 mantissa, unsigned scale) {
  auto d = core::parse_decimal(std::string_view(e));
  return d && core::compare_scaled(d->mantissa, d->scale, mantissa, scale) == 0;
}

inline void check_band_2pct(const depth::depth_view& v, std::size_t b, simdjson::dom::element exp) {
  REQUIRE(v.has_mid);
  REQUIRE(b < v.band_count);
  const unsigned ps = v.price_scale, qs = v.qty_scale;
  const auto floor = core::parse_decimal(std::string_view(exp["bid_price_floor"]));
  const auto cap = core::parse_decimal(std::string_view(exp["ask_price_cap"]));
  REQUIRE(floor);
  REQUIRE(cap);
  // The expected floor and cap are mid × 0.98 and mid × 1.02 of this book's mid (mid2 / 2).
  CHECK(core::compare_scaled(v.mid2 * 49, ps + 2, floor->mantissa, floor->scale) == 0);
  CHECK(core::compare_scaled(v.mid2 * 51, ps + 2, cap->mantissa, cap->scale) == 0);
  // The edges are the nearest ticks inside the band: the bid edge is the floor rounded up, the
  // ask edge the cap rounded down.
  const auto& bid = v.bands[b][core::side::bid];
  const auto& ask = v.bands[b][core::side::ask];
  CHECK(core::compare_scaled(bid.edge_price, ps, floor->mantissa, floor->scale) >= 0);
  CHECK(core::compare_scaled(bid.edge_price - 1, ps, floor->mantissa, floor->scale) < 0);
  CHECK(core::compare_scaled(ask.edge_price, ps, cap->mantissa, cap->scale) <= 0);
  CHECK(core::compare_scaled(ask.edge_price + 1, ps, cap->mantissa, cap->scale) > 0);
  CHECK(same_value(exp["bid_qty"], bid.qty, qs));
  CHECK(same_value(exp["bid_notional"], bid.notional, ps + qs));
  CHECK(same_value(exp["ask_qty"], ask.qty, qs));
  CHECK(same_value(exp["ask_notional"], ask.notional, ps + qs));
  CHECK(bid.complete == bool(exp["book_covers_band"]["bid"]));
  CHECK(ask.complete == bool(exp["book_covers_band"]["ask"]));
  CHECK_FALSE(v.overflow);
}

}  // namespace depthmon::test
