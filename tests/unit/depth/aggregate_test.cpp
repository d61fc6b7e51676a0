#include "depth/aggregate.hpp"

#include <catch2/catch.hpp>

using namespace depthmon;

TEST_CASE("per-asset depth sums complete books only", "[aggregate]") {
  std::vector<depth::book_usd_depth> books(3);
  books[0].base = "BTC";
  books[0].usd = {{100.0, 200.0}};
  books[0].baseline = {{200.0, std::nullopt}};
  books[1].base = "BTC";
  books[1].usd = {{std::nullopt, 50.0}};  // bid band incomplete
  books[1].baseline = {{1000.0, 100.0}};
  books[2].base = "ETH";
  books[2].usd = {{7.0, 8.0}};
  const auto out = depth::aggregate_by_asset(books, 1);
  REQUIRE(out.size() == 4);
  const auto& btc_bid = out[0];
  CHECK(btc_bid.base == "BTC");
  CHECK(btc_bid.side == core::side::bid);
  CHECK(btc_bid.usd == 100.0);
  CHECK(btc_bid.books == 1);
  CHECK(btc_bid.books_missing == 1);
  REQUIRE(btc_bid.baseline);
  CHECK(*btc_bid.baseline == 200.0);  // the incomplete book's baseline is not compared
  CHECK(*btc_bid.ratio == 0.5);
  const auto& btc_ask = out[1];
  CHECK(btc_ask.usd == 250.0);
  CHECK(btc_ask.books == 2);
  CHECK(*btc_ask.baseline == 100.0);
  CHECK(*btc_ask.ratio == 0.5);  // only the book with a baseline: 50 / 100
  CHECK(out[2].base == "ETH");
  CHECK_FALSE(out[2].baseline);
  CHECK_FALSE(out[2].ratio);
}
