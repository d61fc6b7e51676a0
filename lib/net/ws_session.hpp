// net/ws_session.hpp — the server side of one websocket connection (ws, or wss over the
// server's TLS), created by net::http_server when a websocket route accepts an upgrade.
//
// What it offers its owner (the daemon never needs it; the exchange simulator serves every
// venue's stream through it): a send queue with one write in flight (text or binary frames,
// pings and the close frame in the same order they were queued), a receive callback for data
// frames, control-frame reports (the client's pings are answered by Beast), a server-initiated
// close with code and reason, and two faults for tests: stall() (the connection stays open but
// from then on nothing reaches the client, not even pongs: a half-open socket as the client
// sees it; unstall() ends it) and drop() (the TCP connection is reset at once, no close frame).
//
// Threads: a session belongs to its server's io_context thread; every member function is called
// there and every callback runs there. Lifetime: shared_ptr; pending operations keep it alive,
// so the owner may drop its pointer at any time (the connection then stays open until it ends);
// like any Asio object it must not outlive its io_context (drop the pointers before that).
//
// Errors: no exceptions. A session ends exactly once, through on_closed, which is always posted
// (never run from inside a member function, so an owner can call close()/drop() while iterating
// its own registry):
//   * our close() completed:       ec = {} (success), phase "close", the client's echo;
//   * the client closed:           ec = websocket::error::closed, phase "read", its code/reason;
//   * the client vanished:         the Asio/Beast code in "read" or "write";
//   * idle timeout (if set):       beast::error::timeout in "read";
//   * send queue above its cap:    net::error::send_queue_full in "write" (connection dropped);
//   * drop() or server stop():     asio::error::operation_aborted, phase "drop" / "stop".
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "net/ws_client.hpp"  // control_kind

namespace depthmon::net {

struct server_request;
class ws_session;

struct ws_session_closed {
  boost::system::error_code ec;
  const char* phase = "";
  std::uint16_t close_code = 0;  // the client's close frame (or its echo of ours), 0: none
  std::string close_reason;
};

struct ws_session_callbacks {
  // `payload` is valid until the callback returns; `session` is the one that received it.
  std::function<void(ws_session& session, std::string_view payload, bool text)> on_message;
  std::function<void(control_kind kind, std::string_view payload)> on_control;
  std::function<void(const ws_session_closed&)> on_closed;
};

struct ws_session_stats {
  std::uint64_t messages_in = 0, bytes_in = 0;
  std::uint64_t messages_out = 0, bytes_out = 0;  // written (while stalled: discarded) frames
  std::uint64_t pings_out = 0, pings_in = 0, pongs_in = 0;
};

enum class ws_session_state : std::uint8_t { handshake, open, closing, closed };

class ws_session {
 public:
  virtual ~ws_session() = default;

  // Queues a data frame. Ignored once closing or closed. Frames queued beyond the server's
  // ws_max_send_queue bytes end the session (send_queue_full): a client that does not read
  // must not grow the simulator without bound.
  virtual void send(std::string payload, bool binary = false) = 0;
  // Queues a websocket ping (payload truncated to 125 bytes).
  virtual void ping(std::string payload = {}) = 0;
  // Queues a close frame after what is already queued; on_closed follows the client's echo
  // (or the server's ws_handshake_timeout).
  virtual void close(std::uint16_t code = 1000, std::string reason = {}) = 0;
  // Half-open stall: from now on every byte written (frames, pongs, close) is discarded while
  // the socket stays open and reads continue, until unstall() (never, if it is not called).
  virtual void stall() = 0;
  // Ends a stall: writes reach the client again (what was written meanwhile stays lost). Call
  // it while no frame is half written (the simulator stalls only an idle session), or the
  // client sees a torn frame.
  virtual void unstall() = 0;
  // Resets the TCP connection now (SO_LINGER 0: the client sees ECONNRESET), no close frame.
  virtual void drop() = 0;

  // The upgrade request as the route's handler saw it (path, query, headers, remote address).
  virtual const server_request& request() const noexcept = 0;
  virtual ws_session_state state() const noexcept = 0;
  virtual const ws_session_stats& stats() const noexcept = 0;
  virtual bool stalled() const noexcept = 0;
  virtual bool deflate_negotiated() const noexcept = 0;
  virtual std::size_t queued() const noexcept = 0;        // frames not yet written
  virtual std::size_t queued_bytes() const noexcept = 0;  // their payload bytes
};

}  // namespace depthmon::net
