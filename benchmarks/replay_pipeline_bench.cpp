// Per-venue throughput of the whole replay pipeline (codec -> sync -> book -> depth bands after
// every change) on the real captures in tests/data, next to a parse floor measured in the same
// run: simdjson on-demand walking every field of the same bytes and converting every number
// and numeric string exactly (core::parse_decimal), which is the least any exact codec must do.
// The ratio pipeline / floor is the figure benchmarks/README.md tracks (target <= 3x).
//
// The *_latency benchmarks time every websocket frame on its own (steady_clock around each
// message; REST snapshots are loaded but not sampled) and report the per-message p50 / p99 /
// p99.9 in ns as counters, with the clock's own median cost (timer_ns) measured in the same run.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "parse_floor.hpp"
#include "replay/replay.hpp"

using namespace depthmon;

namespace {

std::string slurp(const std::string& rel) {
  std::ifstream in(std::string(DEPTHMON_TEST_DATA) + "/" + rel, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream ss(text);
  for (std::string l; std::getline(ss, l);)
    if (!l.empty()) out.push_back(l);
  return out;
}

struct capture {
  const char* name;
  core::venue venue;
  const char* stream;                                   // relative to tests/data
  std::vector<std::pair<const char*, const char*>> snapshots;  // symbol, file
  std::vector<std::pair<const char*, const char*>> settings;
  // Configured books, created with the session (outside the timing) as the daemon's are.
  std::vector<std::string> symbols;
};

const std::vector<capture>& captures() {
  static const std::vector<capture> c = {
      {"binance_spot", core::venue::binance, "binance/spot_ws_combined_stream.jsonl",
       {{"NKNUSDT", "binance/spot_rest_NKNUSDT.json"}, {"BLZETH", "binance/spot_rest_BLZETH.json"}}, {},
       {"NKNUSDT", "BLZETH"}},
      {"binance_usdm", core::venue::binance_usdm, "binance/usdm_ws_combined_stream.jsonl",
       {{"SUSHIUSDT", "binance/usdm_rest_SUSHIUSDT.json"}, {"AKROUSDT", "binance/usdm_rest_AKROUSDT.json"}}, {},
       {"SUSHIUSDT", "AKROUSDT"}},
      {"kraken_v1", core::venue::kraken_v1, "kraken/v1_book1000_cryptofeed_2021.jsonl", {}, {},
       {"XMR/USD", "SC/EUR", "WAVES/EUR", "ETH/CHF", "KSM/XBT"}},
      {"binance_btcusdt_2026", core::venue::binance,
       "binance/spot_btcusdt_deepseed_depthcharge_20260824.jsonl",
       {{"BTCUSDT", "binance/spot_btcusdt_deepseed_depthcharge_20260824.rest_1.json"}}, {},
       {"BTCUSDT"}},
      {"kraken_v2", core::venue::kraken, "kraken/v2_doc_book_channel_maticusd.jsonl", {},
       {{"precision.MATIC/USD", "4:8"}}, {"MATIC/USD", "ALGO/USD"}},
      {"kraken_v2_btcusd_2026", core::venue::kraken,
       "kraken/v2_book25_btcusd_depthcharge_20260816.jsonl", {},
       {{"precision.BTC/USD", "1:8"}}, {"BTC/USD"}},
      {"coinbase_exchange", core::venue::coinbase_exchange,
       "coinbase/exchange_level2_cryptofeed_2021.jsonl", {}, {},
       {"BAND-GBP", "SKL-GBP", "NU-GBP", "YFI-BTC", "SKL-BTC"}},
      {"okx", core::venue::okx, "okx/books_cryptofeed_2022.jsonl", {}, {}, {"BTC-USDT"}},
      {"okx_books5", core::venue::okx, "okx/books5_ccxt_2026.jsonl", {}, {{"channel", "books5"}},
       {"BTC-USDT", "BTC-USDT-SWAP"}},
      {"bybit", core::venue::bybit, "bybit/v5_spot_orderbook1_btcusdt_ccxt_2026.jsonl", {}, {},
       {"BTCUSDT"}},
      {"hyperliquid", core::venue::hyperliquid, "hyperliquid/l2book_tardis_test_2024.jsonl", {}, {},
       {"SHIA", "BANANA"}},
      {"bitstamp", core::venue::bitstamp, "bitstamp/diff_order_book_cryptofeed_2022.jsonl",
       {{"sgbeur", "bitstamp/rest_order_book_sgbeur.json"},
        {"ethusd", "bitstamp/rest_order_book_ethusd.json"},
        {"xrpeur", "bitstamp/rest_order_book_xrpeur.json"},
        {"bateur", "bitstamp/rest_order_book_bateur.json"},
        {"usdteur", "bitstamp/rest_order_book_usdteur.json"}},
       {},
       {"sgbeur", "ethusd", "xrpeur", "bateur", "usdteur"}},
  };
  return c;
}

struct loaded {
  std::vector<std::string> lines;
  std::vector<std::pair<std::string, std::string>> snapshots;
  std::size_t bytes = 0;
  // Replays per benchmark iteration, so that every iteration covers >= 1000 messages and the
  // timer's own cost (pausing around session set-up) is negligible even for 2-line captures.
  std::size_t repeat = 1;
};

loaded load(const capture& c) {
  loaded l;
  l.lines = lines_of(slurp(c.stream));
  for (const auto& [sym, file] : c.snapshots) l.snapshots.emplace_back(sym, slurp(file));
  for (const auto& s : l.lines) l.bytes += s.size();
  for (const auto& s : l.snapshots) l.bytes += s.second.size();
  const std::size_t msgs = l.lines.size() + l.snapshots.size();
  l.repeat = msgs >= 1000 ? 1 : (1000 + msgs - 1) / msgs;
  return l;
}

// The floor: every field visited, every scalar converted as exactly as a codec must.
void BM_parse_floor(benchmark::State& st, const capture* c) {
  const loaded l = load(*c);
  std::vector<std::string> docs = l.lines;
  for (const auto& s : l.snapshots) docs.push_back(s.second);
  bench::parse_floor floor(docs);
  for (auto _ : st)
    for (std::size_t r = 0; r < l.repeat; ++r)
      if (!floor.run()) st.SkipWithError("parse");
  benchmark::DoNotOptimize(floor.checksum());
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * l.repeat * (l.lines.size() + l.snapshots.size())));
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * l.repeat * l.bytes));
}

