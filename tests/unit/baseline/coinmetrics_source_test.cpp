// Source (d) on tests/data/baseline/coinmetrics_market_metrics.csv, values by hand.
#include <catch2/catch.hpp>

#include <fstream>

#include "baseline/builder.hpp"
#include "baseline/markets.hpp"
#include "baseline/sources.hpp"

using namespace depthmon;

namespace {

const std::string k_file = std::string(DEPTHMON_TEST_DATA) + "/baseline/coinmetrics_market_metrics.csv";

std::vector<baseline::entry> build(const baseline::sample_options& so, std::uint64_t min_samples,
                                   std::vector<baseline::shortfall>& skipped, bool& ok,
                                   std::string& error) {
  baseline::build_options bo;  // the default window, 2025-10-01T00:00Z/2025-10-10T00:00Z
  bo.min_samples = min_samples;
  bo.skip_insufficient = true;
  baseline::builder b(bo);
  std::vector<baseline::entry> out;
  ok = baseline::samples_from_coinmetrics({k_file}, so,
                                          [&](const baseline::depth_sample& s) { b.add(s); }, error) &&
       b.reduce(out, skipped, error);
  return out;
}

const baseline::entry* find(const std::vector<baseline::entry>& es, core::venue v, core::side s,
                            std::int64_t pct_mantissa, unsigned pct_scale) {
  for (const auto& e : es)
    if (e.venue == v && e.side == s && e.band_pct == core::decimal{pct_mantissa, static_cast<std::uint8_t>(pct_scale)})
      return &e;
  return nullptr;
}

}  // namespace

// In the window (the 2025-09-30T23:00 and 2025-10-10T00:00 rows are outside: end exclusive):
// binance-btc-usdt-spot -> binance BTCUSDT, three hours:
//   0.1 % ask 150000.5 160000.5 170000.5 -> median 160000.5; 0.1 % bid 140000 130000 150000
//   -> 140000; 1 % ask 2000000 2100000 1900000 -> 2000000; 1 % bid 1800000, (empty), 1700000
//   -> two samples, (1800000 + 1700000) / 2 = 1750000; 2 % ask -> 4000000; 2 % bid -> 3500000.
// coinbase-btc-usd-spot -> coinbase BTC-USD, two hours, medians are means of two:
//   0.1 % ask (50000 + 70000) / 2 = 60000; 1 % bid (800000 + 850000) / 2 = 825000;
//   2 % bid (1400000 + 1450001) / 2 = 1425000.5.
TEST_CASE("coinmetrics: the fixture's medians", "[baseline][coinmetrics]") {
  std::vector<baseline::shortfall> skipped;
  bool ok = false;
  std::string error;
  const auto es = build({}, 2, skipped, ok, error);
  INFO(error);
  REQUIRE(ok);
  CHECK(skipped.empty());
  REQUIRE(es.size() == 12);  // 2 markets x 3 bands x 2 sides
  using core::side;
  using core::venue;
  CHECK(find(es, venue::binance, side::ask, 1, 1)->depth_usd == 160000.5);
  CHECK(find(es, venue::binance, side::ask, 1, 1)->samples == 3);
  CHECK(find(es, venue::binance, side::bid, 1, 1)->depth_usd == 140000);
  CHECK(find(es, venue::binance, side::ask, 1, 0)->depth_usd == 2000000);
  CHECK(find(es, venue::binance, side::bid, 1, 0)->depth_usd == 1750000);
  CHECK(find(es, venue::binance, side::bid, 1, 0)->samples == 2);
  CHECK(find(es, venue::binance, side::ask, 2, 0)->depth_usd == 4000000);
  CHECK(find(es, venue::binance, side::bid, 2, 0)->depth_usd == 3500000);
  CHECK(find(es, venue::coinbase, side::ask, 1, 1)->depth_usd == 60000);
  CHECK(find(es, venue::coinbase, side::bid, 1, 0)->depth_usd == 825000);
  CHECK(find(es, venue::coinbase, side::bid, 2, 0)->depth_usd == 1425000.5);
  CHECK(find(es, venue::binance, side::bid, 2, 0)->symbol == "BTCUSDT");
  CHECK(find(es, venue::coinbase, side::bid, 2, 0)->symbol == "BTC-USD");
}

