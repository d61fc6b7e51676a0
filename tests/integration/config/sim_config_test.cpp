// The configs other tools write load through lib/config with no error: `depthmon sim
// --write-config` for every venue, plain and --tls (DESIGN.md's fixed keys, the simulator's
// venue settings, its CA file). And `depthmon watch` reads its config with the daemon's loader:
// a bad file prints every error with its position and exits 2. [http].listen is accepted exactly
// when the daemon's server (net::parse_listen) can bind it.
#include <catch2/catch.hpp>

#include <fstream>

#include "config/config.hpp"
#include "core/ids.hpp"
#include "net/http_server.hpp"
#include "integration/sim/cli_flow.hpp"
#include "support/run.hpp"

using namespace depthmon;
using namespace depthmon::test;

namespace {

void written_config_loads(bool tls) {
  const scratch_dir tmp("depthmon_simconfig");
  const std::string cfg = tmp.path + "/sim.toml";
  std::string venues;
  for (core::venue v : core::all_venues) venues += (venues.empty() ? "" : ",") + std::string(core::to_string(v));
  std::vector<std::string> args = {DEPTHMON_CLI, "sim", "--venues", venues, "--symbols-per-venue", "3",
                                   "--write-config", cfg, "--duration", "20", "--levels-scale", "0.1"};
  if (tls) args.push_back("--tls");
  child_process sim(args);
  const auto ready = sim.read_line(std::chrono::seconds(15));
  INFO("sim stderr: " << sim.stderr_text());
  REQUIRE(ready);  // the config is written before the ready line

  config::daemon_config c;
  std::vector<config::config_error> errors;
  const bool ok = config::load_config(cfg, c, errors);
  for (const auto& e : errors) UNSCOPED_INFO(e.to_string());
  CHECK(errors.empty());
  CHECK(ok);
  CHECK(c.http.listen == "127.0.0.1:18095");
  CHECK(c.state_dir == tmp.path + "/depthmon-state");
  REQUIRE(c.venues.size() == core::all_venues.size());
  for (const auto& v : c.venues) {
    INFO(v.name);
    CHECK(v.symbols.size() == 3);
    CHECK(v.ws_url.rfind(tls ? "wss://127.0.0.1:" : "ws://127.0.0.1:", 0) == 0);
    CHECK(v.ca_file.empty() != tls);
  }
}

}  // namespace

TEST_CASE("a config written by depthmon sim loads without errors", "[config][sim][cli]") {
  written_config_loads(false);
}

TEST_CASE("a config written by depthmon sim --tls loads without errors", "[config][sim][cli]") {
  written_config_loads(true);
}

TEST_CASE("depthmon watch prints every config error with its position and exits 2", "[config][cli]") {
  const scratch_dir tmp("depthmon_watchconfig");
  const std::string path = tmp.path + "/bad.toml";
  std::ofstream(path) << "io_threads = 0\n[htp]\nlisten = \"x\"\n[[venue]]\nname = \"krakn\"\nsymbols = [\"BTC/USD\"]\n";
  const auto r = run({DEPTHMON_CLI, "watch", "--config", path, "--duration", "1"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "depthmon: " + path + ":1:14: io_threads: expected an integer in 1..64, found 0\n"
        "depthmon: " + path + ":2:2: htp: unknown key 'htp' (did you mean 'http'?); valid here: state_dir, "
        "io_threads, http, log, depth, baseline, history, recording, alert, rate, venue\n"
        "depthmon: " + path + ":5:8: venue[0].name: unknown venue 'krakn' (did you mean 'kraken'?); valid: "
        "binance, binance-usdm, coinbase, coinbase-exchange, kraken, kraken-v1, okx, bybit, hyperliquid, bitstamp\n");
}

TEST_CASE("listen is accepted exactly when net::parse_listen takes it", "[config]") {
  for (const char* listen : {"127.0.0.1:18095", "0.0.0.0:0", "[::1]:9100", "[::]:65535", "localhost:8080",
                             "127.0.0.1", ":18095", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:80a",
                             "[::1]", "::1:80", "example.org:80", "1.2.3.4.5:80", "127.0.0.1:123456",
                             "[::1]x80", "LOCALHOST:80"}) {
    INFO(listen);
    config::daemon_config c;
    std::vector<config::config_error> errors;
    const bool ok = config::parse_config(std::string("[http]\nlisten = \"") + listen +
                                             "\"\n[[venue]]\nname = \"okx\"\nsymbols = [\"BTC-USDT\"]\n",
                                         "t.toml", c, errors);
    CHECK(ok == net::parse_listen(listen).has_value());
  }
}
