// Cost of the publish point: what a feed thread does after every book-changing message.
// capture_snapshot (band_tracker::compute() + the top 50 levels per side + two price-impact
// walks) and the seqlock store, next to band_tracker::compute() alone on the same change, in
// the same run, so the snapshot's own cost is the difference. Also a reader's copy (load).
// Book: benchmarks/book_fixture.hpp, 5 000 levels per side, default bands 0.1 .. 10 %.
#include <benchmark/benchmark.h>

#include "book_fixture.hpp"
#include "core/seqlock.hpp"
#include "depth/band_tracker.hpp"
#include "depth/book_snapshot.hpp"

using namespace depthmon;
using core::side;

namespace {

constexpr int k_levels = 5000;

// Impact sizes as the publisher gives them: two quote targets (~10 and ~100 levels deep).
depth::impact_targets two_targets() {
  depth::impact_targets t;
  t.count = 2;
  t.notional_scale = 0;
  t.quote = {100'000'000, 1'000'000'000};
  t.usd = {100'000, 1'000'000};
  t.has_usd_rate = true;
  t.usd_per_quote = 1;
  return t;
}

struct fixture {
  book::tracked_book tb{"BTCUSDT"};
  depth::band_tracker tracker{tb.book, depth::default_bands()};
  depth::book_snapshot snap;
  depth::impact_targets targets = two_targets();
  fixture() {
    bench::fill(tb.book, k_levels);
    tb.status = book::book_status::live;
    benchmark::DoNotOptimize(tracker.compute());
  }
  // The change of one message: a deep level (mid unchanged) or the best bid (mid moves).
  void change(bool top, std::int64_t& q, bool& on) {
    if (top) {
      tb.book.set_ticks(side::bid, bench::k_mid - 1, on ? 0 : 3);
      on = !on;
    } else {
      tb.book.set_ticks(side::bid, bench::k_mid - 2 - 1000 * bench::k_spacing, ++q);
    }
    ++tb.counters.messages;
  }
};

void BM_compute(benchmark::State& st) {
  fixture f;
  std::int64_t q = 1;
  bool on = false;
  for (auto _ : st) {
    f.change(st.range(0) != 0, q, on);
    auto v = f.tracker.compute();
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_compute)->ArgName("top")->Arg(0)->Arg(1);

// impacts:0 leaves out the two impact walks (their cost is the difference).
void BM_capture(benchmark::State& st) {
  fixture f;
  std::int64_t q = 1;
  bool on = false;
  const depth::impact_targets targets = st.range(1) != 0 ? f.targets : depth::impact_targets{};
  for (auto _ : st) {
    f.change(st.range(0) != 0, q, on);
    depth::capture_snapshot(f.snap, f.tb, f.tracker, true, targets, 1);
    benchmark::DoNotOptimize(f.snap);
  }
}
BENCHMARK(BM_capture)->ArgNames({"top", "impacts"})->ArgsProduct({{0, 1}, {0, 1}});

// The whole publish: capture plus the seqlock store readers copy from.
void BM_capture_and_store(benchmark::State& st) {
  fixture f;
  core::seqlock<depth::book_snapshot> slot;
  std::int64_t q = 1;
  bool on = false;
  for (auto _ : st) {
    f.change(st.range(0) != 0, q, on);
    depth::capture_snapshot(f.snap, f.tb, f.tracker, true, f.targets, 1);
    slot.store(f.snap);
  }
  benchmark::DoNotOptimize(slot.version());
}
BENCHMARK(BM_capture_and_store)->ArgName("top")->Arg(0)->Arg(1);

// A reader's copy of one snapshot (no writer active).
void BM_reader_load(benchmark::State& st) {
  fixture f;
  core::seqlock<depth::book_snapshot> slot;
  depth::capture_snapshot(f.snap, f.tb, f.tracker, true, f.targets, 1);
  slot.store(f.snap);
  for (auto _ : st) {
    auto s = slot.load();
    benchmark::DoNotOptimize(s);
  }
  st.counters["bytes"] = sizeof(depth::book_snapshot);
}
BENCHMARK(BM_reader_load);

}  // namespace

BENCHMARK_MAIN();