TEST_CASE("coinmetrics: --bands narrows the columns; too few samples are listed", "[baseline][coinmetrics]") {
  baseline::sample_options so;
  so.bands_pct = {{1, 0}};
  std::vector<baseline::shortfall> skipped;
  bool ok = false;
  std::string error;
  const auto es = build(so, 3, skipped, ok, error);
  REQUIRE(ok);
  // binance 1 % ask has 3 samples; binance 1 % bid 2, coinbase 1 % 2 and 2: skipped.
  REQUIRE(es.size() == 1);
  CHECK(es[0].venue == core::venue::binance);
  CHECK(es[0].side == core::side::ask);
  REQUIRE(skipped.size() == 3);
  CHECK(skipped[0].to_string(3) ==
        "binance BTCUSDT bid 1 %: 2 samples in the window, fewer than the 3 required (--min-samples)");
}

TEST_CASE("coinmetrics: bad input names the file and the line", "[baseline][coinmetrics]") {
  auto error_of = [](const std::string& text) {
    const std::string path = "/tmp/depthmon_cm_test_" + std::to_string(::getpid()) + ".csv";
    std::ofstream(path, std::ios::binary) << text;
    std::string error;
    CHECK_FALSE(baseline::samples_from_coinmetrics({path}, {}, [](const baseline::depth_sample&) {},
                                                   error));
    std::remove(path.c_str());
    return error.substr(error.find(':') + 1);  // without the temporary path
  };
  const std::string h = "market,time,liquidity_depth_2_percent_bid_volume_usd\n";
  CHECK(error_of(h + "binance-btc-usdt-spot,2025-10-01T00:00:00Z,12.5\n"
                     "binance-btc-usdt-spot,2025-10-01T01:00:00Z,abc\n") ==
        "3: column 3: expected a USD amount >= 0 or an empty cell, found \"abc\"");
  CHECK(error_of(h + "binance-btc-usdt-spot,yesterday,1\n") ==
        "2: time: expected an RFC 3339 UTC time, found \"yesterday\"");
  CHECK(error_of(h + "binance-btc-usdt-spot,2025-10-01T00:00:00Z\n") ==
        "2: expected 3 fields as in the header, found 2");
  CHECK(error_of(h + "binance-BTCUSDT-future,2025-10-01T00:00:00Z,1\n") ==
        "2: market \"binance-BTCUSDT-future\": expected a spot market id exchange-base-quote-spot");
  CHECK(error_of("asset,time,PriceUSD\n").starts_with("1: expected the Coin Metrics header"));
  CHECK(error_of("market,time,volume_reported_spot_usd_1h\n") ==
        "1: no liquidity_depth_{X}_percent_{bid|ask}_volume_usd column");
}

TEST_CASE("markets: Coin Metrics market ids to depthmon venues and symbols", "[baseline][markets]") {
  std::string why;
  auto m = baseline::coinmetrics_market("binance-btc-usdt-spot", why);
  REQUIRE(m);
  CHECK(m->venue == core::venue::binance);
  CHECK(m->symbol == "BTCUSDT");
  CHECK(baseline::coinmetrics_market("coinbase-btc-usd-spot", why)->symbol == "BTC-USD");
  CHECK(baseline::coinmetrics_market("kraken-btc-usd-spot", why)->symbol == "BTC/USD");
  CHECK(baseline::coinmetrics_market("okex-eth-usdt-spot", why)->symbol == "ETH-USDT");
  CHECK(baseline::coinmetrics_market("bybit-sol-usdt-spot", why)->symbol == "SOLUSDT");
  CHECK(baseline::coinmetrics_market("bitstamp-btc-usd-spot", why)->symbol == "btcusd");
  CHECK_FALSE(baseline::coinmetrics_market("gemini-btc-usd-spot", why));
  CHECK(why.find("unknown Coin Metrics exchange \"gemini\"") != std::string::npos);
  CHECK_FALSE(baseline::coinmetrics_market("btc-usd-spot", why));
}
