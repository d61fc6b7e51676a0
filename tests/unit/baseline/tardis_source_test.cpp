// Source (c) on tests/data/baseline/tardis_binance_BTCUSDT.csv (and its .gz), values by hand.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <tuple>

#include "baseline/builder.hpp"
#include "baseline/markets.hpp"
#include "baseline/sources.hpp"

using namespace depthmon;

namespace {

const std::string k_dir = std::string(DEPTHMON_TEST_DATA) + "/baseline/";
constexpr core::unix_nanos k_t0 = 1'759'276'800'000'000'000;  // 2025-10-01T00:00:00Z
constexpr core::unix_nanos k_min = 60'000'000'000;

baseline::sample_options options() {
  baseline::sample_options o;
  o.window_start = k_t0;
  o.window_end = k_t0 + 10 * k_min;
  o.bands_pct = {{1, 0}, {2, 0}, {5, 0}};
  o.usd_per_quote["USDT"] = 1.0;
  return o;
}

using key = std::tuple<core::side, std::int64_t /* band % */, core::unix_nanos /* minute */>;

std::map<key, double> collect(const std::string& file, const baseline::sample_options& o) {
  std::map<key, double> out;
  std::string error;
  const bool ok = baseline::samples_from_tardis({file}, o, [&](const baseline::depth_sample& s) {
    CHECK(s.venue == core::venue::binance);
    CHECK(s.symbol == "BTCUSDT");
    REQUIRE(s.band_pct.scale == 0);
    const auto [it, fresh] = out.emplace(key{s.side, s.band_pct.mantissa, (s.time - k_t0) / k_min}, s.depth_usd);
    CHECK(fresh);  // one sample per key and minute
  }, error);
  INFO(error);
  REQUIRE(ok);
  return out;
}

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/depthmon_tardis_test_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

const std::string k_header =
    "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\n";

}  // namespace

// The fixture, minute by minute (prices in USDT, USDT = 1 USD). First snapshot at 00:00:00.5:
// bids 100000x1 99500x2 98000x3 97000x1, asks 100010x1 100500x2 102000x1 103000x1; the
// snapshot reaches down to bid 97000 and up to ask 103000 (coverage).
//  00:01 (after 00:00:30 bid 100000 -> 0.5): mid 100005
//        1 %: bid edge 99004.95: 0.5*100000 + 2*99500 = 249000; ask edge 101005.05:
//             100010 + 2*100500 = 301010.  2 %: bid edge 98004.9: 249000 (98000 is out);
//             ask edge 102005.1: 301010 + 102000 = 403010.  5 %: bid edge 95004.75 is below
//             the snapshot's deepest bid 97000: incomplete, no sample (likewise the ask).
//  00:02 (after 00:01:10 ask 100010 removed): mid (100000 + 100500) / 2 = 100250
//        1 %: bid edge 99247.5: 249000; ask edge 101252.5: 201000.
//        2 %: bid edge 98245: 249000; ask edge 102255: 201000 + 102000 = 303000.
//  00:03 (after 00:02:05 bid 99900 x1 added; the 00:03:00 row comes after the boundary):
//        1 %: bid 249000 + 99900 = 348900; ask 201000.  2 %: bid 348900; ask 303000.
//  00:03:10 a new snapshot (reconnect) resets the book: bids 100000x2 99000x1, asks 100100x1
//        101000x1; coverage now down to 99000 and up to 101000.
//  00:04 mid 100050: 1 % bid edge 99049.5: 2*100000 = 200000; 1 % ask edge 101050.5 lies
//        beyond 101000: incomplete. 2 % edges (98049, 102051) beyond both: incomplete.
//  00:05, 00:06 (after 00:04:05 bid 99000 -> 2; the next row is at 00:06:40): 1 % bid 200000.
TEST_CASE("tardis: the fixture's samples, minute by minute", "[baseline][tardis]") {
  const auto s = collect(k_dir + "tardis_binance_BTCUSDT.csv", options());
  using core::side;
  const std::map<key, double> expected{
      {{side::bid, 1, 1}, 249000}, {{side::ask, 1, 1}, 301010},
      {{side::bid, 2, 1}, 249000}, {{side::ask, 2, 1}, 403010},
      {{side::bid, 1, 2}, 249000}, {{side::ask, 1, 2}, 201000},
      {{side::bid, 2, 2}, 249000}, {{side::ask, 2, 2}, 303000},
      {{side::bid, 1, 3}, 348900}, {{side::ask, 1, 3}, 201000},
      {{side::bid, 2, 3}, 348900}, {{side::ask, 2, 3}, 303000},
      {{side::bid, 1, 4}, 200000}, {{side::bid, 1, 5}, 200000}, {{side::bid, 1, 6}, 200000},
  };
  CHECK(s == expected);
}

