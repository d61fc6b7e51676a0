#include "depth/bands.hpp"

#include <catch2/catch.hpp>

using namespace depthmon;

TEST_CASE("default bands and parsing", "[bands]") {
  const auto b = depth::default_bands();
  REQUIRE(b.size() == 7);
  CHECK(b[0].pct_text() == "0.1");
  CHECK(b[1].bps_text() == "25");
  CHECK(b[4].bps_text() == "200");
  CHECK(b[6].bps_text() == "1000");
  auto p = depth::parse_bands("2,0.5,0.125");
  REQUIRE(p.ok());
  REQUIRE(p->size() == 3);
  CHECK((*p)[0].pct_text() == "0.125");
  CHECK((*p)[0].bps_text() == "12.5");
  CHECK((*p)[2].pct_text() == "2");
  for (const char* bad : {"", "0", "-1", "100", "150", "a", "1,,2", "2,2", "0.00001"}) {
    INFO(bad);
    CHECK_FALSE(depth::parse_bands(bad).ok());
  }
}

TEST_CASE("band edges are the exact inclusive bounds", "[bands]") {
  // NKNUSDT final book: mid 0.3529, ±2 % => bid floor 0.345842, ask cap 0.359958 (scale 4
  // ticks: bid edge ceil(3458.42) = 3459, ask edge floor(3599.58) = 3599).
  const auto two = depth::parse_bands("2")->front();
  const core::int128 mid2 = 3527 + 3531;
  CHECK(depth::edge_key(core::side::bid, mid2, two) == 3459);
  CHECK(depth::edge_key(core::side::ask, mid2, two) == -3599);
  // An edge that falls exactly on a tick is included: mid 100, 2 % => 98 and 102.
  CHECK(depth::edge_key(core::side::bid, 200, two) == 98);
  CHECK(depth::edge_key(core::side::ask, 200, two) == -102);
}

// edge_key divides in 64 bits when the numerator fits: around that boundary (and far beyond it)
// every edge must still be the exact inclusive bound the inequality of bands.hpp defines.
TEST_CASE("band edges are exact on both sides of the 64-bit division", "[bands]") {
  for (const char* pct : {"0.1", "2", "10", "0.0001", "99.9999"}) {
    const depth::band b{*core::parse_decimal(pct)};
    const core::int128 d = core::pow10_i128(2u + b.pct.scale);
    const core::int128 n = b.pct.mantissa;
    const core::int128 boundary = (static_cast<core::int128>(UINT64_MAX) + 1) / (d + n);
    for (core::int128 mid2 : {core::int128{2}, core::int128{1999}, boundary - 2, boundary - 1,
                              boundary, boundary + 1, boundary + 2, boundary * 1000 + 7,
                              static_cast<core::int128>(INT64_MAX) * 2}) {
      if (mid2 > static_cast<core::int128>(INT64_MAX) * 2) continue;  // edge_key's domain
      INFO("pct " << pct << " mid2 " << static_cast<double>(mid2));
      const std::int64_t bid = depth::edge_key(core::side::bid, mid2, b);
      // The bid edge is the least price p with 2·D·p >= mid2·(D − n).
      CHECK(2 * d * bid >= mid2 * (d - n));
      CHECK(2 * d * (static_cast<core::int128>(bid) - 1) < mid2 * (d - n));
      const core::int128 ask = -static_cast<core::int128>(depth::edge_key(core::side::ask, mid2, b));
      // The ask edge is the greatest price p with 2·D·p <= mid2·(D + n), saturated at INT64_MAX.
      CHECK(2 * d * ask <= mid2 * (d + n));
      if (ask < INT64_MAX) CHECK(2 * d * (ask + 1) > mid2 * (d + n));
    }
  }
}
