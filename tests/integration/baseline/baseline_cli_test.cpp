// `depthmon baseline build|show` end to end: the real binary builds a file from each source (the
// Tardis and Coin Metrics fixtures, a raw recording in the daemon's format, a history store
// under --state-dir); the daemon's loader
// (baseline::load_baseline) reads each file back; bad inputs exit 1 naming file:line and leave
// no file behind.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "baseline/baseline_file.hpp"
#include "baseline/history_store.hpp"
#include "replay/recording.hpp"
#include "support/run.hpp"

using namespace depthmon;
namespace fs = std::filesystem;

namespace {

const std::string k_data = std::string(DEPTHMON_TEST_DATA) + "/baseline/";

struct temp_dir {
  fs::path path;
  explicit temp_dir(const std::string& name)
      : path(fs::temp_directory_path() / ("depthmon_baseline_cli_" + name + "_" + std::to_string(::getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~temp_dir() { fs::remove_all(path); }
  std::string operator/(const std::string& f) const { return (path / f).string(); }
};

baseline::table load(const std::string& path) {
  baseline::table t;
  std::vector<baseline::load_error> errors;
  const bool ok = baseline::load_baseline(path, t, errors);
  for (const auto& e : errors) UNSCOPED_INFO(e.to_string());
  REQUIRE(ok);
  return t;
}

test::run_result cli(std::vector<std::string> args) {
  args.insert(args.begin(), {DEPTHMON_CLI, "baseline"});
  return test::run(args);
}

}  // namespace

TEST_CASE("baseline cli: from Tardis incremental_book_L2 (.csv.gz)", "[baseline][cli]") {
  temp_dir d("tardis");
  const auto r = cli({"build", "--from", "tardis", "--window", "2025-10-01T00:00Z/2025-10-01T00:10Z",
                      "--bands", "1,2", "--rate", "USDT=1", "--min-samples", "3", "--out", d / "b.csv",
                      k_data + "tardis_binance_BTCUSDT.csv.gz"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("wrote " + (d / "b.csv") + ": 4 figures") != std::string::npos);
  const auto t = load(d / "b.csv");
  // Medians worked out in tests/unit/baseline/tardis_source_test.cpp.
  CHECK(t.depth_usd(core::venue::binance, "BTCUSDT", core::side::bid, {1, 0}) == 224500.0);
  CHECK(t.depth_usd(core::venue::binance, "BTCUSDT", core::side::ask, {2, 0}) == 303000.0);
  const auto* e = t.find(core::venue::binance, "BTCUSDT", core::side::bid, {1, 0});
  REQUIRE(e);
  CHECK(e->samples == 6);
  CHECK(core::format_rfc3339(e->window_end) == "2025-10-01T00:10:00Z");

  const auto show = cli({"show", d / "b.csv"});
  CHECK(show.exit_code == 0);
  CHECK(show.out.find("binance") != std::string::npos);
  CHECK(show.out.find("224 500") != std::string::npos);
}

TEST_CASE("baseline cli: from a Coin Metrics export, too few samples refused or skipped", "[baseline][cli]") {
  temp_dir d("cm");
  auto r = cli({"build", "--from", "coinmetrics", "--min-samples", "3", "--out", d / "b.csv",
                k_data + "coinmetrics_market_metrics.csv"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("coinbase BTC-USD bid 2 %: 2 samples in the window, fewer than the 3 required") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(d / "b.csv"));

  r = cli({"build", "--from", "coinmetrics", "--min-samples", "3", "--skip-insufficient", "--out",
           d / "b.csv", k_data + "coinmetrics_market_metrics.csv"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.find("skipped coinbase BTC-USD ask 0.1 %: 2 samples") != std::string::npos);
  const auto t = load(d / "b.csv");
  CHECK(t.entries().size() == 5);
  CHECK(t.depth_usd(core::venue::binance, "BTCUSDT", core::side::ask, {1, 1}) == 160000.5);
  CHECK_FALSE(t.find(core::venue::coinbase, "BTC-USD", core::side::bid, {2, 0}));

  // Default window and min-samples 2: every book; p50 of two hours is their mean.
  r = cli({"build", "--from", "coinmetrics", "--min-samples", "2", "--statistic", "median", "--out",
           d / "all.csv", k_data + "coinmetrics_market_metrics.csv"});
  REQUIRE(r.exit_code == 0);
  CHECK(load(d / "all.csv").depth_usd(core::venue::coinbase, "BTC-USD", core::side::bid, {2, 0}) ==
        1425000.5);
}

TEST_CASE("baseline cli: from the history store under --state-dir", "[baseline][cli]") {
  temp_dir d("history");
  constexpr core::unix_nanos t0 = 1'759'276'800'000'000'000;
  {
    std::string error;
    auto store = baseline::history_store::open(d / "history.sqlite", error);
    INFO(error);
    REQUIRE(store);
    std::vector<baseline::minute_row> rows;
    // okx BTC-USDT 2 % bid: 10, 20, ... 50 over five minutes -> median 30; ask 2 % null at one.
    for (int i = 0; i < 5; ++i) {
      baseline::minute_row r;
      r.venue = core::venue::okx;
      r.symbol = "BTC-USDT";
      r.base = "BTC";
      r.quote = "USDT";
      r.minute = t0 + i * 60'000'000'000LL;
      r.live_fraction = 1;
      r.bands = {{{2, 0}, 10.0 * (i + 1), i == 2 ? std::nullopt : std::optional<double>(7)}};
      rows.push_back(r);
    }
    REQUIRE(store->insert(rows, error));
  }
  const auto r = cli({"build", "--from", "history", "--state-dir", d.path.string(), "--min-samples", "4",
                      "--out", d / "b.csv"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto t = load(d / "b.csv");
  const auto* bid = t.find(core::venue::okx, "BTC-USDT", core::side::bid, {2, 0});
  REQUIRE(bid);
  CHECK(bid->depth_usd == 30);
  CHECK(bid->samples == 5);
  CHECK(t.find(core::venue::okx, "BTC-USDT", core::side::ask, {2, 0})->samples == 4);
  CHECK(core::format_rfc3339(bid->window_start) == "2025-10-01T00:00:00Z");  // the default window

  const auto none = cli({"build", "--from", "history", "--state-dir", d / "nowhere", "--out", d / "x.csv"});
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("no history store") != std::string::npos);
}

// A Coinbase Advanced Trade recording (full-book venue: every band complete), as the daemon's
// recorder writes it: at 00:00:30 bids 100 x 1, 99 x 2, asks 101 x 1, 102 x 3 (mid 100.5); at
// 00:01:30 the 100 bid becomes 5; a last frame at 00:02:10. Samples at 00:01 and 00:02:
// ±1 % bid 100 then 500 -> median 300; ±2 % bid 100 + 198 = 298 then 500 + 198 = 698 -> 498;
// ±2 % ask 101 + 306 = 407 both times -> 407.
TEST_CASE("baseline cli: from a raw recording", "[baseline][cli]") {
  temp_dir d("raw");
  constexpr core::unix_nanos t0 = 1'759'276'800'000'000'000, s = 1'000'000'000;
  auto level = [](const char* side, const char* px, const char* qty) {
    return std::string(R"({"side":")") + side + R"(","event_time":"1970-01-01T00:00:00Z","price_level":")" +
           px + R"(","new_quantity":")" + qty + R"("})";
  };
  auto l2 = [](int seq, const char* type, const std::string& levels) {
    return R"({"channel":"l2_data","client_id":"","timestamp":"2025-10-01T00:00:00Z","sequence_num":)" +
           std::to_string(seq) + R"(,"events":[{"type":")" + type +
           R"(","product_id":"BTC-USD","updates":[)" + levels + "]}]}";
  };
  std::string rec(replay::recording_magic);
  replay::append_record(rec, t0 + 10 * s, "coinbase", 1, 'P', "BTC-USD", "");
  replay::append_record(rec, t0 + 30 * s, "coinbase", 1, 'F', {},
                        l2(0, "snapshot", level("bid", "100", "1") + "," + level("bid", "99", "2") + "," +
                                              level("offer", "101", "1") + "," + level("offer", "102", "3")));
  replay::append_record(rec, t0 + 90 * s, "coinbase", 1, 'F', {}, l2(1, "update", level("bid", "100", "5")));
  replay::append_record(rec, t0 + 130 * s, "coinbase", 1, 'F', {}, l2(2, "update", level("offer", "150", "1")));
  std::ofstream(d / "coinbase.dmrec", std::ios::binary) << rec;

