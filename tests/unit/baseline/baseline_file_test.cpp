#include "baseline/baseline_file.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>

using namespace depthmon;

namespace {

const std::string k_header = std::string(baseline::file_header) + "\n";
const char* k_window = "2025-10-01T00:00:00Z,2025-10-10T00:00:00Z";

std::string row(const char* fields) { return std::string(fields) + "," + k_window + "\n"; }

// The one error parsing `text` reports.
std::string only_error(const std::string& text) {
  baseline::table t;
  std::vector<baseline::load_error> errors;
  CHECK_FALSE(baseline::parse_baseline(text, "b.csv", t, errors));
  CHECK(t.empty());
  REQUIRE(errors.size() == 1);
  return errors[0].to_string();
}

}  // namespace

TEST_CASE("baseline file: a good file, looked up by venue, symbol, side and band",
          "[baseline]") {
  const std::string text = k_header + row("kraken,BTC/USD,bid,2,1250000.5,12960") +
                           "\r\n" + row("kraken,BTC/USD,ask,2.0,1300000,12960") +
                           row("binance,BTCUSDT,bid,0.1,50000,100");
  baseline::table t;
  std::vector<baseline::load_error> errors;
  REQUIRE(baseline::parse_baseline(text, "b.csv", t, errors));
  CHECK(errors.empty());
  REQUIRE(t.entries().size() == 3);
  const auto* e = t.find(core::venue::kraken, "BTC/USD", core::side::bid, {2, 0});
  REQUIRE(e);
  CHECK(e->depth_usd == 1250000.5);
  CHECK(e->samples == 12960);
  CHECK(e->line == 2);
  CHECK(e->window_start == *core::parse_rfc3339("2025-10-01T00:00:00Z"));
  CHECK(e->window_end == *core::parse_rfc3339("2025-10-10T00:00:00Z"));
  CHECK(t.depth_usd(core::venue::kraken, "BTC/USD", core::side::ask, {20, 1}) == 1300000.0);
  CHECK_FALSE(t.find(core::venue::kraken, "BTC/USD", core::side::bid, {1, 0}));
  CHECK_FALSE(t.find(core::venue::binance, "BTCUSDT", core::side::ask, {1, 1}));
  CHECK(t.find(core::venue::binance, "BTCUSDT", core::side::bid, {1, 1}));
  CHECK_FALSE(t.find(core::venue::okx, "BTC/USD", core::side::bid, {2, 0}));

  CHECK(baseline::to_json(t) ==
        "{\"source\":\"file\",\"file\":\"b.csv\",\"books\":["
        "{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"source\":\"file\",\"bands\":["
        "{\"pct\":0.1,\"side\":\"bid\",\"depth_usd\":50000,\"samples\":100,"
        "\"window_start\":\"2025-10-01T00:00:00Z\",\"window_end\":\"2025-10-10T00:00:00Z\"}]},"
        "{\"venue\":\"kraken\",\"symbol\":\"BTC/USD\",\"source\":\"file\",\"bands\":["
        "{\"pct\":2,\"side\":\"bid\",\"depth_usd\":1250000.5,\"samples\":12960,"
        "\"window_start\":\"2025-10-01T00:00:00Z\",\"window_end\":\"2025-10-10T00:00:00Z\"},"
        "{\"pct\":2,\"side\":\"ask\",\"depth_usd\":1300000,\"samples\":12960,"
        "\"window_start\":\"2025-10-01T00:00:00Z\",\"window_end\":\"2025-10-10T00:00:00Z\"}]}]}");
}

