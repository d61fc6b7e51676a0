// baseline::builder: bounded per-minute accumulation, the quantile, refusals, the CSV it
// writes and that the daemon's loader reads back.
#include <catch2/catch.hpp>

#include <fstream>

#include "baseline/baseline_file.hpp"
#include "baseline/builder.hpp"

using namespace depthmon;

namespace {

constexpr core::unix_nanos k_t0 = 1'759'276'800'000'000'000;  // 2025-10-01T00:00:00Z
constexpr core::unix_nanos k_min = 60'000'000'000;

baseline::depth_sample sample(core::side s, double usd, core::unix_nanos t,
                              std::string sym = "BTC/USD", core::decimal pct = {2, 0}) {
  baseline::depth_sample d;
  d.venue = core::venue::kraken;
  d.symbol = std::move(sym);
  d.side = s;
  d.band_pct = pct;
  d.depth_usd = usd;
  d.time = t;
  return d;
}

baseline::build_options window(std::uint64_t min_samples) {
  baseline::build_options o;
  o.window_start = k_t0;
  o.window_end = k_t0 + 60 * k_min;
  o.min_samples = min_samples;
  return o;
}

}  // namespace

TEST_CASE("builder: median per key, one sample per minute, window bounds", "[baseline][builder]") {
  baseline::builder b(window(3));
  using core::side;
  b.add(sample(side::bid, 10, k_t0));                  // minute 0
  b.add(sample(side::bid, 999, k_t0 + 30'000'000'000)); // minute 0 again: ignored (first wins)
  b.add(sample(side::bid, 30, k_t0 + 1 * k_min));
  b.add(sample(side::bid, 20, k_t0 + 2 * k_min));
  b.add(sample(side::bid, 40, k_t0 + 3 * k_min));
  b.add(sample(side::bid, 1e9, k_t0 - 1));             // before the window
  b.add(sample(side::bid, 1e9, k_t0 + 60 * k_min));    // at the end: exclusive
  // 2.0 and 2 are the same band.
  b.add(sample(side::ask, 5, k_t0, "BTC/USD", {20, 1}));
  b.add(sample(side::ask, 6, k_t0 + k_min, "BTC/USD", {2, 0}));
  b.add(sample(side::ask, 8, k_t0 + 2 * k_min, "BTC/USD", {2, 0}));
  CHECK(b.keys() == 2);
  CHECK(b.samples() == 7);
  std::vector<baseline::entry> e;
  std::vector<baseline::shortfall> skipped;
  std::string error;
  REQUIRE(b.reduce(e, skipped, error));
  REQUIRE(e.size() == 2);
  // bid: 10 30 20 40 -> sorted 10 20 30 40 -> (20 + 30) / 2 = 25
  CHECK(e[0].side == side::bid);
  CHECK(e[0].depth_usd == 25);
  CHECK(e[0].samples == 4);
  // ask: 5 6 8 -> 6
  CHECK(e[1].depth_usd == 6);
  CHECK(e[1].window_start == k_t0);
  CHECK(e[1].window_end == k_t0 + 60 * k_min);
}

TEST_CASE("builder: another quantile (p90, type 7)", "[baseline][builder]") {
  auto o = window(1);
  o.quantile = 0.9;
  baseline::builder b(o);
  for (int i = 0; i < 11; ++i) {
    b.add(sample(core::side::bid, 100.0 * i, k_t0 + i * k_min));
    b.add(sample(core::side::ask, 1, k_t0 + i * k_min));
  }
  std::vector<baseline::entry> e;
  std::vector<baseline::shortfall> skipped;
  std::string error;
  REQUIRE(b.reduce(e, skipped, error));
  // 0, 100 .. 1000: position 0.9 * 10 = 9 -> 900
  CHECK(e.at(0).depth_usd == 900);
}

TEST_CASE("builder: too few samples is a refusal naming the book and its count", "[baseline][builder]") {
  auto o = window(3);
  baseline::builder b(o);
  b.add(sample(core::side::bid, 1, k_t0));
  b.add(sample(core::side::bid, 2, k_t0 + k_min));
  b.add(sample(core::side::bid, 3, k_t0 + 2 * k_min));
  b.add(sample(core::side::ask, 1, k_t0, "ETH/USD"));
  std::vector<baseline::entry> e;
  std::vector<baseline::shortfall> skipped;
  std::string error;
  CHECK_FALSE(b.reduce(e, skipped, error));
  CHECK(e.empty());
  CHECK(error.find("kraken ETH/USD ask 2 %: 1 samples in the window, fewer than the 3 required") !=
        std::string::npos);

  o.skip_insufficient = true;
  baseline::builder b2(o);
  for (int i = 0; i < 3; ++i) b2.add(sample(core::side::bid, i, k_t0 + i * k_min));
  b2.add(sample(core::side::ask, 1, k_t0, "ETH/USD"));
  REQUIRE(b2.reduce(e, skipped, error));
  CHECK(e.size() == 1);  // BTC/USD bid
  // In key order: BTC/USD ask (never seen: 0), ETH/USD bid (0), ETH/USD ask (1).
  REQUIRE(skipped.size() == 3);
  CHECK(skipped[0].symbol == "BTC/USD");
  CHECK(skipped[0].samples == 0);
  CHECK(skipped[1].symbol == "ETH/USD");
  CHECK(skipped[1].side == core::side::bid);
  CHECK(skipped[2].side == core::side::ask);
  CHECK(skipped[2].samples == 1);

  baseline::builder empty(o);
  CHECK_FALSE(empty.reduce(e, skipped, error));
  CHECK(error.starts_with("no depth samples inside the window 2025-10-01T00:00:00Z/"));
}

TEST_CASE("builder: a band never complete for a book is reported with 0 samples", "[baseline][builder]") {
  auto o = window(1);
  o.skip_insufficient = true;
  baseline::builder b(o);
  b.add(sample(core::side::bid, 1, k_t0, "BTC/USD"));
  b.add(sample(core::side::ask, 1, k_t0, "BTC/USD"));
  b.add(sample(core::side::bid, 1, k_t0, "ETH/USD"));  // ETH/USD's ask 2 % was never complete
  std::vector<baseline::entry> e;
  std::vector<baseline::shortfall> skipped;
  std::string error;
  REQUIRE(b.reduce(e, skipped, error));
  CHECK(e.size() == 3);
  REQUIRE(skipped.size() == 1);
  CHECK(skipped[0].to_string(1) ==
        "kraken ETH/USD ask 2 %: 0 samples in the window, fewer than the 1 required (--min-samples)");

  // Bands asked for (--bands 2,5): 5 % was never complete for either book.
  o.bands_pct = {{2, 0}, {5, 0}};
  baseline::builder b2(o);
  b2.add(sample(core::side::bid, 1, k_t0, "BTC/USD"));
  b2.add(sample(core::side::ask, 1, k_t0, "BTC/USD"));
  REQUIRE(b2.reduce(e, skipped, error));
  REQUIRE(skipped.size() == 2);
  CHECK(skipped[0].side == core::side::bid);
  CHECK(skipped[0].band_pct == core::decimal{5, 0});
  CHECK(skipped[1].side == core::side::ask);

  o.skip_insufficient = false;
  baseline::builder b3(o);
  b3.add(sample(core::side::bid, 1, k_t0, "BTC/USD"));
  b3.add(sample(core::side::ask, 1, k_t0, "BTC/USD"));
  CHECK_FALSE(b3.reduce(e, skipped, error));
  CHECK(error.find("kraken BTC/USD ask 5 %: 0 samples") != std::string::npos);
}

TEST_CASE("builder: memory is one slot per minute whatever the input size", "[baseline][builder]") {
  baseline::builder b(window(1));
  // A sample every second for the hour: 3600 inputs, 60 kept.
  for (int s = 0; s < 3600; ++s)
    b.add(sample(core::side::bid, s, k_t0 + s * 1'000'000'000LL));
  CHECK(b.samples() == 60);
}

TEST_CASE("builder: the CSV it writes loads with the daemon's loader", "[baseline][builder]") {
  auto o = window(1);
  o.skip_insufficient = true;  // each book here has one side and band only
  baseline::builder b(o);
  b.add(sample(core::side::bid, 1250000.5, k_t0));
  b.add(sample(core::side::ask, 0.125, k_t0, "XRP/USD", {1, 1}));
  std::vector<baseline::entry> e;
  std::vector<baseline::shortfall> skipped;
  std::string error;
  REQUIRE(b.reduce(e, skipped, error));
  CHECK(baseline::to_csv(e) ==
        "venue,symbol,side,band_pct,depth_usd,samples,window_start,window_end\n"
        "kraken,BTC/USD,bid,2,1250000.5,1,2025-10-01T00:00:00Z,2025-10-01T01:00:00Z\n"
        "kraken,XRP/USD,ask,0.1,0.125,1,2025-10-01T00:00:00Z,2025-10-01T01:00:00Z\n");
  const std::string path = "/tmp/depthmon_builder_test_" + std::to_string(::getpid()) + ".csv";
  REQUIRE(baseline::write_baseline(path, e, error));
  baseline::table t;
  std::vector<baseline::load_error> errors;
  REQUIRE(baseline::load_baseline(path, t, errors));
  CHECK(t.depth_usd(core::venue::kraken, "BTC/USD", core::side::bid, {2, 0}) == 1250000.5);
  CHECK(t.depth_usd(core::venue::kraken, "XRP/USD", core::side::ask, {1, 1}) == 0.125);
  std::remove(path.c_str());
}

TEST_CASE("builder: --statistic values", "[baseline][builder]") {
  double q = 0;
  CHECK(baseline::parse_statistic("median", q));
  CHECK(q == 0.5);
  CHECK(baseline::parse_statistic("p10", q));
  CHECK(q == 0.1);
  CHECK(baseline::parse_statistic("p2.5", q));
  CHECK(q == 0.025);
  CHECK_FALSE(baseline::parse_statistic("p101", q));
  CHECK_FALSE(baseline::parse_statistic("mean", q));
  CHECK_FALSE(baseline::parse_statistic("p", q));
}
