// `depthmon sim --replay`: a real capture (Kraken v2 BTC/USD, 2026) served as the venue served
// it, with --write-config; `depthmon watch` on that config as written must show the book live
// with exactly the mid `depthmon replay` computes from the same file.
#include <catch2/catch.hpp>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "cli_flow.hpp"
#include "support/run.hpp"

using namespace depthmon::test;

TEST_CASE("depthmon sim --replay serves a capture that watch reproduces", "[sim][cli][replay]") {
  using namespace std::chrono;
  const std::string capture = std::string(DEPTHMON_TEST_DATA) + "/kraken/v2_book25_btcusd_depthcharge_20260816.jsonl";

  // What replay says of the file.
  const auto rp = run({DEPTHMON_CLI, "replay", "--venue", "kraken", "--set", "depth=25", "--set",
                       "precision.BTC/USD=1:8", capture});
  REQUIRE(rp.exit_code == 0);
  simdjson::dom::parser p;
  auto book = parse_json(p, rp.lines().at(0));
  const std::string want_mid = str(book["mid"]);
  REQUIRE(!want_mid.empty());

  const scratch_dir tmp("depthmon_simreplay");
  const std::string cfg = tmp.path + "/replay.toml";
  child_process sim({DEPTHMON_CLI, "sim", "--replay", "kraken=" + capture, "--replay-symbols", "BTC/USD",
                     "--set", "depth=25", "--set", "precision.BTC/USD=1:8", "--write-config", cfg,
                     "--duration", "30"});
  const auto ready = sim.read_line(seconds(15));
  INFO("sim stderr: " << sim.stderr_text());
  REQUIRE(ready);
  auto rd = parse_json(p, *ready);
  CHECK(str(rd["config"]) == cfg);
  CHECK(rd["ca_file"].is_null());
  const std::string config = read_file(cfg);
  CHECK(config.find("ws_url = \"ws://" + str(rd["listen"]) + "/kraken/v2\"") != std::string::npos);

  child_process watch({DEPTHMON_CLI, "watch", "--config", cfg, "--duration", "20"});
  INFO("watch stderr: " << watch.stderr_text());
  // The capture plays in well under a second; the book then stays as it left it.
  std::string last_mid, last_state;
  const auto deadline = steady_clock::now() + seconds(15);
  while (steady_clock::now() < deadline) {
    const auto l = watch.read_line(seconds(5));
    REQUIRE(l);
    const auto w = parse_watch_line(*l);
    CHECK(w.venue == "kraken");
    CHECK(w.symbol == "BTC/USD");
    last_state = w.state;
    last_mid = w.mid;
    if (w.state == "live" && w.mid == want_mid) break;
  }
  CHECK(last_state == "live");
  CHECK(last_mid == want_mid);
}

TEST_CASE("depthmon sim --replay rejects a bad capture argument", "[sim][cli][replay]") {
  const auto r = run({DEPTHMON_CLI, "sim", "--replay", "nosuchvenue=/tmp/x.jsonl", "--duration", "1"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--replay") != std::string::npos);
  const auto missing = run({DEPTHMON_CLI, "sim", "--replay", "kraken=/nonexistent/capture.jsonl", "--duration", "1"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("/nonexistent/capture.jsonl") != std::string::npos);
}