TEST_CASE("tardis: the .gz file gives the same samples as the plain one", "[baseline][tardis]") {
  CHECK(collect(k_dir + "tardis_binance_BTCUSDT.csv.gz", options()) ==
        collect(k_dir + "tardis_binance_BTCUSDT.csv", options()));
}

TEST_CASE("tardis: USD valuation through the quote's rate; window bounds", "[baseline][tardis]") {
  auto o = options();
  o.usd_per_quote["USDT"] = 0.5;
  o.window_start = k_t0 + 2 * k_min;  // 00:02 inclusive
  o.window_end = k_t0 + 4 * k_min;    // 00:04 exclusive
  const auto s = collect(k_dir + "tardis_binance_BTCUSDT.csv", o);
  REQUIRE(s.size() == 8);  // minutes 2 and 3, two bands, two sides
  CHECK(s.at({core::side::bid, 1, 3}) == 348900 * 0.5);
  CHECK(s.at({core::side::ask, 2, 2}) == 303000 * 0.5);
}

TEST_CASE("tardis: the fixture reduced to medians", "[baseline][tardis]") {
  baseline::build_options bo;
  bo.window_start = k_t0;
  bo.window_end = k_t0 + 10 * k_min;
  bo.min_samples = 3;
  baseline::builder b(bo);
  std::string error;
  REQUIRE(baseline::samples_from_tardis({k_dir + "tardis_binance_BTCUSDT.csv.gz"}, options(),
                                        [&](const baseline::depth_sample& s) { b.add(s); }, error));
  std::vector<baseline::entry> e;
  std::vector<baseline::shortfall> skipped;
  REQUIRE(b.reduce(e, skipped, error));
  REQUIRE(e.size() == 4);  // sorted bid before ask, then band
  // bid 1 %: 200000 200000 200000 249000 249000 348900 -> (200000 + 249000) / 2 = 224500
  CHECK(e[0].side == core::side::bid);
  CHECK(e[0].band_pct == core::decimal{1, 0});
  CHECK(e[0].depth_usd == 224500);
  CHECK(e[0].samples == 6);
  // bid 2 %: 249000 249000 348900 -> 249000
  CHECK(e[1].depth_usd == 249000);
  CHECK(e[1].samples == 3);
  // ask 1 %: 301010 201000 201000 -> 201000; ask 2 %: 403010 303000 303000 -> 303000
  CHECK(e[2].side == core::side::ask);
  CHECK(e[2].depth_usd == 201000);
  CHECK(e[3].depth_usd == 303000);
}

TEST_CASE("tardis: bad input names the file, the line and what was expected", "[baseline][tardis]") {
  const auto o = options();
  auto error_of = [&](const std::string& name, const std::string& text) {
    const auto path = write_temp(name, text);
    std::string error;
    CHECK_FALSE(baseline::samples_from_tardis({path}, o, [](const baseline::depth_sample&) {}, error));
    std::remove(path.c_str());
    return std::make_pair(path, error);
  };
  const std::string good = "binance,BTCUSDT,1759276800000000,1759276800000000,true,bid,100,1\n";
  {
    auto [p, e] = error_of("side.csv", k_header + good +
                                           "binance,BTCUSDT,1759276800000000,1759276800000000,"
                                           "true,buy,100,1\n");
    CHECK(e == p + ":3: side: expected bid or ask, found \"buy\"");
  }
  {
    auto [p, e] = error_of("amount.csv", k_header + good +
                                             "binance,BTCUSDT,1,1759276800000000,false,ask,101,-1\n");
    CHECK(e == p + ":3: amount: expected a decimal >= 0, found \"-1\"");
  }
  {
    auto [p, e] = error_of("fields.csv", k_header + "binance,BTCUSDT,1,2,true,bid,100\n");
    CHECK(e.starts_with(p + ":2: expected 8 fields"));
  }
  {
    auto [p, e] = error_of("header.csv", "exchange,symbol,timestamp\n" + good);
    CHECK(e.starts_with(p + ":1: expected the Tardis incremental_book_L2 header"));
  }
  {
    auto [p, e] = error_of("exchange.csv", k_header + "ftx,BTC-PERP,1,1,true,bid,100,1\n");
    CHECK(e.starts_with(p + ":2: unknown Tardis exchange \"ftx\""));
  }
  {
    auto [p, e] = error_of("rate.csv", k_header + "binance,ETHBTC,1,1,true,bid,0.03,1\n");
    CHECK(e == p + ":2: no USD rate for BTC (quote of binance ETHBTC): pass --rate BTC=<USD per unit>");
  }
  {
    auto [p, e] = error_of("contracts.csv", k_header + "okex-swap,BTC-USDT-SWAP,1,1,true,bid,100,1\n");
    CHECK(e.find("BTC-USDT-SWAP=X") != std::string::npos);
  }
  std::string error;
  CHECK_FALSE(baseline::samples_from_tardis({k_dir + "no-such.csv"}, o,
                                            [](const baseline::depth_sample&) {}, error));
  CHECK(error.starts_with(k_dir + "no-such.csv: cannot open"));
}

