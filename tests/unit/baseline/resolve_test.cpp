// baseline::resolve over a real history store: the file beats the history window, which beats
// the trailing window; too few samples give no baseline and say how many there were. Every
// expected figure is worked out by hand in the comments.
#include "baseline/resolve.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

using namespace depthmon;
namespace fs = std::filesystem;

namespace {

constexpr core::unix_nanos k_min = 60'000'000'000;
constexpr core::unix_nanos k_win = 1'759'276'800'000'000'000;  // 2025-10-01T00:00:00Z
constexpr core::unix_nanos k_now = k_win + 30LL * 24 * 60 * k_min;  // 30 days later

// One row per value: the 2 % band's bid (and ask) depth, minute by minute from `start`.
void add(baseline::history_store& s, core::venue v, const std::string& sym, core::unix_nanos start,
         const std::vector<std::optional<double>>& bid, const std::vector<std::optional<double>>& ask = {}) {
  std::vector<baseline::minute_row> rows;
  for (std::size_t i = 0; i < bid.size(); ++i) {
    baseline::minute_row r;
    r.venue = v;
    r.symbol = sym;
    r.minute = start + static_cast<core::unix_nanos>(i) * k_min;
    r.live_fraction = 1;
    r.bands = {{{2, 0}, bid[i], i < ask.size() ? ask[i] : std::nullopt}};
    rows.push_back(r);
  }
  std::string err;
  REQUIRE(s.insert(rows, err));
}

std::unique_ptr<baseline::history_store> store(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("depthmon_resolve_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string err;
  auto s = baseline::history_store::open((dir / "h.sqlite").string(), err);
  REQUIRE(s);
  return s;
}

baseline::resolve_inputs inputs(const baseline::history_store* s) {
  baseline::resolve_inputs in;
  in.store = s;
  in.books = {{core::venue::binance, "BTCUSDT"}, {core::venue::okx, "BTC-USDT"}, {core::venue::kraken, "BTC/USD"}};
  in.bands_pct = {{2, 0}};
  in.window_start = k_win;
  in.window_end = k_win + 9LL * 24 * 60 * k_min;
  in.min_samples = 3;
  in.trailing_window = std::chrono::hours(24);
  in.now = k_now;
  return in;
}

}  // namespace

TEST_CASE("resolve: file beats history beats trailing median; too few samples is no baseline, with counts",
          "[baseline]") {
  auto s = store("order");
  // binance: window bid 40, 10, 30, 20 (and a NULL, not a sample): median (20 + 30) / 2 = 25;
  // its trailing samples (1000, 2000, 3000) must not win over the window.
  add(*s, core::venue::binance, "BTCUSDT", k_win + k_min, {40.0, std::nullopt, 10.0, 30.0, 20.0}, {1.0, 1.0, 1.0, 1.0, 1.0});
  add(*s, core::venue::binance, "BTCUSDT", k_now - 10 * k_min, {1000.0, 2000.0, 3000.0});
  // okx: nothing in the window; trailing bid 5, 1, 3: median 3. One sample just before the
  // trailing window (k_now - 24 h - 1 min) does not count, nor one at k_now (exclusive).
  add(*s, core::venue::okx, "BTC-USDT", k_now - 24 * 60 * k_min - k_min, {99.0});
  add(*s, core::venue::okx, "BTC-USDT", k_now - 3 * k_min, {5.0, 1.0, 3.0, 77.0});
  // kraken: 2 in the window, 2 trailing: below min_samples = 3 in both.
  add(*s, core::venue::kraken, "BTC/USD", k_win, {1.0, 2.0});
  add(*s, core::venue::kraken, "BTC/USD", k_now - 2 * k_min, {1.0, 2.0});

  // The file has binance's 2 % ask only.
  baseline::table file;
  std::vector<baseline::load_error> errors;
  REQUIRE(baseline::parse_baseline(std::string(baseline::file_header) +
                                       "\nbinance,BTCUSDT,ask,2,123456,500,2025-09-01T00:00:00Z,2025-09-02T00:00:00Z\n",
                                   "b.csv", file, errors));
  auto in = inputs(s.get());
  in.file = &file;
  baseline::resolved r;
  std::string err;
  REQUIRE(baseline::resolve(in, r, err));
  const auto& t = *r.baseline;

  const auto* ask = t.find(core::venue::binance, "BTCUSDT", core::side::ask, {2, 0});
  REQUIRE(ask);
  CHECK(ask->from == baseline::source::file);
  CHECK(ask->depth_usd == 123456);  // the window's asks (all 1.0) lose to the file
  CHECK(ask->samples == 500);

  const auto* bid = t.find(core::venue::binance, "BTCUSDT", core::side::bid, {2, 0});
  REQUIRE(bid);
  CHECK(bid->from == baseline::source::history);
  CHECK(bid->depth_usd == 25.0);
  CHECK(bid->samples == 4);
  CHECK(bid->window_start == in.window_start);
  CHECK(bid->window_end == in.window_end);

  const auto* okx = t.find(core::venue::okx, "BTC-USDT", core::side::bid, {20, 1});
  REQUIRE(okx);
  CHECK(okx->from == baseline::source::trailing_median);
  CHECK(okx->depth_usd == 3.0);
  CHECK(okx->samples == 3);
  CHECK(okx->window_start == k_now - 24 * 60 * k_min);
  CHECK(okx->window_end == k_now);

  CHECK_FALSE(t.find(core::venue::kraken, "BTC/USD", core::side::bid, {2, 0}));
  CHECK(r.count(baseline::source::file) == 1);
  CHECK(r.count(baseline::source::history) == 1);
  CHECK(r.count(baseline::source::trailing_median) == 1);

  // Missing: okx ask (no samples), kraken bid (2 and 2) and kraken ask (none).
  REQUIRE(r.missing.size() == 3);
  INFO(baseline::to_json(r));
  const baseline::missing_entry* kraken_bid = nullptr;
  for (const auto& m : r.missing)
    if (m.venue == core::venue::kraken && m.side == core::side::bid) kraken_bid = &m;
  REQUIRE(kraken_bid);
  CHECK(kraken_bid->window_samples == 2);
  CHECK(kraken_bid->trailing_samples == 2);
  CHECK(kraken_bid->reason ==
        "not in the baseline file; fewer than 3 samples in the baseline window (2) and in the trailing window (2)");

  const std::string json = baseline::to_json(r);
  CHECK(json.find("{\"venue\":\"binance\",\"symbol\":\"BTCUSDT\",\"source\":\"mixed\",\"bands\":[") != std::string::npos);
  CHECK(json.find("{\"pct\":2,\"side\":\"bid\",\"source\":\"history\",\"depth_usd\":25,\"samples\":4,"
                  "\"window_start\":\"2025-10-01T00:00:00Z\",\"window_end\":\"2025-10-10T00:00:00Z\"}") !=
        std::string::npos);
  CHECK(json.find("{\"venue\":\"okx\",\"symbol\":\"BTC-USDT\",\"source\":\"trailing_median\"") != std::string::npos);
  CHECK(json.find("{\"venue\":\"kraken\",\"symbol\":\"BTC/USD\",\"side\":\"bid\",\"pct\":2,\"window_samples\":2,"
                  "\"trailing_samples\":2,\"reason\":") != std::string::npos);
  CHECK(json.find("\"file\":\"b.csv\"") != std::string::npos);
}

TEST_CASE("resolve: the configured quantile, interpolated between ranks", "[baseline]") {
  auto s = store("quantile");
  add(*s, core::venue::binance, "BTCUSDT", k_win, {40.0, 10.0, 30.0, 20.0});
  auto in = inputs(s.get());
  in.books.resize(1);
  in.quantile = 0.25;  // rank 0.25 * 3 = 0.75 between 10 and 20: 17.5
  baseline::resolved r;
  std::string err;
  REQUIRE(baseline::resolve(in, r, err));
  const auto* e = r.baseline->find(core::venue::binance, "BTCUSDT", core::side::bid, {2, 0});
  REQUIRE(e);
  CHECK(e->depth_usd == 17.5);
  in.min_samples = 5;  // one more than there are: refused, never a baseline of 4
  REQUIRE(baseline::resolve(in, r, err));
  CHECK(r.baseline->empty());
  REQUIRE(r.missing.size() == 2);
  CHECK(r.missing[0].side == core::side::bid);
  CHECK(r.missing[0].window_samples == 4);
}

TEST_CASE("resolve: without a history store, the file alone; every other band side is missing", "[baseline]") {
  baseline::table file;
  std::vector<baseline::load_error> errors;
  REQUIRE(baseline::parse_baseline(std::string(baseline::file_header) +
                                       "\nokx,BTC-USDT,bid,2,5,7,2025-10-01T00:00:00Z,2025-10-10T00:00:00Z\n"
                                       "okx,ETH-USDT,bid,2,5,7,2025-10-01T00:00:00Z,2025-10-10T00:00:00Z\n",
                                   "b.csv", file, errors));
  auto in = inputs(nullptr);
  in.file = &file;
  baseline::resolved r;
  std::string err;
  REQUIRE(baseline::resolve(in, r, err));
  CHECK(r.baseline->entries().size() == 2);  // a file entry for an unconfigured book stays
  CHECK(r.missing.size() == 5);              // 3 books x 2 sides, less okx bid
  for (const auto& m : r.missing) CHECK(m.reason == "not in the baseline file, and no history store");
}
