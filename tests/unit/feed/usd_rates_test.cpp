#include "feed/usd_rates.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "support/published_fixture.hpp"

using namespace depthmon;
using core::venue;
using testing::fixture_now;
using testing::live_snapshot;

namespace {

using testing::fixed_rate;
using testing::reference_rate;
constexpr core::unix_nanos k_second = 1'000'000'000;

}  // namespace

TEST_CASE("usd_rates: USD is 1, fixed rates as configured, anything else missing", "[usd_rates]") {
  feed::board b;
  const feed::usd_rates rates({fixed_rate("EUR", "1.08")}, b);
  CHECK(rates.rate("USD", fixture_now) == 1.0);
  REQUIRE(rates.rate("EUR", fixture_now));
  CHECK(*rates.rate("EUR", fixture_now) == Approx(1.08));
  CHECK_FALSE(rates.rate("GBP", fixture_now));  // no rule, no book: missing, never a guess
  const feed::book_identity eur{venue::kraken, "BTC/EUR", "BTC", "EUR", {1, 0}};
  REQUIRE(rates.usd_per_quote(eur, fixture_now));
  CHECK(*rates.usd_per_quote(eur, fixture_now) == Approx(1.08));
}

TEST_CASE("usd_rates: a reference book's mid, times the contract value", "[usd_rates]") {
  feed::board b;
  testing::board_builder bb;
  auto ref = bb.book(venue::kraken, "USDT/USD", "USDT", "USD");
  bb.book(venue::okx, "BTC-USDT-SWAP", "BTC", "USDT", {1, 2});  // 0.01 BTC per contract
  bb.commit(b);
  ref->snapshot.store(live_snapshot(9994, 9996, 4));  // mid 0.9995
  const feed::usd_rates rates({reference_rate("USDT", venue::kraken, "USDT/USD")}, b);
  REQUIRE(rates.rate("USDT", fixture_now));
  CHECK(*rates.rate("USDT", fixture_now) == Approx(0.9995));
  const auto swap = b.find(venue::okx, "BTC-USDT-SWAP");
  REQUIRE(rates.usd_per_quote(swap->identity, fixture_now));
  CHECK(*rates.usd_per_quote(swap->identity, fixture_now) == Approx(0.009995));
}

TEST_CASE("usd_rates: an inverted reference book gives 1 / mid", "[usd_rates]") {
  feed::board b;
  testing::board_builder bb;
  auto ref = bb.book(venue::kraken, "USD/JPY", "USD", "JPY");
  bb.commit(b);
  ref->snapshot.store(live_snapshot(14990, 15010, 2));  // 150.00 JPY per USD
  const feed::usd_rates rates({reference_rate("JPY", venue::kraken, "USD/JPY", true)}, b);
  REQUIRE(rates.rate("JPY", fixture_now));
  CHECK(*rates.rate("JPY", fixture_now) == Approx(1.0 / 150.0));
}

TEST_CASE("usd_rates: a stale, not live or mid-less reference book gives no rate",
          "[usd_rates]") {
  feed::board b;
  testing::board_builder bb;
  auto ref = bb.book(venue::kraken, "USDC/USD", "USDC", "USD");
  bb.book(venue::coinbase, "USDC-USD", "USDC", "USD");  // live elsewhere: not used (rule wins)
  bb.commit(b);
  b.find(venue::coinbase, "USDC-USD")->snapshot.store(live_snapshot(9999, 10001, 4));
  const feed::usd_rates rates({reference_rate("USDC", venue::kraken, "USDC/USD")}, b,
                              std::chrono::seconds(10));

  ref->snapshot.store(live_snapshot(9999, 10001, 4, fixture_now - 10 * k_second));
  CHECK(rates.rate("USDC", fixture_now));  // exactly max_age old: still fresh
  CHECK_FALSE(rates.rate("USDC", fixture_now + 1));

  auto s = live_snapshot(9999, 10001, 4);
  s.status = book::book_status::syncing;
  ref->snapshot.store(s);
  CHECK_FALSE(rates.rate("USDC", fixture_now));

  s = live_snapshot(9999, 10001, 4);
  s.depth.has_mid = false;
  ref->snapshot.store(s);
  CHECK_FALSE(rates.rate("USDC", fixture_now));

  ref->snapshot.store(live_snapshot(9999, 10001, 4));  // back: the rate comes back with it
  CHECK(rates.rate("USDC", fixture_now));
  // A rule naming a book the board does not have.
  const feed::usd_rates absent({reference_rate("USDC", venue::bitstamp, "usdcusd")}, b);
  CHECK_FALSE(absent.rate("USDC", fixture_now));
}

