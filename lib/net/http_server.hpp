// net/http_server.hpp — an HTTP/1.1 server (plain or TLS) on Boost.Beast with routing by
// method and path, websocket upgrades on the same port, and the limits an exposed daemon needs.
//
// Used by depthmond (/metrics, /-/healthy, /api/v1/*) and by the exchange simulator (every
// venue's REST and websocket endpoints on one loopback port). Knows nothing about either.
//
// Routing: a route is a path pattern, exact ("/metrics") or prefix ("/api/v1/books/": every
// path starting with those bytes), with handlers per method and optionally a websocket handler.
// The best pattern for a request's path wins: an exact match, else the longest prefix; then
//   * its handler for the method runs; HEAD runs the GET handler and sends its headers
//     (Content-Length included) without the body;
//   * a websocket upgrade request (GET + Upgrade: websocket) goes to the websocket handler;
//     a plain GET to a websocket-only pattern gets 426;
//   * another method gets 405 with Allow; a path no pattern matches gets 404.
// Paths are routed as received (not percent-decoded, so "BTC%2FUSD" stays one segment;
// percent_decode() is there for handlers); the query string is split and decoded for them.
//
// Limits (http_server_options, defaults there): header bytes (431), body bytes (413, refused on
// Content-Length before the body is read), a header deadline from the connection's first byte
// wait (or accept) so a client trickling bytes (slowloris) is cut, a body deadline, a write
// deadline, a keep-alive idle timeout between requests, a TLS handshake deadline, and a cap on
// open connections (websocket sessions included): beyond it a plain connection is answered 503
// and closed, a TLS one closed at once. Optional basic auth (net/basic_auth.hpp) for every
// route; a refused request gets 401 with WWW-Authenticate.
//
// Threads: the server and all its connections belong to the one thread running its io_context;
// routes are added before start(); start() and stop() are called on that thread (or before it
// runs), every handler runs there. Handlers must be quick (the daemon's read published snapshots); a handler
// needing time answers later through its responder. stats() may be read from any thread.
//
// Errors: no exceptions escape. start() returns the bind/listen/TLS-setup error. Client faults
// (bad requests, limits, timeouts, refused auth) are answered or closed and counted per reason
// in stats(), never reported one by one. Server-side failures (accept errors, TLS handshakes
// that fail, a handler that throws: 500) go through the one on_error funnel, which the owner
// rate-limits and logs; nothing in it carries a secret (no header values, no credentials).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/system/error_code.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/basic_auth.hpp"
#include "net/ws_session.hpp"

namespace depthmon::net {

using verb = boost::beast::http::verb;

struct http_server_options {
  std::string address = "127.0.0.1";  // loopback unless told otherwise
  std::uint16_t port = 0;             // 0: any free port; port() says which

  // TLS (https, wss) when a certificate is given, as files or as PEM text.
  std::string cert_file, key_file;
  std::string cert_pem, key_pem;

