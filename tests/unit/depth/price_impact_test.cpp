#include "depth/price_impact.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace depthmon;
using core::side;

TEST_CASE("price impact walks the complete part of a side", "[price_impact]") {
  book::l2_book bk;
  bk.set_ticks(side::bid, 99, 10);   // 990
  bk.set_ticks(side::bid, 98, 10);   // 980
  bk.set_ticks(side::ask, 101, 10);  // 1010
  bk.set_ticks(side::ask, 102, 10);  // 1020
  auto i = depth::price_impact(bk, side::ask, 1010);
  REQUIRE(i);
  CHECK(i->last_price == 101);
  CHECK(i->bps == Approx(100.0));  // 101 vs mid 100
  i = depth::price_impact(bk, side::ask, 1011);
  REQUIRE(i);
  CHECK(i->last_price == 102);
  CHECK(i->bps == Approx(200.0));
  i = depth::price_impact(bk, side::bid, 1500);
  REQUIRE(i);
  CHECK(i->last_price == 98);
  CHECK(i->filled_notional == 1970);
  CHECK_FALSE(depth::price_impact(bk, side::bid, 5000));  // not enough book
  bk.set_coverage(side::ask, book::coverage::down_to(101));
  CHECK(depth::price_impact(bk, side::ask, 1000));
  CHECK_FALSE(depth::price_impact(bk, side::ask, 1011));  // would need unknown levels
}

TEST_CASE("price impact matches a brute-force walk", "[price_impact][property]") {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 200; ++round) {
    book::l2_book bk;
    for (int i = 0; i < 200; ++i) {
      bk.set_ticks(side::bid, 5000 - 1 - static_cast<std::int64_t>(rng() % 1000), 1 + rng() % 100);
      bk.set_ticks(side::ask, 5000 + 1 + static_cast<std::int64_t>(rng() % 1000), 1 + rng() % 100);
    }
    const core::int128 target = 1 + static_cast<core::int128>(rng() % 20'000'000);
    for (side s : {side::bid, side::ask}) {
      core::int128 filled = 0;
      std::optional<std::int64_t> last;
      for (std::size_t k = 0; k < bk.size(s); ++k) {
        const auto l = bk.nth(s, k);
        filled += static_cast<core::int128>(l.price) * l.qty;
        if (filled >= target) {
          last = l.price;
          break;
        }
      }
      const auto got = depth::price_impact(bk, s, target);
      REQUIRE(got.has_value() == last.has_value());
      if (last) CHECK(got->last_price == *last);
    }
  }
}
