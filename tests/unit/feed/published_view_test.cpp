#include "feed/published_view.hpp"

#include <catch2/catch.hpp>

#include "support/published_fixture.hpp"

using namespace depthmon;
using core::side;
using core::venue;
using testing::fixture_now;
using testing::live_snapshot;
using testing::set_band;

namespace {

feed::view_settings two_bands() {
  feed::view_settings s;
  s.bands = *depth::parse_bands("1,2");
  return s;
}

baseline::table baseline_of(std::string_view rows) {
  baseline::table t;
  std::vector<baseline::load_error> errors;
  const std::string text = std::string(baseline::file_header) + "\n" + std::string(rows);
  REQUIRE(baseline::parse_baseline(text, "test.csv", t, errors));
  return t;
}

}  // namespace

TEST_CASE("read model: complete bands valued in USD, incomplete ones missing", "[view]") {
  feed::board b;
  testing::board_builder bb;
  auto usdt = bb.book(venue::binance, "BTCUSDT", "BTC", "USDT");
  auto usd = bb.book(venue::coinbase, "BTC-USD", "BTC", "USD");
  bb.commit(b);
  auto s = live_snapshot(6000000, 6000200);
  set_band(s, 0, side::bid, 1'000'000);
  set_band(s, 0, side::ask, 2'000'000, false);  // edge beyond what the book covers
  set_band(s, 1, side::bid, 3'000'000);
  set_band(s, 1, side::ask, 4'000'000);
  usdt->snapshot.store(s);
  usd->snapshot.store(s);
  const feed::usd_rates rates({testing::fixed_rate("USDT", "0.999")}, b);
  const auto v = feed::take_view(b, rates, nullptr, two_bands(), fixture_now);

  const auto* a = v.find(venue::binance, "BTCUSDT");
  REQUIRE(a);
  REQUIRE(a->usd_per_quote);
  CHECK(*a->usd_per_quote == Approx(0.999));
  REQUIRE(a->depth_usd(0, side::bid));
  CHECK(*a->depth_usd(0, side::bid) == Approx(999'000.0));
  CHECK_FALSE(a->band_complete(0, side::ask));
  CHECK_FALSE(a->depth_usd(0, side::ask));  // never a partial sum
  CHECK(*a->depth_usd(1, side::ask) == Approx(3'996'000.0));
  CHECK_FALSE(a->baseline_usd(1, side::ask));
  REQUIRE(a->mid());
  CHECK(*a->mid() == Approx(60001.0));

  SECTION("a book that is not live has no figures") {
    auto dead = s;
    dead.status = book::book_status::invalid;
    usd->snapshot.store(dead);
    const auto v2 = feed::take_view(b, rates, nullptr, two_bands(), fixture_now);
    const auto* c = v2.find(venue::coinbase, "BTC-USD");
    CHECK_FALSE(c->band_complete(1, side::bid));
    CHECK_FALSE(c->depth_usd(1, side::bid));
    CHECK_FALSE(c->mid());
    CHECK_FALSE(c->spread_bps());
  }
  SECTION("overflowed figures and bands the snapshot does not carry are missing") {
    auto o = s;
    o.depth.overflow = true;
    usd->snapshot.store(o);
    auto few = s;
    few.depth.band_count = 1;
    usdt->snapshot.store(few);
    const auto v2 = feed::take_view(b, rates, nullptr, two_bands(), fixture_now);
    CHECK_FALSE(v2.find(venue::coinbase, "BTC-USD")->depth_usd(0, side::bid));
    CHECK(v2.find(venue::binance, "BTCUSDT")->depth_usd(0, side::bid));
    CHECK_FALSE(v2.find(venue::binance, "BTCUSDT")->depth_usd(1, side::bid));
  }
  SECTION("a quote without a rate has no USD figures") {
    const feed::usd_rates none({}, b);
    const auto v2 = feed::take_view(b, none, nullptr, two_bands(), fixture_now);
    CHECK(v2.find(venue::binance, "BTCUSDT")->band_complete(0, side::bid));
    CHECK_FALSE(v2.find(venue::binance, "BTCUSDT")->depth_usd(0, side::bid));
    CHECK(v2.find(venue::coinbase, "BTC-USD")->depth_usd(0, side::bid));
  }
}

TEST_CASE("read model: baselines attached, per-asset sums over complete books", "[view]") {
  feed::board b;
  testing::board_builder bb;
  auto k = bb.book(venue::kraken, "BTC/USD", "BTC", "USD");
  auto c = bb.book(venue::coinbase, "BTC-USD", "BTC", "USD");
  auto e = bb.book(venue::coinbase, "ETH-USD", "ETH", "USD");
  auto f = bb.feed(venue::coinbase);
  bb.commit(b);
  auto s = live_snapshot(6000000, 6000200);
  set_band(s, 0, side::bid, 100);
  set_band(s, 0, side::ask, 200);
  set_band(s, 1, side::bid, 300);
  set_band(s, 1, side::ask, 400);
  k->snapshot.store(s);
  auto partial = s;
  set_band(partial, 1, side::ask, 999, false);
  c->snapshot.store(partial);
  e->snapshot.store(s);
  f->processing.observe(3'000);
  const auto t = baseline_of(
      "kraken,BTC/USD,bid,2.0,600,10,2025-10-01T00:00:00Z,2025-10-10T00:00:00Z\n"
      "coinbase,BTC-USD,bid,2,200,10,2025-10-01T00:00:00Z,2025-10-10T00:00:00Z\n"
      "coinbase,BTC-USD,ask,2,800,10,2025-10-01T00:00:00Z,2025-10-10T00:00:00Z\n");
  const feed::usd_rates rates({}, b);
  const auto v = feed::take_view(b, rates, &t, two_bands(), fixture_now);

  const auto* kb = v.find(venue::kraken, "BTC/USD");
  REQUIRE(kb->baseline_usd(1, side::bid));
  CHECK(*kb->baseline_usd(1, side::bid) == 600.0);  // "2.0" in the file is the 2 % band
  CHECK(*kb->baseline_ratio(1, side::bid) == Approx(0.5));
  CHECK_FALSE(kb->baseline_usd(0, side::bid));
  CHECK(v.find(venue::coinbase, "BTC-USD")->baseline_usd(1, side::ask));
  CHECK_FALSE(v.find(venue::coinbase, "BTC-USD")->baseline_ratio(1, side::ask));  // incomplete

  REQUIRE(v.feeds.size() == 1);
  CHECK(v.feeds[0].processing.count == 1);

  auto find_asset = [&](std::string_view base, std::size_t band, side sd) {
    for (const auto& a : v.assets)
      if (a.base == base && a.band == band && a.side == sd) return a;
    FAIL("no aggregate");
    return depth::asset_depth{};
  };
  const auto btc_bid = find_asset("BTC", 1, side::bid);
  CHECK(btc_bid.usd == Approx(600.0));
  CHECK(btc_bid.books == 2);
  REQUIRE(btc_bid.ratio);
  CHECK(*btc_bid.ratio == Approx(600.0 / 800.0));
  const auto btc_ask = find_asset("BTC", 1, side::ask);
  CHECK(btc_ask.usd == Approx(400.0));  // coinbase's incomplete band is not added
  CHECK(btc_ask.books == 1);
  CHECK(btc_ask.books_missing == 1);
  CHECK_FALSE(btc_ask.ratio);  // the one baseline belongs to the missing book
  CHECK(find_asset("ETH", 0, side::ask).usd == Approx(200.0));
}