  std::size_t max_header_bytes = 8 * 1024;   // request line + headers: 431 beyond
  std::size_t max_body_bytes = 64 * 1024;    // 413 beyond
  std::size_t max_connections = 128;         // open connections incl. websocket sessions
  std::chrono::milliseconds tls_timeout{10'000};     // TLS handshake after accept
  std::chrono::milliseconds header_timeout{10'000};  // whole header, from accept (1st request)
                                                     // or from its first byte (keep-alive)
  std::chrono::milliseconds body_timeout{10'000};    // whole body after the header
  std::chrono::milliseconds write_timeout{10'000};   // one response
  std::chrono::milliseconds idle_timeout{30'000};    // keep-alive: wait for the next request

  std::optional<basic_auth> auth;  // every route needs a valid Authorization when set

  // Websocket sessions.
  std::size_t ws_max_message = 1u << 20;                    // client frames larger fail the read
  std::size_t ws_max_send_queue = 256u << 20;               // queued bytes before send_queue_full
  std::chrono::milliseconds ws_handshake_timeout{10'000};   // 101 write, and our close handshake
  std::chrono::milliseconds ws_idle_timeout{0};             // nothing from the client; 0: off
};

// A request as a handler sees it. Strings are owned (a deferred responder may outlive the
// connection's buffers).
struct server_request {
  verb method = verb::unknown;
  std::string method_text;
  std::string target;        // as received: path?query
  std::string path;          // up to '?', not percent-decoded
  std::string query_string;  // after '?', raw
  std::vector<std::pair<std::string, std::string>> query;    // decoded (%XX, '+' as space)
  std::vector<std::pair<std::string, std::string>> headers;  // as received
  std::string body;
  std::string remote;         // "127.0.0.1:54321"
  std::string user;           // the basic-auth user, when auth is on
  std::string route;          // the pattern that matched
  bool tls = false;

  // First header with this name (case-insensitive), empty if absent.
  std::string_view header(std::string_view name) const noexcept;
  // First query parameter with this name, nullopt if absent.
  std::optional<std::string_view> query_value(std::string_view name) const noexcept;
  // The path after a prefix route's pattern ("" for exact routes).
  std::string_view path_rest() const noexcept;
};

struct server_response {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra (Retry-After, ...)
  bool close = false;  // close the connection after this response
};

// A JSON response (Content-Type application/json) with `body` as given.
server_response json_response(unsigned status, std::string body);

// Completes a deferred request. Call it once, on the server thread; if it is destroyed
// without being called the client gets 500. A call after the connection ended does nothing.
class http_responder {
 public:
  struct target {
    virtual ~target() = default;
    virtual void respond(server_response r) = 0;
    // Dropped unanswered: a 500, posted (a throwing handler is counted and reported first).
    virtual void abandon() = 0;
  };
  http_responder() = default;
  explicit http_responder(std::shared_ptr<target> t) : t_(std::move(t)) {}
  http_responder(http_responder&&) noexcept = default;
  http_responder& operator=(http_responder&&) noexcept;
  http_responder(const http_responder&) = delete;
  http_responder& operator=(const http_responder&) = delete;
  ~http_responder();
  void operator()(server_response r);

 private:
  std::shared_ptr<target> t_;
};

using http_handler = std::function<void(const server_request&, server_response&)>;
using http_async_handler = std::function<void(const server_request&, http_responder)>;

// What a websocket route's handler decides at upgrade time (the query string is in the
// request: Binance's /stream?streams=...).
struct ws_accept {
  bool accept = true;
  server_response reject;             // sent instead of 101 when !accept (429, 400, ...)
  ws_session_callbacks callbacks;     // for the session
  std::vector<std::pair<std::string, std::string>> headers;  // extra 101 response headers
  bool permessage_deflate = false;    // accept the client's offer
  // After the 101 went out: the session, ready to send. The owner keeps the pointer.
  std::function<void(std::shared_ptr<ws_session>)> on_open;
};
using ws_handler = std::function<void(const server_request&, ws_accept&)>;

enum class path_match : std::uint8_t { exact, prefix };

// Client requests refused, by reason (metric label values: reason_name()).
enum class reject_reason : std::uint8_t {
  bad_request,          // 400: unparsable request
  header_too_large,     // 431
  body_too_large,       // 413
  header_timeout,       // header not complete in time (slowloris): closed
  body_timeout,         // body not complete in time: closed
  unauthorized,         // 401
  not_found,            // 404
  method_not_allowed,   // 405
  upgrade_required,     // 426: plain GET on a websocket-only route
  connection_limit,     // over max_connections: 503 or closed
  tls_handshake,        // handshake failed or timed out
  count_
};
const char* reason_name(reject_reason r) noexcept;

struct http_server_stats {
  std::uint64_t connections_accepted = 0;  // admitted (not counting connection_limit ones)
  std::uint64_t connections_open = 0;      // gauge, websocket sessions included
  std::uint64_t requests = 0;              // complete requests routed to a handler
  std::uint64_t handler_errors = 0;        // handlers that threw (answered 500)
  std::uint64_t accept_errors = 0;
  std::uint64_t ws_upgrades = 0;
  std::uint64_t ws_sessions_open = 0;      // gauge
  std::array<std::uint64_t, 6> responses{};  // by status class: [2] = 2xx ... [5] = 5xx
  std::array<std::uint64_t, static_cast<std::size_t>(reject_reason::count_)> rejected{};
  std::uint64_t rejections(reject_reason r) const noexcept {
    return rejected[static_cast<std::size_t>(r)];
  }
};

struct server_error {
  boost::system::error_code ec;
  const char* phase = "";  // "accept", "tls", "handler"
  std::string remote;
  std::string what;        // extra detail (a handler's exception text)
};

class http_server {
 public:
  http_server(boost::asio::io_context& ioc, http_server_options options);
  ~http_server();  // stop()
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  void handle(verb method, std::string path, http_handler h, path_match m = path_match::exact);
  void handle_async(verb method, std::string path, http_async_handler h,
                    path_match m = path_match::exact);
  void handle_ws(std::string path, ws_handler h, path_match m = path_match::exact);
  void on_error(std::function<void(const server_error&)> f);

  // Loads the TLS identity, binds and listens; accepting starts when the io_context runs.
  // Returns the error (and a one-line message) if any step fails.
  boost::system::error_code start(std::string* message = nullptr);
  // Closes the listener and every connection (websocket sessions end with phase "stop").
  void stop();

  std::uint16_t port() const noexcept;  // the bound port (after start())
  bool tls() const noexcept;
  http_server_stats stats() const noexcept;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

// "127.0.0.1:18095", "[::1]:0", "localhost:8080" -> address and port (the config's `listen`);
// "localhost" becomes 127.0.0.1 (no resolver at start-up); nullopt if it is not host:port.
std::optional<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text);

// Percent-decodes `s` (and '+' as space when `plus_is_space`); malformed escapes stay as they are.
std::string percent_decode(std::string_view s, bool plus_is_space = false);
// Splits "a=1&b=x%20y" into decoded pairs (a parameter without '=' has an empty value).
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace depthmon::net
