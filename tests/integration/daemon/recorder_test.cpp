// daemon::recorder on real files: records written through a venue_tap come back from the
// rotated gzip files in order (each file starting with its stream descriptions), the oldest
// files go beyond max_total_bytes, and a record the queue has no room for is dropped, counted
// and logged instead of blocking the feed thread.
#include <catch2/catch.hpp>

#include <filesystem>
#include <mutex>
#include <random>
#include <unistd.h>

#include "daemon/recording.hpp"
#include "replay/recording.hpp"

using namespace depthmon;

namespace {

struct captured_log final : feed::log_sink {
  void log(feed::log_level, std::string_view venue, std::string_view message) override {
    std::lock_guard lk(m);
    lines.push_back(std::string(venue) + ": " + std::string(message));
  }
  std::mutex m;
  std::vector<std::string> lines;
};

std::string scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("recorder_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("the recorder rotates, keeps within max_total_bytes, and every file replays on its own",
          "[daemon][recording]") {
  const auto state = scratch("rotate");
  config::recording_config cfg;
  cfg.enabled = true;
  cfg.dir = "rec";
  cfg.rotate_bytes = 1 << 16;
  cfg.max_total_bytes = 1 << 20;
  captured_log log;
  std::string err;
  auto rec = daemon::recorder::create(cfg, state, {"okx"}, &log, err);
  REQUIRE(rec);
  daemon::venue_tap* tap = rec->tap("okx");
  REQUIRE(tap);
  CHECK(rec->tap("binance") == nullptr);
  const auto stream = tap->on_stream({"BTC-USDT"}, {{"depth", "400"}}, 1);
  // 6 MB of poorly compressible frames (about 3 MB of gzip): far beyond max_total_bytes.
  std::mt19937 rng(7);
  constexpr int n = 6000;
  for (int i = 0; i < n; ++i) {
    std::string f = std::to_string(i) + " ";
    while (f.size() < 1000) f += "0123456789abcdef"[rng() % 16];
    tap->on_frame(stream, f, 1000 + i);
  }
  rec->stop();
  CHECK(tap->dropped() == 0);
  const auto files = files_in(state + "/rec");
  REQUIRE(files.size() >= 2);
  std::uint64_t total = 0;
  for (const auto& f : files) total += std::filesystem::file_size(f);
  CHECK(total <= cfg.max_total_bytes + cfg.rotate_bytes);  // the file being written may add one
  CHECK(rec->files_written() > files.size());               // older ones were deleted
  bool logged_delete = false;
  for (const auto& l : log.lines) logged_delete = logged_delete || l.find("max_total_bytes") != std::string::npos;
  CHECK(logged_delete);

  // Remaining files: consecutive frames from some point to the last one; each file opens with
  // an R record describing stream 1 (so it replays without the deleted files).
  long expect = -1;
  for (const auto& f : files) {
    INFO(f);
    replay::recording_reader in;
    REQUIRE(in.open(f, err));
    replay::record r;
    REQUIRE(in.next(r));
    CHECK(r.kind == (f == files.front() && rec->files_written() == 1 ? 'P' : 'R'));
    CHECK(r.arg == "BTC-USDT");
    CHECK(r.payload == "depth=400\n");
    while (in.next(r)) {
      REQUIRE(r.kind == 'F');
      const long i = std::stol(std::string(r.payload.substr(0, r.payload.find(' '))));
      if (expect >= 0) CHECK(i == expect);
      CHECK(r.recv == 1000 + i);
      expect = i + 1;
    }
    CHECK(in.error().empty());
    CHECK_FALSE(in.truncated());
  }
  CHECK(expect == n);
  std::filesystem::remove_all(state);
}

TEST_CASE("a record the queue cannot hold is dropped, counted and logged", "[daemon][recording]") {
  const auto state = scratch("drop");
  config::recording_config cfg;
  cfg.enabled = true;
  cfg.queue_bytes = 1 << 16;
  captured_log log;
  std::string err;
  auto rec = daemon::recorder::create(cfg, state, {"binance"}, &log, err);
  REQUIRE(rec);
  daemon::venue_tap* tap = rec->tap("binance");
  const auto s = tap->on_stream({"BTCUSDT"}, {}, 1);
  tap->on_frame(s, "small", 2);
  tap->on_snapshot(s, "BTCUSDT", std::string(100'000, 'x'), 3);  // larger than the whole queue
  tap->on_frame(s, "after", 4);
  CHECK(tap->dropped() == 1);
  rec->stop();
  REQUIRE(rec->dropped().size() == 1);
  CHECK(rec->dropped()[0].venue == "binance");
  CHECK(rec->dropped()[0].dropped == 1);
  bool logged = false;
  for (const auto& l : log.lines) logged = logged || l.find("binance: recording queue full, 1 record(s) dropped") != std::string::npos;
  CHECK(logged);
  const auto files = files_in(state + "/recordings");
  REQUIRE(files.size() == 1);
  replay::recording_reader in;
  REQUIRE(in.open(files[0], err));
  replay::record r;
  std::vector<std::string> got;
  while (in.next(r)) got.emplace_back(1, r.kind), got.back() += std::string(r.payload);
  CHECK(got == std::vector<std::string>{"P", "Fsmall", "Fafter"});
  std::filesystem::remove_all(state);
}

TEST_CASE("the recorder refuses a directory it cannot make", "[daemon][recording]") {
  const auto state = scratch("refuse");
  { std::FILE* f = std::fopen((state + "/rec").c_str(), "w"); std::fclose(f); }  // a file where the dir goes
  config::recording_config cfg;
  cfg.dir = "rec";
  std::string err;
  CHECK(daemon::recorder::create(cfg, state, {"okx"}, nullptr, err) == nullptr);
  CHECK(err.find(state + "/rec") != std::string::npos);
  std::filesystem::remove_all(state);
}
