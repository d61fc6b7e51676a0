// net/ws_client.hpp — one websocket client connection (ws or wss) on Boost.Beast.
//
// What it does, in order: DNS resolve, TCP connect, optional HTTP CONNECT through a proxy,
// TLS (SNI + chain and host-name verification, see net/tls.hpp), the websocket upgrade for the
// URL's path and query (permessage-deflate offered when asked), then a read loop that hands
// every data frame to the owner in a reused buffer with core::frame_padding zeroed bytes after
// the payload, stamped right after the read completes. Sends are queued and written one at a
// time (never two writes in flight; our pings and keep-alives go through the same queue).
// Server pings are answered by Beast and reported; our own pings and an application keep-alive
// (payload + interval chosen by the caller: the venue) are sent on their timers.
//
// Threads: a connection belongs to the one thread that runs its io_context. Every member
// function must be called on that thread (post to it from elsewhere); every callback runs on
// it. The io_context must not be run by more than one thread.
//
// Lifetime: create() returns a shared_ptr; pending operations keep the object alive, so the
// owner may drop its pointer at any time after abort() or after on_closed.
//
// Errors: no exceptions on the connect, read or write paths (error_code overloads only).
// A connection ends exactly once, through on_closed, with (error_code, phase):
//   * our close() completed:        ec = {} (success), phase "close", the server's echo reason;
//   * the server closed:            ec = websocket::error::closed, phase "read", its code/reason;
//   * a timeout:                    beast::error::timeout in "connect"/"proxy"/"tls"/
//                                   "ws_handshake"/"close", or net::error::idle_timeout in
//                                   "idle_timeout";
//   * anything else:                the Asio/Beast/OpenSSL code and the phase it happened in.
// abort() ends it silently (no callback). Callbacks must not throw.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/frame.hpp"
#include "core/time.hpp"
#include "net/proxy.hpp"
#include "net/tls.hpp"

namespace depthmon::net {

using ms = std::chrono::milliseconds;
using header_list = std::vector<std::pair<std::string, std::string>>;

struct ws_options {
  std::string url;                     // ws://host[:port]/path?query or wss://...
  std::string ca_file;                 // extra trust anchor (used when `tls` is null)
  std::shared_ptr<tls_context> tls;    // shared context; built from ca_file when null
  proxy_settings proxy;                // explicit proxy and/or the environment's
  header_list headers;                 // extra upgrade-request headers
  std::string user_agent = "depthmon";

  ms connect_timeout{10'000};          // resolve + TCP connect, and the proxy exchange
  ms tls_timeout{10'000};              // TLS handshake
  ms handshake_timeout{10'000};        // websocket upgrade, and our close handshake
  ms idle_timeout{0};                  // read-idle: no frame at all (data or control); 0: off

  ms ping_interval{0};                 // our websocket pings; 0: none
  std::string keepalive_payload;       // application keep-alive text frame (e.g. {"op":"ping"})
  ms keepalive_interval{0};            // 0: none
  // false: send the keep-alive every interval; true: only after `interval` without receiving
  // anything (OKX's rule: "after each message start a timer; on expiry send ping").
  bool keepalive_when_receive_idle = false;

  bool permessage_deflate = false;     // offer it; used if the server accepts
  std::size_t max_message_size = 64u << 20;  // larger messages fail the read (message_too_big)
};

// Receive time of a frame: steady (staleness, latency) and wall clock (exchange event time
// comparisons), both read once right after the read completed.
struct rx_time {
  std::chrono::steady_clock::time_point steady;
  core::unix_nanos wall = 0;
};

enum class control_kind : std::uint8_t { ping, pong, close };

struct ws_closed {
  boost::system::error_code ec;        // success only after our own close()
  const char* phase = "";
  std::uint16_t close_code = 0;        // the peer's close frame (or its echo of ours), 0: none
  std::string close_reason;
  unsigned http_status = 0;            // upgrade answered with a non-101 status (429, 418...)
  bool was_open = false;               // the websocket handshake had completed
};

struct ws_callbacks {
  std::function<void()> on_open;
  // `frame` is valid until the callback returns; frame.data()[size .. size+63] are zero.
  std::function<void(core::padded_view frame, bool text, rx_time received)> on_message;
  std::function<void(control_kind kind, std::string_view payload)> on_control;
  std::function<void(const ws_closed&)> on_closed;
};

struct ws_stats {
  std::uint64_t messages_in = 0, bytes_in = 0;
  std::uint64_t pings_in = 0, pongs_in = 0;
  std::uint64_t messages_out = 0, pings_out = 0, keepalives_out = 0;
};

enum class ws_state : std::uint8_t { idle, connecting, open, closing, closed };

class ws_connection {
 public:
  static std::shared_ptr<ws_connection> create(boost::asio::io_context& ioc, ws_options options,
                                               ws_callbacks callbacks);
  virtual ~ws_connection() = default;

  // Starts connecting. A bad URL or proxy setting is reported through on_closed (phase
  // "resolve", net::error::bad_url) from the io_context, never from inside start().
  virtual void start() = 0;
  // Queues a frame. Frames queued before the connection is open are sent right after the
  // handshake, in order. Ignored once closing or closed.
  virtual void send(std::string payload, bool binary = false) = 0;
  // Queues a close frame after what is already queued; on_closed follows the server's echo.
  // Before the connection is open it ends the attempt at once (operation_aborted, "close").
  virtual void close(std::uint16_t code = 1000, std::string reason = {}) = 0;
  // Drops the connection now; no callback runs after abort() returns.
  virtual void abort() = 0;

  virtual ws_state state() const noexcept = 0;
  virtual const ws_stats& stats() const noexcept = 0;
  // True once the server accepted permessage-deflate in its upgrade response.
  virtual bool deflate_negotiated() const noexcept = 0;
  // Frames queued but not yet written (the send queue's depth).
  virtual std::size_t queued() const noexcept = 0;
};

}  // namespace depthmon::net