std::unique_ptr<replay::replay_session> make_session(const capture& c) {
  replay::replay_options o;
  o.venue = c.venue;
  for (const auto& [k, v] : c.settings) o.protocol.settings[k] = v;
  o.protocol.symbols = c.symbols;
  auto s = replay::replay_session::create(std::move(o));
  return s ? std::move(s).value() : nullptr;
}

void BM_replay_pipeline(benchmark::State& st, const capture* c) {
  const loaded l = load(*c);
  core::padded_buffer buf;
  std::vector<std::unique_ptr<replay::replay_session>> sessions;
  for (auto _ : st) {
    // Setting sessions up and tearing them down is not per-message work.
    st.PauseTiming();
    sessions.clear();
    for (std::size_t r = 0; r < l.repeat; ++r) {
      sessions.push_back(make_session(*c));
      if (!sessions.back()) {
        st.SkipWithError("create");
        return;
      }
    }
    st.ResumeTiming();
    for (auto& s : sessions) {
      for (const auto& [sym, body] : l.snapshots)
        benchmark::DoNotOptimize(s->protocol().on_snapshot(sym, buf.assign(body), 0));
      for (const auto& line : l.lines) benchmark::DoNotOptimize(s->feed_line(line));
    }
  }
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * l.repeat * (l.lines.size() + l.snapshots.size())));
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * l.repeat * l.bytes));
}

// Per-message latency: one steady_clock interval around each websocket frame.
using clock_type = std::chrono::steady_clock;

std::int64_t ns_between(clock_type::time_point a, clock_type::time_point b) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count();
}

// The q-quantile (0..1) of `v` (reordered), nearest rank.
double quantile(std::vector<std::int64_t>& v, double q) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return static_cast<double>(v[k]);
}

// The clock's own cost: the median of empty intervals.
double timer_ns() {
  std::vector<std::int64_t> v(20000);
  for (auto& x : v) {
    const auto a = clock_type::now();
    const auto b = clock_type::now();
    x = ns_between(a, b);
  }
  return quantile(v, 0.5);
}

void report_percentiles(benchmark::State& st, std::vector<std::int64_t>& samples) {
  st.counters["p50_ns"] = quantile(samples, 0.5);
  st.counters["p99_ns"] = quantile(samples, 0.99);
  st.counters["p99.9_ns"] = quantile(samples, 0.999);
  st.counters["timer_ns"] = timer_ns();
}

void BM_parse_floor_latency(benchmark::State& st, const capture* c) {
  const loaded l = load(*c);
  bench::parse_floor floor(l.lines);
  std::vector<std::int64_t> samples;
  for (auto _ : st) {
    for (std::size_t i = 0; i < floor.size(); ++i) {
      const auto t0 = clock_type::now();
      if (!floor.run_one(i)) st.SkipWithError("parse");
      samples.push_back(ns_between(t0, clock_type::now()));
    }
  }
  benchmark::DoNotOptimize(floor.checksum());
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * l.lines.size()));
  report_percentiles(st, samples);
}

void BM_replay_latency(benchmark::State& st, const capture* c) {
  const loaded l = load(*c);
  core::padded_buffer buf;
  std::vector<std::int64_t> samples;
  for (auto _ : st) {
    st.PauseTiming();
    auto s = make_session(*c);
    if (!s) {
      st.SkipWithError("create");
      return;
    }
    st.ResumeTiming();
    for (const auto& [sym, body] : l.snapshots)
      benchmark::DoNotOptimize(s->protocol().on_snapshot(sym, buf.assign(body), 0));
    for (const auto& line : l.lines) {
      const auto t0 = clock_type::now();
      benchmark::DoNotOptimize(s->feed_line(line));
      samples.push_back(ns_between(t0, clock_type::now()));
    }
    st.PauseTiming();
    s.reset();
    st.ResumeTiming();
  }
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * l.lines.size()));
  report_percentiles(st, samples);
}

int register_all() {
  for (const auto& c : captures()) {
    benchmark::RegisterBenchmark((std::string("BM_parse_floor/") + c.name).c_str(), BM_parse_floor, &c);
    benchmark::RegisterBenchmark((std::string("BM_replay_pipeline/") + c.name).c_str(), BM_replay_pipeline, &c);
  }
  for (const auto& c : captures()) {
    benchmark::RegisterBenchmark((std::string("BM_parse_floor_latency/") + c.name).c_str(), BM_parse_floor_latency, &c);
    benchmark::RegisterBenchmark((std::string("BM_replay_latency/") + c.name).c_str(), BM_replay_latency, &c);
  }
  return 0;
}
const int k_registered = register_all();

}  // namespace

BENCHMARK_MAIN();
