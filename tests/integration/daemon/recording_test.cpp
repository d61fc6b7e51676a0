// depthmond with [recording] on against `depthmon sim`: the recording replays to the books the
// daemon served. Binance initialises from REST (its snapshot bodies must be in the recording),
// OKX from its websocket. The market is paused before the daemon stops, so the daemon's last
// /api/v1/books answer and the recording's end describe the same books; both are also checked
// against the simulator's truth (and /metrics carries the drop counter, 0 here; drops
// themselves: tests/unit/daemon/recording_test.cpp).
#include <catch2/catch.hpp>
#include <signal.h>

#include <filesystem>

#include "daemon_harness.hpp"
#include "support/run.hpp"
#include "support/json.hpp"

using namespace depthmon;
using namespace depthmon::test;

namespace {

std::string levels(const std::string& json, const std::string& side) {
  const auto at = json.find("\"" + side + "\":[[");
  if (at == std::string::npos) return {};
  return json.substr(at, json.find("]]", at) - at);
}

std::vector<std::string> recordings(const std::string& dir) {
  std::vector<std::string> out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().ends_with(".dmrec.gz")) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("a depthmond recording replays to the books the daemon served", "[daemon][integration][recording]") {
  sim_process sim;
  const std::string dir = scratch("recording");
  const std::string cfg = dir + "/depthmon.toml";
  const auto port = unused_port();
  const std::vector<venue_spec_text> venues = {{"binance", {"BTCUSDT", "ETHUSDT"}}, {"okx", {"BTC-USDT"}}};
  write_file(cfg, config_text(sim, port, dir + "/state", venues,
                              "[recording]\nenabled = true\ndir = \"rec\"\nrotate_bytes = 65536\n"));
  std::vector<std::pair<std::string, std::string>> served;  // (venue, book JSON)
  {
    daemon_process d(cfg, port);
    INFO(d.proc.stderr_text());
    REQUIRE(d.wait_ready(20s));
    std::this_thread::sleep_for(1500ms);  // let the recording rotate at least once (64 KiB files)
    REQUIRE(http_call("POST", sim.base + "/sim/v1/pause").status == 200);
    for (const auto& v : venues)
      for (const auto& s : v.symbols) {
        INFO(v.name << " " << s);
        const std::string path = "/api/v1/books/" + v.name + "/" + s + "?levels=10";
        const std::string truth_url = sim.base + "/sim/v1/books/" + v.name + "/" + s + "?levels=10";
        // Frames in flight when the market froze arrive: wait until the daemon has the truth.
        std::string mine;
        const bool same = eventually(
            [&] {
              mine = d.get(path).body;
              const auto truth = http_call("GET", truth_url).body;
              return test::json_field(mine, "status") == "live" && levels(mine, "bids") == levels(truth, "bids") &&
                     levels(mine, "asks") == levels(truth, "asks");
            },
            10s);
        REQUIRE(same);
        served.emplace_back(v.name, mine);
      }
    const auto m = d.get("/metrics").body;
    CHECK(m.find("depthmon_recording_dropped_frames_total{exchange=\"binance\"} 0") != std::string::npos);
    // The minute-history recorder's counters are served beside it (no minute closed yet).
    CHECK(m.find("\ndepthmon_history_rows_written_total 0\n") != std::string::npos);
    CHECK(m.find("\ndepthmon_history_write_failures_total 0\n") != std::string::npos);
    CHECK(m.find("\ndepthmon_history_rows_dropped_total 0\n") != std::string::npos);
    d.proc.signal(SIGTERM);
    REQUIRE(d.proc.wait(10s) == 0);
  }
  const auto files = recordings(dir + "/state/rec");
  REQUIRE(files.size() >= 2);  // rotated: each file starts with the stream descriptions again

  for (const std::string venue : {"binance", "okx"}) {
    std::vector<std::string> args = {DEPTHMON_CLI, "replay", "--venue", venue, "--levels", "10"};
    args.insert(args.end(), files.begin(), files.end());
    const auto r = run(args);
    INFO(venue << " stderr: " << r.err);
    REQUIRE(r.exit_code == 0);
    const auto lines = r.lines();
    for (const auto& [v, mine] : served) {
      if (v != venue) continue;
      const std::string sym = test::json_field(mine, "symbol");
      INFO(sym);
      const auto it = std::find_if(lines.begin(), lines.end(),
                                   [&](const std::string& l) { return test::json_field(l, "symbol") == sym; });
      REQUIRE(it != lines.end());
      CHECK(test::json_field(*it, "status") == "live");
      CHECK(test::json_field(*it, "last_update_id") == test::json_field(mine, "last_update_id"));
      CHECK(test::json_field(*it, "mid") == test::json_field(mine, "mid"));
      CHECK(levels(*it, "bids") == levels(mine, "bids"));
      CHECK(levels(*it, "asks") == levels(mine, "asks"));
      CHECK(test::json_field(*it, "snapshots") == test::json_field(mine, "snapshots"));
    }
  }
  // The last file alone (a rotated file carries its stream descriptions) is a valid recording.
  const auto one = run({DEPTHMON_CLI, "replay", "--venue", "okx", files.back()});
  INFO(one.err);
  CHECK(one.exit_code == 0);
  std::filesystem::remove_all(dir);
}

