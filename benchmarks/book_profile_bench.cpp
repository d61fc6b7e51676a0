// The book layout end to end: `depthmon replay`'s pipeline (codec -> Binance sync -> book ->
// all default bands after every event) on synthetic BTCUSDT depth streams of ~5 000 levels per
// side, next to the simdjson parse floor of the same bytes in the same run. Two profiles from
// benchmarks/tools/gen_binance_stream.py: `near-touch` (most changes within a few dozen ticks
// of the touch) and `btcusdt2026` (changes drawn by rank as on the real 2026-08-24 BTCUSDT
// stream: 43 % more than 100 levels from the touch, ~47 changes per event). The ratio
// pipeline / floor per profile is what benchmarks/README.md ("Book layout end to end") tracks.
//
// The streams are generated on first use into the build tree (DEPTHMON_BENCH_WORK_DIR), never
// committed: `--messages=N` (default 50 000, seed 7) picks the length; the CTest smoke run uses
// a few hundred. `--stream=FILE --snapshot=FILE` adds a recorded Binance BTCUSDT capture.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "parse_floor.hpp"
#include "replay/replay.hpp"

using namespace depthmon;

namespace {

struct profile {
  std::string name;
  std::string snapshot_file, stream_file;
  std::vector<std::string> lines;
  std::string snapshot;
  std::size_t bytes = 0;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool load(profile& p) {
  p.snapshot = slurp(p.snapshot_file);
  std::istringstream ss(slurp(p.stream_file));
  for (std::string l; std::getline(ss, l);)
    if (!l.empty()) p.lines.push_back(l);
  if (p.snapshot.empty() || p.lines.empty()) return false;
  p.bytes = p.snapshot.size();
  for (const auto& l : p.lines) p.bytes += l.size();
  return true;
}

// Generates (once per length and profile) and loads a synthetic stream.
bool synthetic(profile& p, const std::string& gen_profile, long messages) {
  namespace fs = std::filesystem;
  const fs::path dir = DEPTHMON_BENCH_WORK_DIR;
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string stem = (dir / (gen_profile + "_" + std::to_string(messages) + "_7")).string();
  p.snapshot_file = stem + ".snapshot.json";
  p.stream_file = stem + ".jsonl";
  if (!fs::exists(p.stream_file)) {
    const std::string tmp = p.stream_file + ".tmp";
    const auto quoted = [](const std::string& a) { return "\"" + a + "\" "; };
    const std::string cmd = quoted(DEPTHMON_PYTHON) + quoted(DEPTHMON_STREAM_GENERATOR) +
                            quoted(p.snapshot_file) + quoted(tmp) + std::to_string(messages) +
                            " 7 " + gen_profile;
    if (std::system(cmd.c_str()) != 0) return false;
    fs::rename(tmp, p.stream_file, ec);
    if (ec) return false;
  }
  return load(p);
}

void BM_parse_floor(benchmark::State& st, const profile* p) {
  std::vector<std::string> docs = p->lines;
  docs.push_back(p->snapshot);
  bench::parse_floor floor(docs);
  for (auto _ : st)
    if (!floor.run()) st.SkipWithError("parse");
  benchmark::DoNotOptimize(floor.checksum());
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * docs.size()));
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * p->bytes));
}

void BM_replay_pipeline(benchmark::State& st, const profile* p) {
  core::padded_buffer buf;
  std::unique_ptr<replay::replay_session> session;
  for (auto _ : st) {
    st.PauseTiming();  // a session is set up once per connection, not per message
    session.reset();
    replay::replay_options o;
    o.venue = core::venue::binance;
    o.protocol.symbols = {"BTCUSDT"};
    auto s = replay::replay_session::create(std::move(o));
    if (!s) {
      st.SkipWithError("create");
      return;
    }
    session = std::move(s).value();
    st.ResumeTiming();
    auto& proto = session->protocol();
    benchmark::DoNotOptimize(proto.on_snapshot("BTCUSDT", buf.assign(p->snapshot), 0));
    for (const auto& line : p->lines) benchmark::DoNotOptimize(session->feed_line(line));
  }
  const auto& tb = *session->protocol().books().front();
  if (!tb.live() || tb.counters.updates_applied == 0) st.SkipWithError("book not live at the end");
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * (p->lines.size() + 1)));
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * p->bytes));
}

// Removes `--name=value` from argv (Google Benchmark rejects flags it does not know).
std::string take_flag(int& argc, char** argv, const std::string& name, std::string fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind(prefix, 0) != 0) continue;
    for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
    --argc;
    return a.substr(prefix.size());
  }
  return fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const long messages = std::stol(take_flag(argc, argv, "messages", "50000"));
  const std::string stream = take_flag(argc, argv, "stream", "");
  const std::string snapshot = take_flag(argc, argv, "snapshot", "");
  static std::vector<profile> profiles;
  profiles.reserve(3);
  for (const char* gen : {"near-touch", "btcusdt2026"}) {
    profile p;
    p.name = gen;
    if (!synthetic(p, gen, messages)) {
      std::cerr << "book_profile_bench: cannot generate the " << gen << " stream\n";
      return 2;
    }
    profiles.push_back(std::move(p));
  }
  if (!stream.empty()) {
    profile p;
    p.name = "capture";
    p.stream_file = stream;
    p.snapshot_file = snapshot;
    if (!load(p)) {
      std::cerr << "book_profile_bench: cannot read " << stream << " / " << snapshot << "\n";
      return 2;
    }
    profiles.push_back(std::move(p));
  }
  for (const auto& p : profiles) {
    benchmark::RegisterBenchmark(("BM_parse_floor/" + p.name).c_str(), BM_parse_floor, &p)
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(("BM_replay_pipeline/" + p.name).c_str(), BM_replay_pipeline, &p)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
