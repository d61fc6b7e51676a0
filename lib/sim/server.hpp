// sim/server.hpp — the exchange simulator on the wire: one or more venue_sims served from one
// listen address by net::http_server, websocket and REST, plain (ws, http) or TLS (wss, https),
// plus the simulator's own control endpoints.
//
// Routes. Each venue lives under a path prefix named after it (core::to_string: "/binance",
// "/binance-usdm", "/kraken", ...). ws_url(v) is "ws(s)://HOST:PORT/<venue>" plus the base path
// the venue's documented live endpoint carries (Kraken v2 ".../kraken/v2", OKX
// ".../okx/ws/v5/public", Hyperliquid ".../hyperliquid/ws", Binance USD-M
// ".../binance-usdm/public"), rest_url(v) "http(s)://HOST:PORT/<venue>"; the connector appends
// the documented paths itself, and the venue_sim sees the target without the prefix
// ("/stream?streams=...", "/api/v3/depth?symbol=..."). `root_venue` also serves one venue at "/"
// (single-venue test servers). Control endpoints (DESIGN.md `depthmon sim`):
//   GET  /sim/v1/books/{venue}/{symbol}?levels=N   truth: book JSON (sim/truth.hpp); the symbol
//                                                 may be percent-encoded or contain '/'
//   POST /sim/v1/faults                           {"venue","symbol"|null,"kind","duration_s"}:
//                                                 200 + JSON ack, 400 + {"error":...}
//   GET  /sim/v1/stats                            per venue: symbols, URLs, websocket
//                                                 connections, REST requests (total, last 60 s,
//                                                 busiest 60 s window, Binance weight)
//   POST /sim/v1/pause, /sim/v1/resume            freeze / thaw simulated time (every venue)
//
// Time. Simulated time is the wall clock (steady) since start() minus the time spent paused. A
// timer every `tick` advances every venue_sim to it and carries out each connection's actions:
// send, close with the venue's code, abort (TCP reset), stall (half-open: net::ws_session's
// stall gate, so not even pongs go out, applied once the session's queue is idle so no frame is
// torn; the client's frames are ignored meanwhile) and the end of a stall at its scheduled time
// (unstall). A client's text frame is handed to its session at once and the session's answer
// sent in the same turn.
//
// Threads: the server, its routes and every session run on the one thread running `ioc`; start()
// and stop() are called there or before it runs. The venue_sims and the counters are guarded by
// mutex(): another thread (a test) may lock it and use sim() and the counters; the server thread
// holds it while it ticks or serves a request, so keep such sections short.
// Errors: no exceptions escape. start() returns the bind/TLS error; bad control requests are
// answered 400/404 with a one-line JSON error; server-side socket errors go to `on_error`.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "sim/venue_sim.hpp"

namespace depthmon::sim {

struct server_options {
  std::string address = "127.0.0.1";  // loopback unless told otherwise
  std::uint16_t port = 0;             // 0: any free port; port() says which
  std::vector<core::venue> venues;    // served venues; empty: all of core::all_venues
  std::size_t symbols_per_venue = 3;  // default_instruments(v, n, ...)
  double levels_scale = 1.0;          // book depth (1: BTC ~3000 levels per side)
  double rate = 0.0;                  // steps per second per symbol; 0: the catalogue's
  sim_options sim;                    // seed, scenario, epoch, Binance weight limit
  std::string cert_pem, key_pem;      // TLS (wss, https) when both are set
  std::optional<core::venue> root_venue;  // also served at "/" (must be among `venues`)
  std::chrono::milliseconds tick{2};
  std::size_t max_connections = 1024;
  // Server-side failures (accept, TLS handshakes, handlers), one line each; the owner limits.
  std::function<void(std::string_view)> on_error;
};

// What one venue saw, for /sim/v1/stats and tests. Read under mutex().
struct venue_counters {
  std::uint64_t ws_connections = 0;  // upgrade requests, refused ones included
  std::uint64_t ws_refused = 0;      // refused (disconnect fault with a duration in force)
  std::uint32_t ws_open = 0;         // sessions connected now
  std::uint64_t rest_requests = 0;
  std::uint32_t rest_last_minute = 0;  // requests in the last 60 s of wall-clock time
  std::uint32_t rest_max_minute = 0;   // the most in any 60 s window so far
};

class server {
 public:
  server(boost::asio::io_context& ioc, server_options options);
  ~server();  // stop()
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Called for every REST request of a venue (not the control endpoints), on the server thread
  // with mutex() held. Set before start().
  using rest_observer = std::function<void(core::venue, std::string_view target, int status)>;
  void on_rest(rest_observer f);
  // Called for every websocket text frame right before it is handed to the socket (server
  // thread, mutex() held; keep it short): the latency benchmark stamps send times with it.
  using send_observer = std::function<void(core::venue, std::string_view frame)>;
  void on_send(send_observer f);

  // Binds, listens, starts the clock and the ticker. Error: invalid_argument (bad options) or
  // the listen/TLS failure, with a one-line reason in `*message`.
  core::status start(std::string* message = nullptr);
  // Closes the listener and every connection; the ticker stops. Idempotent.
  void stop();

  std::uint16_t port() const noexcept;
  bool tls() const noexcept;
  const server_options& options() const noexcept;
  const std::vector<core::venue>& venues() const noexcept;
  // "ws(s)://HOST:PORT" / "http(s)://HOST:PORT" (HOST: the listen address, 127.0.0.1 for any).
  std::string ws_base() const;
  std::string http_base() const;
  // The venue's base endpoints as a config's ws_url / rest_url (see the banner).
  std::string ws_url(core::venue v) const;
  std::string rest_url(core::venue v) const;

  // The served symbols of `v` (venue-native) and the [[venue]] settings a client config needs
  // for them (Kraken: depth and each pair's precision.SYM = P:Q). Fixed at construction, so no
  // lock is needed.
  std::vector<std::string> symbols(core::venue v) const;
  std::vector<std::pair<std::string, std::string>> client_settings(core::venue v) const;

  // Guards every venue_sim and counter; sim() and counters() need it held.
  std::mutex& mutex() const noexcept;
  venue_sim* sim(core::venue v) noexcept;  // nullptr when not served
  const venue_counters* counters(core::venue v) const noexcept;

  // Freezes / thaws simulated time (any thread; takes mutex()).
  void pause();
  void resume();
  bool paused() const;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

// The base path a venue's documented live websocket URL carries after its host ("" for most;
// Kraken v2 "/v2", OKX "/ws/v5/public", Hyperliquid "/ws", Binance USD-M "/public").
std::string_view ws_base_path(core::venue v) noexcept;

}  // namespace depthmon::sim
