// tests/integration/sim/cli_flow.hpp — the newcomer's path, as processes: `depthmon sim` for
// all ten venues with --write-config, its ready line, the truth and fault endpoints, then
// `depthmon watch --config FILE` on that file as written. Every book of every venue must reach
// live, and with the market frozen (POST /sim/v1/pause) the mid each one prints must equal the
// simulator's truth. Used plain (ws/http) and with --tls (wss/https, trusting the printed CA).
#pragma once

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "sim_support.hpp"
#include "support/json.hpp"
#include "support/run.hpp"

namespace depthmon::test {

struct watch_line {
  std::string venue, symbol, state, mid;
};

inline watch_line parse_watch_line(const std::string& l) {
  // "binance BTCUSDT live mid=100000.005 bid2%=... ask2%=..."
  std::istringstream ss(l);
  watch_line w;
  std::string mid;
  ss >> w.venue >> w.symbol >> w.state >> mid;
  if (mid.rfind("mid=", 0) == 0) w.mid = mid.substr(4);
  return w;
}

inline std::string url_symbol(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '/' ? std::string("%2F") : std::string(1, c);
  return out;
}

// A fresh directory under /tmp for one test's files, removed with everything in it at scope end.
struct scratch_dir {
  std::string path;
  explicit scratch_dir(const std::string& stem) : path("/tmp/" + stem + "_XXXXXX") {
    REQUIRE(::mkdtemp(path.data()) != nullptr);
  }
  ~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
};

inline void sim_and_watch_flow(bool tls) {
  using namespace std::chrono;
  using clk = steady_clock;
  const scratch_dir tmp("depthmon_simcli");
  const std::string cfg = tmp.path + "/sim.toml";

  std::string venues;
  for (core::venue v : core::all_venues) venues += (venues.empty() ? "" : ",") + std::string(core::to_string(v));
  std::vector<std::string> args = {DEPTHMON_CLI, "sim", "--venues", venues, "--symbols-per-venue", "2",
                                   "--write-config", cfg, "--duration", "40", "--seed", "11",
                                   "--levels-scale", "0.3"};
  if (tls) args.push_back("--tls");
  child_process sim(args);
  const auto ready = sim.read_line(seconds(15));
  INFO("sim stderr: " << sim.stderr_text());
  REQUIRE(ready);

  // The ready line (DESIGN.md): listen, ca_file (a PEM file under --tls, else null), config.
  simdjson::dom::parser p;
  auto rd = parse_json(p, *ready);
  const std::string listen = str(rd["listen"]);
  CHECK(listen.rfind("127.0.0.1:", 0) == 0);
  CHECK(str(rd["config"]) == cfg);
  std::string ca;
  if (tls) {
    ca = str(rd["ca_file"]);
    CHECK(read_file(ca).find("BEGIN CERTIFICATE") != std::string::npos);
  } else {
    CHECK(rd["ca_file"].is_null());
  }
  const std::string config = read_file(cfg);
  std::size_t tables = 0;
  for (auto at = config.find("[[venue]]"); at != std::string::npos; at = config.find("[[venue]]", at + 1)) ++tables;
  CHECK(tables == core::all_venues.size());
  CHECK(config.find("listen = \"127.0.0.1:18095\"") != std::string::npos);
  CHECK((config.find("ca_file = ") != std::string::npos) == tls);
  const std::string base = std::string(tls ? "https://" : "http://") + listen;

  // Truth for one symbol, and a fault (a gap on a book the watch will carry: it must resync).
  const auto truth = http_call("GET", base + "/sim/v1/books/kraken/BTC%2FUSD?levels=5", "", ca);
  INFO(truth.error << truth.body);
  REQUIRE(truth.status == 200);
  auto tj = parse_json(p, truth.body);
  CHECK(str(tj["symbol"]) == "BTC/USD");
  CHECK(tj["bids"].get_array().size() == 5);
  const auto fault = http_call("POST", base + "/sim/v1/faults",
                               R"({"venue":"binance","symbol":"BTCUSDT","kind":"gap","duration_s":0})", ca);
  CHECK(fault.status == 200);
  CHECK(http_call("POST", base + "/sim/v1/faults", R"({"venue":"binance","kind":"nope"})", ca).status == 400);

  // The watch, on the config exactly as written.
  child_process watch({DEPTHMON_CLI, "watch", "--config", cfg, "--duration", "30"});
  const std::size_t books = 2 * core::all_venues.size();
  struct tick {
    clk::time_point at;
    std::vector<watch_line> lines;
  };
  // One tick is one line per book (watch prints every book each second, in a fixed order).
  auto next_tick = [&](seconds timeout) -> std::optional<tick> {
    tick t;
    for (std::size_t i = 0; i < books; ++i) {
      auto l = watch.read_line(timeout);
      if (!l) return std::nullopt;
      if (i == 0) t.at = clk::now();
      t.lines.push_back(parse_watch_line(*l));
    }
    return t;
  };
  auto all_live = [](const tick& t) {
    for (const auto& l : t.lines)
      if (l.state != "live" || l.mid.empty()) return false;
    return true;
  };
  std::optional<tick> t;
  const auto deadline = clk::now() + seconds(20);
  do {
    t = next_tick(seconds(5));
  } while (t && !all_live(*t) && clk::now() < deadline);
  INFO("watch stderr: " << watch.stderr_text());
  REQUIRE(t);
  if (!all_live(*t))
    for (const auto& l : t->lines) INFO(l.venue << " " << l.symbol << " " << l.state);
  REQUIRE(all_live(*t));

  // Freeze the market, let the client drain, compare every printed mid with the truth.
  REQUIRE(http_call("POST", base + "/sim/v1/pause", "", ca).status == 200);
  const auto paused_at = clk::now();
  do {
    t = next_tick(seconds(5));
  } while (t && t->at < paused_at + milliseconds(1500));
  REQUIRE(t);
  std::map<std::string, int> per_venue;
  for (const auto& l : t->lines) {
    INFO(l.venue << " " << l.symbol << " " << l.state << " mid=" << l.mid);
    CHECK(l.state == "live");
    const auto tr = http_call("GET", base + "/sim/v1/books/" + l.venue + "/" + url_symbol(l.symbol), "", ca);
    REQUIRE(tr.status == 200);
    auto j = parse_json(p, tr.body);
    INFO("truth mid " << str(j["mid"]));
    CHECK(same_decimal(l.mid, str(j["mid"])));
    ++per_venue[l.venue];
  }
  CHECK(per_venue.size() == core::all_venues.size());
  REQUIRE(http_call("POST", base + "/sim/v1/resume", "", ca).status == 200);

  // Both stop cleanly on SIGTERM.
  watch.signal(SIGTERM);
  CHECK(watch.wait(seconds(10)) == 0);
  sim.signal(SIGTERM);
  CHECK(sim.wait(seconds(10)) == 0);
}

}  // namespace depthmon::test
