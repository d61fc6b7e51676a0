// Throughput of `depthmon baseline build`'s file sources on generated multi-MB inputs, plain and
// gzip, against a floor measured on the same bytes in the same run: line_reader alone (gzread +
// line split, what every source pays before parsing). The gap to the floor is parsing, the
// exact book (l2_book + band tracker for Tardis) and sampling.
//
// Inputs (written once per run to $TMPDIR, removed at exit): a Tardis incremental_book_L2 file
// for one binance BTCUSDT book (2 000-level snapshot per side, then updates near the touch every
// 5 ms) and a Coin Metrics export (50 spot markets, hourly, 20 liquidity_depth USD columns).
// --mb=N sets each file's size (default 16); --keep-inputs leaves the files there (their
// directory on stderr) for measuring `depthmon baseline build` on them.
#include <benchmark/benchmark.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "baseline/line_reader.hpp"
#include "baseline/sources.hpp"

using namespace depthmon;

namespace {

std::size_t g_mb = 16;
bool g_keep = false;
std::string g_dir;

std::string tardis_path(bool gz) { return g_dir + "/tardis.csv" + (gz ? ".gz" : ""); }
std::string cm_path(bool gz) { return g_dir + "/coinmetrics.csv" + (gz ? ".gz" : ""); }

void write_both(const std::string& plain, const std::string& text) {
  FILE* f = std::fopen(plain.c_str(), "wb");
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  gzFile g = gzopen((plain + ".gz").c_str(), "wb6");
  gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
  gzclose(g);
}

void generate() {
  const std::size_t target = g_mb << 20;
  std::mt19937_64 rng(42);
  std::string t = "exchange,symbol,timestamp,local_timestamp,is_snapshot,side,price,amount\n";
  std::int64_t local = 1'759'276'800'000'000;  // 2025-10-01T00:00:00Z, microseconds
  char line[160];
  // Grid: bids at 50000.00 - 0.5 i, asks at 50000.50 + 0.5 i (never crossed).
  auto emit = [&](bool snap, bool bid, int i, int milli_amount) {
    const int cents = bid ? 5'000'000 - 50 * i : 5'000'050 + 50 * i;
    const int n = std::snprintf(line, sizeof line, "binance,BTCUSDT,%lld,%lld,%s,%s,%d.%02d,%d.%03d\n",
                                static_cast<long long>(local - 40'000), static_cast<long long>(local),
                                snap ? "true" : "false", bid ? "bid" : "ask", cents / 100, cents % 100,
                                milli_amount / 1000, milli_amount % 1000);
    t.append(line, static_cast<std::size_t>(n));
  };
  for (int i = 0; i < 2000; ++i) {
    emit(true, true, i, 1 + static_cast<int>(rng() % 5000));
    emit(true, false, i, 1 + static_cast<int>(rng() % 5000));
  }
  while (t.size() < target) {
    local += 5000;
    const bool bid = rng() & 1;
    const int i = static_cast<int>(rng() % 200);
    const int amount = rng() % 8 == 0 && i > 0 ? 0 : 1 + static_cast<int>(rng() % 5000);
    emit(false, bid, i, amount);
  }
  write_both(tardis_path(false), t);

  const char* bands[] = {"0_1", "0_2", "0_3", "0_5", "1", "1_5", "2", "3", "5", "10"};
  std::string c = "market,time";
  for (const char* b : bands)
    for (const char* s : {"ask", "bid"}) c += std::string(",liquidity_depth_") + b + "_percent_" + s + "_volume_usd";
  c += '\n';
  for (std::int64_t hour = 0; c.size() < target; ++hour) {
    const std::int64_t secs = 1'759'276'800 + hour * 3600;
    const std::time_t tt = secs;
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char ts[64];
    std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S.000000000Z", &tm);
    for (int m = 0; m < 50; ++m) {
      c += "binance-coin" + std::to_string(m) + "-usdt-spot," + ts;
      for (int k = 0; k < 20; ++k) {
        const int n = std::snprintf(line, sizeof line, ",%llu.%03u",
                                    static_cast<unsigned long long>(rng() % 50'000'000),
                                    static_cast<unsigned>(rng() % 1000));
        c.append(line, static_cast<std::size_t>(n));
      }
      c += '\n';
    }
  }
  write_both(cm_path(false), c);
}

baseline::sample_options wide_window() {
  baseline::sample_options o;
  o.window_start = 1'735'689'600'000'000'000;  // 2025-01-01
  o.window_end = 1'767'225'600'000'000'000;    // 2026-01-01
  o.usd_per_quote["USDT"] = 1.0;
  return o;
}

// The floor: gzread + line split of the same file, nothing parsed.
void BM_floor_lines(benchmark::State& st, bool tardis, bool gz) {
  const auto path = tardis ? tardis_path(gz) : cm_path(gz);
  std::uint64_t bytes = 0, rows = 0;
  for (auto _ : st) {
    baseline::line_reader r;
    if (!r.open(path)) st.SkipWithError(r.error().c_str());
    std::string_view line;
    std::size_t sum = 0;
    while (r.next(line)) sum += line.size();
    benchmark::DoNotOptimize(sum);
    bytes += r.file_size();
    rows += r.line_no();
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  st.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  st.counters["file_MB"] = static_cast<double>(bytes) / 1e6 / static_cast<double>(st.iterations());
}

void BM_source(benchmark::State& st, bool tardis, bool gz) {
  const auto path = tardis ? tardis_path(gz) : cm_path(gz);
  const auto opt = wide_window();
  std::uint64_t bytes = 0, samples = 0;
  baseline::line_reader probe;
  probe.open(path);
  std::string_view l;
  while (probe.next(l)) {
  }
  const auto lines = probe.line_no();
  std::uint64_t rows = 0;
  for (auto _ : st) {
    std::string error;
    const bool ok = tardis ? baseline::samples_from_tardis({path}, opt, [&](const baseline::depth_sample&) { ++samples; }, error)
                           : baseline::samples_from_coinmetrics({path}, opt, [&](const baseline::depth_sample&) { ++samples; }, error);
    if (!ok) st.SkipWithError(error.c_str());
    bytes += probe.file_size();
    rows += lines;
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(bytes));
  st.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows), benchmark::Counter::kIsRate);
  st.counters["samples"] = benchmark::Counter(static_cast<double>(samples) / static_cast<double>(st.iterations()));
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--mb=", 5) == 0 || std::strcmp(argv[i], "--keep-inputs") == 0) {
      if (argv[i][2] == 'm') g_mb = std::strtoul(argv[i] + 5, nullptr, 10);
      else g_keep = true;
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      --i;
    }
  const char* tmp = std::getenv("TMPDIR");
  g_dir = std::string(tmp ? tmp : "/tmp") + "/depthmon_baseline_bench_" + std::to_string(::getpid());
  std::string mk = "mkdir -p '" + g_dir + "'";
  if (std::system(mk.c_str()) != 0) return 1;
  generate();
  for (bool gz : {false, true}) {
    const std::string sfx = gz ? "/gz" : "/csv";
    benchmark::RegisterBenchmark(("BM_floor_lines/tardis" + sfx).c_str(), BM_floor_lines, true, gz)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_tardis_source" + sfx).c_str(), BM_source, true, gz)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_floor_lines/coinmetrics" + sfx).c_str(), BM_floor_lines, false, gz)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_coinmetrics_source" + sfx).c_str(), BM_source, false, gz)->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_keep) {
    std::fprintf(stderr, "inputs kept in %s\n", g_dir.c_str());
    return 0;
  }
  for (bool gz : {false, true}) {
    std::remove(tardis_path(gz).c_str());
    std::remove(cm_path(gz).c_str());
  }
  std::remove(g_dir.c_str());
  return 0;
}
