// tests/integration/daemon/daemon_harness.hpp — a real depthmond process against a real
// `depthmon sim` process on 127.0.0.1: the simulator's endpoints, a config file the test writes
// (and rewrites before a SIGHUP), the daemon's HTTP API, waits on conditions with deadlines.
// Both processes are killed when the test ends, pass or fail.
//
// Test support only: exceptions allowed.
#pragma once

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "integration/sim/sim_support.hpp"
#include "support/json.hpp"
#include "support/net_servers.hpp"

#ifndef DEPTHMOND_BIN
#error "DEPTHMOND_BIN must name the depthmond binary"
#endif

namespace depthmon::test {

using namespace std::chrono_literals;

inline bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(50ms);  // polling a condition another process makes true
  }
  return pred();
}

inline std::string scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("depthmond_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

// `depthmon sim` serving binance and okx (3 books each, small books) for `duration` seconds.
struct sim_process {
  explicit sim_process(const std::string& venues = "binance,okx", int symbols = 3)
      : proc({DEPTHMON_CLI, "sim", "--venues", venues, "--symbols-per-venue", std::to_string(symbols),
              "--levels-scale", "0.2", "--duration", "170"}) {
    const auto line = proc.read_line(15s);
    if (!line) throw std::runtime_error("depthmon sim did not start: " + proc.stderr_text());
    const auto at = line->find("127.0.0.1:");
    base = "http://" + line->substr(at, line->find('"', at) - at);
  }
  child_process proc;
  std::string base;  // http://127.0.0.1:PORT
  std::string ws() const { return "ws" + base.substr(4); }
};

struct venue_spec_text {
  std::string name;
  std::vector<std::string> symbols;
};

// A depthmond config pointing at `sim` (binance at /binance, okx at /okx/ws/v5/public).
inline std::string config_text(const sim_process& sim, std::uint16_t port, const std::string& state,
                               const std::vector<venue_spec_text>& venues, const std::string& extra = {}) {
  std::string t = "state_dir = \"" + state + "\"\n" + extra + "\n[http]\nlisten = \"127.0.0.1:" +
                  std::to_string(port) + "\"\nrequest_timeout_s = 2\nmax_connections = 1200\n";
  t += "\n[[rate]]\ncurrency = \"USDT\"\nfixed = \"1\"\n";
  for (const auto& v : venues) {
    t += "\n[[venue]]\nname = \"" + v.name + "\"\nsymbols = [";
    for (std::size_t i = 0; i < v.symbols.size(); ++i) t += (i ? ", \"" : "\"") + v.symbols[i] + "\"";
    t += "]\n";
    const std::string ws_path = v.name == "okx" ? "/okx/ws/v5/public" : "/" + v.name;
    t += "ws_url = \"" + sim.ws() + ws_path + "\"\nrest_url = \"" + sim.base + "/" + v.name + "\"\n";
  }
  return t;
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path + ".tmp", std::ios::trunc);
  f << text;
  f.close();
  std::filesystem::rename(path + ".tmp", path);
}

struct daemon_process {
  daemon_process(const std::string& config, std::uint16_t p, std::vector<std::string> extra = {})
      : port(p), proc([&] {
          std::vector<std::string> a = {DEPTHMOND_BIN, "--config", config};
          a.insert(a.end(), extra.begin(), extra.end());
          return a;
        }()) {}
  std::uint16_t port;
  child_process proc;
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
  http_reply get(const std::string& path) const { return http_call("GET", url(path)); }
  bool wait_ready(std::chrono::milliseconds t) const {
    return eventually([&] { return get("/-/ready").status == 200; }, t);
  }
  // The value of an unlabelled metric line in /metrics, or nullopt.
  std::optional<double> metric(const std::string& name) const {
    const auto r = get("/metrics");
    const auto at = r.body.find("\n" + name + " ");
    if (at == std::string::npos) return std::nullopt;
    return std::stod(r.body.substr(at + name.size() + 2));
  }
  // The status of a book in /api/v1/books/{venue}/{symbol} ("" when not 200).
  std::string book_status(const std::string& venue, const std::string& symbol) const {
    const auto r = get("/api/v1/books/" + venue + "/" + symbol);
    if (r.status != 200) return {};
    const auto at = r.body.find("\"status\":\"");
    return at == std::string::npos ? std::string() : r.body.substr(at + 10, r.body.find('"', at + 10) - at - 10);
  }
};

}  // namespace depthmon::test