  const auto r = cli({"build", "--from", "raw", "--bands", "1,2", "--min-samples", "2", "--out", d / "b.csv",
                      d / "coinbase.dmrec"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto t = load(d / "b.csv");
  CHECK(t.depth_usd(core::venue::coinbase, "BTC-USD", core::side::bid, {1, 0}) == Approx(300));
  CHECK(t.depth_usd(core::venue::coinbase, "BTC-USD", core::side::bid, {2, 0}) == Approx(498));
  CHECK(t.depth_usd(core::venue::coinbase, "BTC-USD", core::side::ask, {2, 0}) == Approx(407));
  CHECK(t.find(core::venue::coinbase, "BTC-USD", core::side::ask, {1, 0})->samples == 2);
}

TEST_CASE("baseline cli: bad inputs and arguments", "[baseline][cli]") {
  temp_dir d("bad");
  {
    std::ofstream(d / "bad.csv") << "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\n"
                                    "binance,BTCUSDT,1,1,true,bid,100,1\n"
                                    "binance,BTCUSDT,1,1,maybe,bid,100,1\n";
  }
  auto r = cli({"build", "--from", "tardis", "--rate", "USDT=1", "--out", d / "b.csv", d / "bad.csv"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(d / "bad.csv" + ":3: is_snapshot: expected true or false, found \"maybe\"") !=
        std::string::npos);
  CHECK_FALSE(fs::exists(d / "b.csv"));

  {
    std::ofstream(d / "bad_baseline.csv") << baseline::file_header << "\nbinance,BTCUSDT,up,2,1,1,"
                                                                      "2025-10-01T00:00:00Z,2025-10-02T00:00:00Z\n";
  }
  r = cli({"show", d / "bad_baseline.csv"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(d / "bad_baseline.csv" + ":2: side: expected bid or ask") != std::string::npos);

  CHECK(cli({"build", "--from", "ftp", "--out", d / "b.csv", "x"}).exit_code == 2);
  CHECK(cli({"build", "--from", "tardis", "x"}).exit_code == 2);                     // no --out
  CHECK(cli({"build", "--from", "tardis", "--out", d / "b.csv"}).exit_code == 2);    // no INPUT
  r = cli({"build", "--from", "tardis", "--window", "2025-10-10T00:00Z/2025-10-01T00:00Z", "--out",
           d / "b.csv", "x"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--window") != std::string::npos);
  CHECK(cli({"build", "--from", "coinmetrics", "--statistic", "mean", "--out", d / "b.csv", "x"}).exit_code == 2);
  CHECK(cli({"build", "--from", "coinmetrics", "--bands", "0,2", "--out", d / "b.csv", "x"}).exit_code == 2);
}
