// tests/support/net_servers.hpp — loopback peers for the net tests: a Beast websocket server
// (ws/wss, echo, scripted pings/closes, stalls), an HTTP(S) server and an HTTP CONNECT proxy.
//
// Each server listens on 127.0.0.1 port 0, runs its own io_context on its own thread and stops
// by itself after `lifetime` (or when destroyed, whichever is first), so a failing test can
// never hang the suite. What a server saw is kept in a log read under its mutex through
// inspect(); the test's own io_context (the client's) runs on the test thread: run_until().
// Test support only: exceptions are allowed here (coroutines with use_awaitable) and caught per
// session.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace depthmon::test {

using ms = std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

struct tls_identity {
  std::string cert_pem, key_pem;
};

// Runs `ioc` on the calling thread until pred() is true or `timeout` passes; true if pred held.
bool run_until(boost::asio::io_context& ioc, const std::function<bool()>& pred, ms timeout);

class server_base {
 public:
  std::uint16_t port() const noexcept { return port_; }
  virtual ~server_base();

 protected:
  explicit server_base(ms lifetime);
  void launch();    // after the acceptor is listening
  void shutdown();  // every derived destructor calls it first: the thread uses their members
  boost::asio::io_context ioc_;
  std::uint16_t port_ = 0;
  mutable std::mutex mu_;

 private:
  ms lifetime_;
  std::thread thread_;
};

// ---- websocket ---------------------------------------------------------------------------------
enum class stall { none, after_tcp, after_tls, after_handshake };

struct ws_server_options {
  std::optional<tls_identity> tls{};
  stall stall_at = stall::none;
  bool echo = true;
  bool deflate = false;
  std::size_t max_message = 64u << 20;
  std::vector<std::string> send_on_open{};
  std::string ping_on_open{};  // non-empty: a websocket ping with this payload after the upgrade
  std::optional<std::pair<std::uint16_t, std::string>> close_on_open{};  // after send_on_open
  ms lifetime{9000};
};

struct ws_server_log {
  int connections = 0;
  std::string target;                 // request target of the last upgrade
  std::string extensions;             // Sec-WebSocket-Extensions the client offered
  std::vector<std::string> texts;     // data frames received
  std::vector<steady::time_point> text_times;
  std::vector<std::string> pings, pongs;
  bool got_close = false;
  std::uint16_t close_code = 0;
  std::string close_reason;
  std::string last_error;
};

class ws_server : public server_base {
 public:
  explicit ws_server(ws_server_options o);
  ~ws_server() override;
  template <class F>
  auto inspect(F&& f) const {
    std::lock_guard lock(mu_);
    return f(log_);
  }
  std::string url(const std::string& host = "127.0.0.1", const std::string& target = "/ws") const;

  struct impl;

 private:
  ws_server_options o_;
  ws_server_log log_;
  std::shared_ptr<impl> impl_;
};

// ---- HTTP(S) -----------------------------------------------------------------------------------
using http_req = boost::beast::http::request<boost::beast::http::string_body>;
using http_res = boost::beast::http::response<boost::beast::http::string_body>;

struct http_server_options {
  std::optional<tls_identity> tls{};
  std::function<http_res(const http_req&)> handler{};  // runs on the server thread
  bool drop_after_response = false;  // close silently after each response (keep-alive promised)
  ms lifetime{9000};
};

struct http_server_log {
  int connections = 0;
  int requests = 0;
  std::vector<std::string> targets;
  std::vector<std::string> user_agents;
};

class http_server : public server_base {
 public:
  explicit http_server(http_server_options o);
  ~http_server() override;
  template <class F>
  auto inspect(F&& f) const {
    std::lock_guard lock(mu_);
    return f(log_);
  }
  std::string url(const std::string& target, const std::string& host = "127.0.0.1") const;

  struct impl;

 private:
  http_server_options o_;
  http_server_log log_;
  std::shared_ptr<impl> impl_;
};

// ---- HTTP CONNECT proxy ------------------------------------------------------------------------
struct proxy_options {
  bool refuse = false;  // answer 403 to every CONNECT
  ms lifetime{9000};
};

struct proxy_log {
  int connections = 0;
  std::vector<std::string> targets;  // CONNECT request targets
  std::vector<std::string> auth;     // Proxy-Authorization values
};

class connect_proxy : public server_base {
 public:
  explicit connect_proxy(proxy_options o);
  ~connect_proxy() override;
  template <class F>
  auto inspect(F&& f) const {
    std::lock_guard lock(mu_);
    return f(log_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  struct impl;

 private:
  proxy_options o_;
  proxy_log log_;
  std::shared_ptr<impl> impl_;
};

// A port on 127.0.0.1 that nothing listens on (bound, then released).
std::uint16_t unused_port();

// A listening socket whose accept queue is full, so a new connection's SYN is dropped and a
// connect() stays pending until the client's timeout: what an unreachable host looks like.
class blackhole_port {
 public:
  blackhole_port();
  ~blackhole_port();
  std::uint16_t port() const noexcept { return port_; }

 private:
  int listener_ = -1;
  std::vector<int> fillers_;
  std::uint16_t port_ = 0;
};

}  // namespace depthmon::test
