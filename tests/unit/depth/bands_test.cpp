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
