#include "depth/valuation.hpp"

#include <catch2/catch.hpp>

using namespace depthmon;

TEST_CASE("rates and USD values", "[valuation]") {
  depth::rate_table rt;
  REQUIRE(rt.rate("USD"));
  CHECK_FALSE(rt.rate("USDT"));
  rt.set("USDT", *core::parse_decimal("0.9995"));
  rt.set("EUR", *core::parse_decimal("1.08"));
  CHECK(rt.rate("USDT")->mantissa == 9995);
  rt.erase("EUR");
  CHECK_FALSE(rt.rate("EUR"));
  // 178628.4514 USDT at 0.9995
  CHECK(depth::to_usd(1786284514, 4, *rt.rate("USDT")) == Approx(178539.1371743));
  // 10 contracts of 0.01 BTC at 60 000 USDT: notional in contracts × ctVal.
  CHECK(depth::to_usd(600000, 0, *core::parse_decimal("1"), *core::parse_decimal("0.01")) ==
        Approx(6000.0));
}

TEST_CASE("USD order sizes become exact quote targets", "[valuation]") {
  // 100 000 USD at 1 USD per USDT, notional scale 4 -> 1e9 ticks.
  CHECK(depth::usd_to_quote_ceil(100000, {1, 0}, 4) == 1000000000);
  // At 0.5 USD per unit it takes 200 000 units.
  CHECK(depth::usd_to_quote_ceil(100000, {5, 1}, 0) == 200000);
  // 1 USD at 3 USD per unit = 0.333.. -> rounded up at scale 2: 0.34.
  CHECK(depth::usd_to_quote_ceil(1, {3, 0}, 2) == 34);
  // Through BTC at 60 000 USD: 1 000 000 USD = 16.666..67 BTC at scale 8.
  CHECK(depth::usd_to_quote_ceil(1000000, {60000, 0}, 8) == 1666666667);
}
