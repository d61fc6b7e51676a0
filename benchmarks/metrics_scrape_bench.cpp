// Cost of one /metrics scrape on a board of 1 000 books (10 venues × 100, every default band and
// side, baselines for half the books, histograms with samples), split into its stages: copying
// the published snapshots into the read model with USD figures and per-asset aggregates
// (take_view), building the prometheus-cpp metric families (collect), and serialising them as
// text format 0.0.4 (serialize); plus the whole render including process_*. Runs on the HTTP
// thread; feed threads are never involved (they only store into seqlocks).
#include <benchmark/benchmark.h>

#include "metrics/render.hpp"
#include "support/published_fixture.hpp"

using namespace depthmon;

namespace {

struct scrape_fixture {
  feed::board board;
  baseline::table baseline;
  std::unique_ptr<feed::usd_rates> rates;
  metrics::daemon_figures daemon;

  scrape_fixture() {
    std::string csv;
    testing::populate(board, 10, 100, &csv);
    std::vector<baseline::load_error> errors;
    baseline::parse_baseline(csv, "bench.csv", baseline, errors);
    rates = std::make_unique<feed::usd_rates>(
        std::vector{testing::fixed_rate("USDT", "0.9995")}, board);
    daemon.version = "bench";
  }
  feed::published_view view() const {
    return feed::take_view(board, *rates, &baseline, {}, testing::fixture_now);
  }
};

const scrape_fixture& fixture() {
  static const scrape_fixture f;
  return f;
}

void BM_take_view_1000_books(benchmark::State& st) {
  const auto& f = fixture();
  for (auto _ : st) {
    auto v = f.view();
    benchmark::DoNotOptimize(v.assets.data());
  }
}
BENCHMARK(BM_take_view_1000_books)->Unit(benchmark::kMillisecond);

void BM_collect_1000_books(benchmark::State& st) {
  const auto& f = fixture();
  const auto v = f.view();
  std::size_t series = 0;
  for (auto _ : st) {
    auto fams = metrics::collect(v, f.daemon);
    series = 0;
    for (const auto& fam : fams) series += fam.metric.size();
    benchmark::DoNotOptimize(fams.data());
  }
  st.counters["series"] = static_cast<double>(series);
}
BENCHMARK(BM_collect_1000_books)->Unit(benchmark::kMillisecond);

void BM_serialize_1000_books(benchmark::State& st) {
  const auto& f = fixture();
  const auto fams = metrics::collect(f.view(), f.daemon);
  std::size_t bytes = 0;
  for (auto _ : st) {
    auto text = metrics::serialize(fams);
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  st.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_serialize_1000_books)->Unit(benchmark::kMillisecond);

// What the HTTP thread does per scrape.
void BM_scrape_1000_books(benchmark::State& st) {
  const auto& f = fixture();
  for (auto _ : st) {
    auto text = metrics::render(f.view(), f.daemon);
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(BM_scrape_1000_books)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