// Tardis prints numbers as JavaScript does, so prices under 1e-6 come in exponent form.
// bid 9.5e-7 x 1000000 = 0.95 USDT, ask 0.00000105 x 1000000 = 1.05 USDT; mid 1e-6; the 10 %
// band's edges 9e-7 and 1.1e-6 hold those two levels; 8e-7 and 1.2e-6 lie outside (they only
// take the snapshot's coverage past the edges): bid 0.95, ask 1.05 (USDT = 1) at 00:01.
TEST_CASE("tardis: exponent-form numbers are read exactly", "[baseline][tardis]") {
  auto o = options();
  o.bands_pct = {{10, 0}};
  const auto path = write_temp("exp.csv", k_header +
      "binance,PEPEUSDT,1759276800000000,1759276800000000,true,bid,9.5e-7,1e+6\n"
      "binance,PEPEUSDT,1759276800000000,1759276800000000,true,bid,8E-7,5\n"
      "binance,PEPEUSDT,1759276800000000,1759276800000000,true,ask,0.00000105,1000000\n"
      "binance,PEPEUSDT,1759276800000000,1759276800000000,true,ask,0.0000012,5\n"
      "binance,PEPEUSDT,1759276861000000,1759276861000000,false,ask,0.00000106,1\n");
  std::map<core::side, double> got;
  std::string error;
  REQUIRE(baseline::samples_from_tardis({path}, o, [&](const baseline::depth_sample& s) {
    CHECK(s.symbol == "PEPEUSDT");
    CHECK(s.time == k_t0 + k_min);
    got[s.side] = s.depth_usd;
  }, error));
  std::remove(path.c_str());
  REQUIRE(got.size() == 2);
  CHECK(got[core::side::bid] == Approx(0.95).epsilon(1e-12));
  CHECK(got[core::side::ask] == Approx(1.05).epsilon(1e-12));
}

TEST_CASE("tardis: a truncated .gz is a read error, not a short success", "[baseline][tardis]") {
  std::ifstream in(k_dir + "tardis_binance_BTCUSDT.csv.gz", std::ios::binary);
  std::string gz((std::istreambuf_iterator<char>(in)), {});
  const auto path = write_temp("cut.csv.gz", gz.substr(0, gz.size() - 12));
  std::string error;
  CHECK_FALSE(baseline::samples_from_tardis({path}, options(),
                                            [](const baseline::depth_sample&) {}, error));
  CHECK(error.find(path + ":") == 0);
  INFO(error);
  CHECK(error.find("read error") != std::string::npos);
  std::remove(path.c_str());
}

TEST_CASE("markets: Tardis exchange ids and symbols to depthmon venues", "[baseline][markets]") {
  struct row {
    std::string_view exchange, symbol;
    core::venue venue;
    std::string_view venue_symbol, quote;
  };
  const row rows[] = {
      {"binance", "BTCUSDT", core::venue::binance, "BTCUSDT", "USDT"},
      {"binance", "ETHFDUSD", core::venue::binance, "ETHFDUSD", "FDUSD"},
      {"binance-futures", "BTCUSDT", core::venue::binance_usdm, "BTCUSDT", "USDT"},
      {"coinbase", "BTC-USD", core::venue::coinbase, "BTC-USD", "USD"},
      {"kraken", "XBT/USD", core::venue::kraken, "BTC/USD", "USD"},
      {"kraken", "XDG/EUR", core::venue::kraken, "DOGE/EUR", "EUR"},
      {"okex", "BTC-USDT", core::venue::okx, "BTC-USDT", "USDT"},
      {"okex-swap", "BTC-USDT-SWAP", core::venue::okx, "BTC-USDT-SWAP", "USDT"},
      {"bybit", "BTCUSDT", core::venue::bybit, "BTCUSDT", "USDT"},
      {"bybit-spot", "SOLUSDC", core::venue::bybit, "SOLUSDC", "USDC"},
      {"bitstamp", "BTCUSD", core::venue::bitstamp, "btcusd", "USD"},
      {"hyperliquid", "BTC", core::venue::hyperliquid, "BTC", "USDC"},
  };
  std::string why;
  for (const auto& r : rows) {
    INFO(r.exchange << " " << r.symbol);
    const auto m = baseline::tardis_market(r.exchange, r.symbol, why);
    REQUIRE(m);
    CHECK(m->venue == r.venue);
    CHECK(m->symbol == r.venue_symbol);
    CHECK(m->quote == r.quote);
  }
  CHECK(baseline::tardis_market("okex-swap", "BTC-USDT-SWAP", why)->amounts_in_contracts);
  CHECK_FALSE(baseline::tardis_market("binance", "BTCXYZ", why));
  CHECK(why.find("does not split") != std::string::npos);
}