TEST_CASE("usd_rates: BTC-quoted pairs through a BTC/USD(-equivalent) book", "[usd_rates]") {
  feed::board b;
  testing::board_builder bb;
  auto eth_btc = bb.book(venue::binance, "ETHBTC", "ETH", "BTC");
  auto btc_usdt = bb.book(venue::binance, "BTCUSDT", "BTC", "USDT");
  auto btc_usd = bb.book(venue::kraken, "BTC/USD", "BTC", "USD");
  auto usdt = bb.book(venue::kraken, "USDT/USD", "USDT", "USD");
  bb.commit(b);
  eth_btc->snapshot.store(live_snapshot(3000, 3002, 5));
  btc_usdt->snapshot.store(live_snapshot(6000000, 6000200, 2));  // 60 001 USDT
  usdt->snapshot.store(live_snapshot(9990, 9990, 4));            // 0.999
  const feed::usd_rates rates({reference_rate("USDT", venue::kraken, "USDT/USD")}, b);

  SECTION("a live BTC/USD book found on the board is preferred") {
    btc_usd->snapshot.store(live_snapshot(5999000, 5999200, 2));  // 59 991
    REQUIRE(rates.usd_per_quote(eth_btc->identity, fixture_now));
    CHECK(*rates.usd_per_quote(eth_btc->identity, fixture_now) == Approx(59991.0));
  }
  SECTION("without one, a BTC book quoted in a currency a rule values") {
    REQUIRE(rates.rate("BTC", fixture_now));
    CHECK(*rates.rate("BTC", fixture_now) == Approx(60001.0 * 0.999));
  }
  SECTION("no usable BTC book: missing") {
    auto s = live_snapshot(6000000, 6000200, 2);
    s.status = book::book_status::invalid;
    btc_usdt->snapshot.store(s);
    CHECK_FALSE(rates.usd_per_quote(eth_btc->identity, fixture_now));
  }
  SECTION("a BTC book named by config") {
    btc_usd->snapshot.store(live_snapshot(5999000, 5999200, 2));
    const feed::usd_rates named({reference_rate("USDT", venue::kraken, "USDT/USD"),
                                 reference_rate("BTC", venue::binance, "BTCUSDT")},
                                b);
    REQUIRE(named.rate("BTC", fixture_now));
    CHECK(*named.rate("BTC", fixture_now) == Approx(60001.0 * 0.999));
  }
}

TEST_CASE("usd_rates: rule cycles end in missing, not a loop", "[usd_rates]") {
  feed::board b;
  testing::board_builder bb;
  auto ab = bb.book(venue::kraken, "AAA/BBB", "AAA", "BBB");
  bb.commit(b);
  ab->snapshot.store(live_snapshot(100, 100, 2));
  const feed::usd_rates rates({reference_rate("AAA", venue::kraken, "AAA/BBB"),
                               reference_rate("BBB", venue::kraken, "AAA/BBB", true)},
                              b);
  CHECK_FALSE(rates.rate("AAA", fixture_now));
}

TEST_CASE("usd_rates: a board replaced by a reload is seen by the next call", "[usd_rates]") {
  feed::board b;
  const feed::usd_rates rates({reference_rate("USDT", venue::kraken, "USDT/USD")}, b);
  CHECK_FALSE(rates.rate("USDT", fixture_now));
  testing::board_builder bb;
  bb.book(venue::kraken, "USDT/USD", "USDT", "USD")->snapshot.store(live_snapshot(10, 10, 1));
  bb.commit(b);
  REQUIRE(rates.rate("USDT", fixture_now));
  CHECK(*rates.rate("USDT", fixture_now) == Approx(1.0));
}

TEST_CASE("usd_rates: readers on other threads see whole snapshots only", "[usd_rates]") {
  feed::board b;
  testing::board_builder bb;
  auto ref = bb.book(venue::kraken, "USDT/USD", "USDT", "USD");
  bb.commit(b);
  const auto a = live_snapshot(9000, 9000, 4), c = live_snapshot(11000, 11000, 4);
  ref->snapshot.store(a);
  const feed::usd_rates rates({reference_rate("USDT", venue::kraken, "USDT/USD")}, b);
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, reads{0};
  std::thread reader([&] {
    while (!stop.load()) {
      const auto r = rates.rate("USDT", fixture_now);
      if (!r || (*r != Approx(0.9) && *r != Approx(1.1))) ++bad;
      ++reads;
    }
  });
  for (int i = 0; i < 20000 || reads.load() < 100; ++i) ref->snapshot.store(i % 2 ? a : c);
  stop = true;
  reader.join();
  CHECK(bad.load() == 0);
}