TEST_CASE("baseline file: each error with file and line", "[baseline]") {
  CHECK(only_error("") == "b.csv:1: empty file: expected the header line");
  CHECK(only_error("venue,symbol,side\n") ==
        "b.csv:1: expected the header line \"venue,symbol,side,band_pct,depth_usd,samples,"
        "window_start,window_end\"");
  CHECK(only_error(k_header + "kraken,BTC/USD,bid,2,100\n") ==
        "b.csv:2: expected 8 fields, found 5");
  CHECK(only_error(k_header + row("\"kraken\",BTC/USD,bid,2,100,1")) ==
        "b.csv:2: quoted fields are not supported");
  CHECK(only_error(k_header + row("krakn,BTC/USD,bid,2,100,1")) ==
        "b.csv:2: venue: unknown venue \"krakn\"");
  CHECK(only_error(k_header + row("kraken,,bid,2,100,1")) == "b.csv:2: symbol: empty");
  CHECK(only_error(k_header + row("kraken,BTC/USD,buy,2,100,1")) ==
        "b.csv:2: side: expected bid or ask, found \"buy\"");
  CHECK(only_error(k_header + row("kraken,BTC/USD,bid,100,100,1")) ==
        "b.csv:2: band_pct: expected a decimal in (0, 100), found \"100\"");
  CHECK(only_error(k_header + row("kraken,BTC/USD,bid,two,100,1")) ==
        "b.csv:2: band_pct: expected a decimal in (0, 100), found \"two\"");
  CHECK(only_error(k_header + row("kraken,BTC/USD,bid,2,-1,1")) ==
        "b.csv:2: depth_usd: expected a decimal >= 0, found \"-1\"");
  CHECK(only_error(k_header + row("kraken,BTC/USD,bid,2,100,0")) ==
        "b.csv:2: samples: expected an integer >= 1, found \"0\"");
  CHECK(only_error(k_header + row("kraken,BTC/USD,bid,2,100,1.5")) ==
        "b.csv:2: samples: expected an integer >= 1, found \"1.5\"");
  CHECK(only_error(k_header + "kraken,BTC/USD,bid,2,100,1,2025-10-01,2025-10-10T00:00:00Z\n") ==
        "b.csv:2: window_start: expected an RFC 3339 UTC time, found \"2025-10-01\"");
  CHECK(only_error(k_header + "kraken,BTC/USD,bid,2,100,1,2025-10-01T00:00:00Z,x\n") ==
        "b.csv:2: window_end: expected an RFC 3339 UTC time, found \"x\"");
  CHECK(only_error(k_header +
                   "kraken,BTC/USD,bid,2,100,1,2025-10-10T00:00:00Z,2025-10-01T00:00:00Z\n") ==
        "b.csv:2: window_end: not after window_start");
  CHECK(only_error(k_header + row("kraken,BTC/USD,bid,2,100,1") + "\n" +
                   row("kraken,BTC/USD,bid,2.00,200,1")) ==
        "b.csv:4: duplicate of line 2 (same venue, symbol, side and band_pct)");
}

TEST_CASE("baseline file: every error is reported, in line order", "[baseline]") {
  baseline::table t;
  std::vector<baseline::load_error> errors;
  const std::string text = k_header + row("kraken,BTC/USD,bid,2,100,1") +
                           row("kraken,BTC/USD,bid,2,100,1") + row("x,BTC/USD,bid,2,100,1");
  CHECK_FALSE(baseline::parse_baseline(text, "b.csv", t, errors));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].line == 3);  // the duplicate, found after the row pass
  CHECK(errors[1].line == 4);
}

TEST_CASE("baseline file: load_baseline reads the file, or says it cannot", "[baseline]") {
  const std::string path = "baseline_file_test.csv";
  {
    std::ofstream out(path);
    out << k_header << row("okx,BTC-USDT,ask,5,42,7");
  }
  baseline::table t;
  std::vector<baseline::load_error> errors;
  REQUIRE(baseline::load_baseline(path, t, errors));
  CHECK(t.file() == path);
  CHECK(t.depth_usd(core::venue::okx, "BTC-USDT", core::side::ask, {5, 0}) == 42.0);
  std::remove(path.c_str());
  CHECK_FALSE(baseline::load_baseline(path, t, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].to_string() == path + ": cannot open the baseline file");
}
