// daemon/demo.hpp — `depthmond --demo`: the exchange simulator in-process (TLS, every venue,
// BTC/ETH/SOL and two altcoins each, `thinning` scenario) and the daemon configuration that
// points at it, with a baseline equal to the simulator's "October" depth.
//
// The baseline is the simulator's own: each book's ±2 % depth at the scenario start, before
// any thinning (sim::symbol_feed::baseline), written as a DESIGN.md baseline CSV into the state
// directory (<state>/baseline.csv) so /api/v1/baseline and /metrics show it like any other.
// The simulator's books are quoted in USD, USDT or USDC; the demo values USDT and USDC at a
// fixed 1 USD (config rates), so the CSV's depth_usd is the quote notional. Thinning runs over
// 120 s (not the simulator's default 600 s) so a newcomer sees depth fall below the baseline
// within two minutes; the books hold there, then recover from 300 s over 60 s (the scenario's
// recovery), so the same run also shows the alerts resolving after about six minutes. TLS
// material lives in <state>/pki (a fresh CA per start).
// Alert rules (demo_alerts(), as config/demo.toml): DepthBelowBaseline (ratio under 0.8 for
// 10 s, warning) on every BTC/ETH/SOL book as it thins, AssetDepthBelowBaseline (under 0.6,
// warning) and AssetDepthFarBelowBaseline (under 0.45, critical) on the altcoins summed over
// venues, FeedDown (30 s, critical) if a simulated venue drops.
//
// Threads: the simulator runs on its own thread and io_context; start()/stop() from the main
// thread. Errors: start() returns false with a one-line reason (state dir not writable, listen
// failure); nothing throws.
#pragma once

#include <memory>
#include <string>

#include "config/config.hpp"

namespace depthmon::daemon {

struct demo_options {
  std::string state_dir = "./depthmon-demo";
  std::string listen = "127.0.0.1:18095";  // the daemon's HTTP listen address
  std::size_t symbols_per_venue = 5;       // BTC, ETH, SOL + two altcoins
  double thinning_s = 120;
  double recover_start_s = 300;  // simulated seconds from the start; the books hold until then
  double recover_s = 60;         // back to the baseline depth over this long
  std::uint64_t seed = 1;
};

// The demo's [alert] section (rules only; receivers come from --webhook and --alertmanager).
alert::alert_config demo_alerts();

class demo {
 public:
  explicit demo(demo_options o);
  ~demo();  // stop()
  demo(const demo&) = delete;
  demo& operator=(const demo&) = delete;

  bool start(std::string* error);
  void stop();
  // The daemon config for the running simulator (valid after start()).
  const config::daemon_config& config() const noexcept;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace depthmon::daemon
