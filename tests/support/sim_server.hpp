// tests/support/sim_server.hpp — a lib/sim venue simulator served over real sockets on
// 127.0.0.1: websocket (ws or wss) and REST on one port, for the feed's integration tests.
//
// A thin adapter over sim::server (lib/sim/server.hpp) serving one venue, both at "/" (so
// ws_base() and http_base() are the venue's base URLs) and under "/<venue>" like `depthmon sim`.
// Every frame the client receives is made by the simulator's own encoder (lib/sim), never by
// the client's venue code. Simulated time follows the wall clock from construction (the server
// advances the venue_sim every 2 ms) unless pause()d, so a test can freeze the market, let the
// client drain what was sent and compare its books with the truth exactly. Each websocket
// session carries out the simulator's actions: send, close (with the venue's code), abort (TCP
// drop without close frame) and stall (half-open: nothing written any more, not even pongs,
// until the stall's scheduled end, or until the client closes for a stall without one). REST
// requests go to venue_sim::rest(); each is logged with its status and time, so tests count
// them.
//
// Threads: the server runs on its own thread (server_base) and stops by itself after
// `lifetime`; the venue_sim is shared with the test thread under the server's mutex: use
// with_sim(). Test support only: exceptions allowed (a server that cannot start throws).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "sim/server.hpp"
#include "sim/venue_sim.hpp"
#include "support/net_servers.hpp"

namespace depthmon::test {

struct sim_server_options {
  core::venue venue = core::venue::binance;
  std::size_t symbols = 3;
  double levels_scale = 0.3;
  double rate = 20.0;  // steps per second per symbol
  std::uint64_t seed = 7;
  std::optional<tls_identity> tls{};
  std::uint32_t binance_weight_limit = 6000;
  ms lifetime{25'000};
};

struct rest_entry {
  steady::time_point at;
  std::string target;
  int status = 0;
};

struct sim_server_log {
  int ws_connections = 0;
  int ws_open = 0;  // sessions currently connected
  std::vector<rest_entry> rest;
};

class sim_server : public server_base {
 public:
  explicit sim_server(sim_server_options o);
  ~sim_server() override;

  std::string http_base() const;  // http(s)://127.0.0.1:PORT
  std::string ws_base() const;    // ws(s)://127.0.0.1:PORT
  const sim_server_options& options() const noexcept { return o_; }

  template <class F>
  auto with_sim(F&& f) {
    std::lock_guard lock(sim_mutex());
    refresh_log();
    return f(the_sim(), log_);
  }
  void pause();
  void resume();

  // The server itself (e.g. its ws_url(v) / rest_url(v) under "/<venue>").
  sim::server& server() noexcept;

  struct impl;

 private:
  std::mutex& sim_mutex() const noexcept;
  sim::venue_sim& the_sim() noexcept;
  void refresh_log();  // counters into log_ (under sim_mutex())

  sim_server_options o_;
  sim_server_log log_;
  std::shared_ptr<impl> impl_;
};

}  // namespace depthmon::test
