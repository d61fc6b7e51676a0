// Source (a): the daemon's history store (the real SQLite store) through samples_from_history
// into the builder.
#include <catch2/catch.hpp>

#include <filesystem>

#include "baseline/builder.hpp"
#include "baseline/history_store.hpp"
#include "baseline/sources.hpp"

using namespace depthmon;
namespace fs = std::filesystem;

namespace {

constexpr core::unix_nanos k_t0 = 1'759'276'800'000'000'000;  // 2025-10-01T00:00:00Z
constexpr core::unix_nanos k_min = 60'000'000'000;

baseline::minute_row row(core::unix_nanos minute, std::optional<double> bid2,
                         std::optional<double> ask2, double bid1) {
  baseline::minute_row r;
  r.venue = core::venue::kraken;
  r.symbol = "BTC/USD";
  r.base = "BTC";
  r.quote = "USD";
  r.minute = minute;
  r.mid = 100000;
  r.live_fraction = 1;
  r.bands = {{{1, 0}, bid1, bid1}, {{2, 0}, bid2, ask2}};
  return r;
}

}  // namespace

// Rows (kraken BTC/USD), 2 % bid / 2 % ask / 1 % bid=ask:
//   23:59 (before the window) 9e9 / 9e9 / 9e9    00:00  100 / 300 / 10
//   00:01  200 / null (incomplete) / 20           00:02  400 / 500 / 30
//   00:03  (00:04 is the window end, exclusive: the 00:04 row is out) 900 / 700 / 40
// --bands 2 drops the 1 % figures. 2 % bid: 100 200 400 900 -> (200 + 400) / 2 = 300;
// 2 % ask: 300 500 700 (the null is no sample) -> 500.
TEST_CASE("history source: the store's complete figures in the window, reduced", "[baseline][history]") {
  const auto dir = fs::temp_directory_path() / ("depthmon_history_source_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string error;
  auto store = baseline::history_store::open((dir / "history.sqlite").string(), error);
  INFO(error);
  REQUIRE(store);
  REQUIRE(store->insert({row(k_t0 - k_min, 9e9, 9e9, 9e9), row(k_t0, 100, 300, 10),
                         row(k_t0 + k_min, 200, std::nullopt, 20), row(k_t0 + 2 * k_min, 400, 500, 30),
                         row(k_t0 + 3 * k_min, 900, 700, 40), row(k_t0 + 4 * k_min, 9e9, 9e9, 9e9)},
                        error));
  baseline::sample_options so;
  so.window_start = k_t0;
  so.window_end = k_t0 + 4 * k_min;
  so.bands_pct = {{2, 0}};
  baseline::build_options bo;
  bo.window_start = so.window_start;
  bo.window_end = so.window_end;
  bo.min_samples = 3;
  baseline::builder b(bo);
  REQUIRE(baseline::samples_from_history(*store, so, [&](const baseline::depth_sample& s) { b.add(s); },
                                         error));
  std::vector<baseline::entry> e;
  std::vector<baseline::shortfall> skipped;
  REQUIRE(b.reduce(e, skipped, error));
  REQUIRE(e.size() == 2);
  CHECK(e[0].venue == core::venue::kraken);
  CHECK(e[0].symbol == "BTC/USD");
  CHECK(e[0].side == core::side::bid);
  CHECK(e[0].depth_usd == 300);
  CHECK(e[0].samples == 4);
  CHECK(e[1].side == core::side::ask);
  CHECK(e[1].depth_usd == 500);
  CHECK(e[1].samples == 3);
  store.reset();
  fs::remove_all(dir);
}
