// net/detail/server_state.hpp — what http_server shares with its connections and websocket
// sessions: options, routes, TLS context, counters, the registry stop() walks, the connection
// slot that keeps the open-connection count exact.
//
// Threads: everything but the counters belongs to the server's io_context thread; the counters
// are relaxed atomics because stats() is read from other threads (the daemon's metrics).
// Errors: report() is the one funnel to the owner's on_error.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/http_server.hpp"

namespace depthmon::net::detail {

template <bool Tls>
using http_stream_t = std::conditional_t<Tls, boost::beast::ssl_stream<boost::beast::tcp_stream>,
                                         boost::beast::tcp_stream>;

struct route_group {
  std::string pattern;
  path_match match = path_match::exact;
  std::vector<std::pair<verb, http_async_handler>> handlers;
  ws_handler ws;

  const http_async_handler* find(verb m) const noexcept {
    for (const auto& [v, h] : handlers)
      if (v == m) return &h;
    return nullptr;
  }
  // The Allow header of a 405: every method of the pattern, HEAD with GET.
  std::string allow() const {
    std::string a;
    auto add = [&](std::string_view m) {
      if (a.find(m) != std::string::npos) return;
      if (!a.empty()) a += ", ";
      a += m;
    };
    for (const auto& [v, h] : handlers) {
      add(std::string_view(boost::beast::http::to_string(v)));
      if (v == verb::get) add("HEAD");
    }
    if (ws) {
      add("GET");
      add("HEAD");
    }
    return a;
  }
};

// A connection or session stop() can end.
struct closable {
  virtual ~closable() = default;
  virtual void stop_now() = 0;
};

struct server_state {
  explicit server_state(http_server_options options) : o(std::move(options)) {}

  http_server_options o;
  std::deque<route_group> routes;  // added before start(); a deque keeps references stable
  std::function<void(const server_error&)> on_error;
  std::optional<boost::asio::ssl::context> tls;
  bool stopped = false;
  int refusing = 0;  // 503 refusals being written

  std::atomic<std::uint64_t> accepted{0}, open{0}, requests{0}, handler_errors{0},
      accept_errors{0}, ws_upgrades{0}, ws_open{0};
  std::array<std::atomic<std::uint64_t>, 6> responses{};
  std::array<std::atomic<std::uint64_t>, static_cast<std::size_t>(reject_reason::count_)>
      rejected{};

  void reject(reject_reason r) noexcept {
    rejected[static_cast<std::size_t>(r)].fetch_add(1, std::memory_order_relaxed);
  }
  void report(boost::system::error_code ec, const char* phase, std::string remote,
              std::string what) const {
    if (!on_error) return;
    server_error e{ec, phase, std::move(remote), std::move(what)};
    try {
      on_error(e);
    } catch (...) {  // an owner's logging failure must not end a connection
    }
  }

  // Registry of live connections and sessions, by slot id.
  std::uint64_t next_id = 1;
  std::unordered_map<std::uint64_t, std::weak_ptr<closable>> live;
  void enroll(std::uint64_t id, std::weak_ptr<closable> c) { live[id] = std::move(c); }
  void stop_all() {
    auto all = std::move(live);
    live.clear();
    for (auto& [id, w] : all)
      if (auto c = w.lock()) c->stop_now();
  }
};

// One admitted connection's place under max_connections: counted from accept until release()
// (the socket closed), whether the connection stays HTTP or becomes a websocket session, and
// independent of how long callbacks keep the object alive.
class conn_slot {
 public:
  conn_slot() = default;
  explicit conn_slot(std::shared_ptr<server_state> st) : st_(std::move(st)), id_(st_->next_id++) {
    st_->open.fetch_add(1, std::memory_order_relaxed);
  }
  conn_slot(conn_slot&& o) noexcept : st_(std::move(o.st_)), id_(o.id_) {}
  conn_slot& operator=(conn_slot&& o) noexcept {
    if (this != &o) {
      release();
      st_ = std::move(o.st_);
      id_ = o.id_;
    }
    return *this;
  }
  conn_slot(const conn_slot&) = delete;
  conn_slot& operator=(const conn_slot&) = delete;
  ~conn_slot() { release(); }

  void release() noexcept {
    if (!st_) return;
    st_->open.fetch_sub(1, std::memory_order_relaxed);
    st_->live.erase(id_);
    st_.reset();
  }
  std::uint64_t id() const noexcept { return id_; }

 private:
  std::shared_ptr<server_state> st_;
  std::uint64_t id_ = 0;
};

// Turns an upgraded HTTP connection into a running websocket session (net/ws_session.cpp).
template <bool Tls>
void start_ws_session(std::shared_ptr<server_state> st, conn_slot slot, http_stream_t<Tls> stream,
                      server_request request, ws_accept accept,
                      boost::beast::http::request<boost::beast::http::string_body> upgrade);

extern template void start_ws_session<false>(
    std::shared_ptr<server_state>, conn_slot, http_stream_t<false>, server_request, ws_accept,
    boost::beast::http::request<boost::beast::http::string_body>);
extern template void start_ws_session<true>(
    std::shared_ptr<server_state>, conn_slot, http_stream_t<true>, server_request, ws_accept,
    boost::beast::http::request<boost::beast::http::string_body>);

}  // namespace depthmon::net::detail
