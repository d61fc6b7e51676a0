// Cost of bringing every default band (0.1 .. 10 %) on both sides up to date after one level
// changes on a 5 000-level book, i.e. the work between a venue message and a published depth
// snapshot; and price impact for 100 k / 1 M notional. A full rescan is measured alongside as
// the baseline the running sums replace.
#include <benchmark/benchmark.h>

#include "book_fixture.hpp"
#include "depth/band_tracker.hpp"
#include "depth/price_impact.hpp"

using namespace depthmon;
using core::side;

namespace {

constexpr int k_levels = 5000;

// A deep level changes size: the mid does not move.
void BM_bands_after_deep_change(benchmark::State& st) {
  book::l2_book b;
  bench::fill(b, k_levels);
  depth::band_tracker t(b, depth::default_bands());
  benchmark::DoNotOptimize(t.compute());
  std::int64_t q = 1;
  for (auto _ : st) {
    b.set_ticks(side::bid, bench::k_mid - 2 - 1000 * bench::k_spacing, ++q);
    auto v = t.compute();
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_bands_after_deep_change);

// A new best bid appears or goes: the mid moves, every edge on both sides slides.
void BM_bands_after_top_change(benchmark::State& st) {
  book::l2_book b;
  bench::fill(b, k_levels);
  depth::band_tracker t(b, depth::default_bands());
  benchmark::DoNotOptimize(t.compute());
  bool on = false;
  for (auto _ : st) {
    b.set_ticks(side::bid, bench::k_mid - 1, on ? 0 : 3);
    on = !on;
    auto v = t.compute();
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_bands_after_top_change);

// Baseline: rebuild every band from scratch (what the running sums avoid).
void BM_bands_full_rescan(benchmark::State& st) {
  book::l2_book b;
  bench::fill(b, k_levels);
  depth::band_tracker t(b, depth::default_bands());
  std::int64_t q = 1;
  for (auto _ : st) {
    b.set_ticks(side::bid, bench::k_mid - 2 - 1000 * bench::k_spacing, ++q);
    t.on_reset();
    auto v = t.compute();
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_bands_full_rescan);

void BM_price_impact(benchmark::State& st) {
  book::l2_book b;
  bench::fill(b, k_levels);
  // Level sizes ~100 at ~100 000 ticks: 10^7 per level; 10^8 reaches ~10 levels, 10^9 ~100.
  const core::int128 target = static_cast<core::int128>(st.range(0));
  for (auto _ : st) {
    auto bid = depth::price_impact(b, side::bid, target);
    auto ask = depth::price_impact(b, side::ask, target);
    benchmark::DoNotOptimize(bid);
    benchmark::DoNotOptimize(ask);
  }
}
BENCHMARK(BM_price_impact)->Arg(100'000'000)->Arg(1'000'000'000);

}  // namespace

BENCHMARK_MAIN();
