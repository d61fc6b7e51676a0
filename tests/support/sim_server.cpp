#include "support/sim_server.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <array>

#include "sim/instrument.hpp"

namespace depthmon::test {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using boost::system::error_code;

awaitable<void> sleep_for(ms d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  error_code ec;
  co_await t.async_wait(asio::redirect_error(use_awaitable, ec));
}
}  // namespace

struct sim_server::impl : std::enable_shared_from_this<sim_server::impl> {
  explicit impl(sim_server& s)
      : srv(s), acc(s.ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    s.port_ = acc.local_endpoint().port();
    if (s.o_.tls) {
      ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
      ctx->use_certificate_chain(asio::buffer(s.o_.tls->cert_pem));
      ctx->use_private_key(asio::buffer(s.o_.tls->key_pem), ssl::context::pem);
    }
  }
  sim_server& srv;
  tcp::acceptor acc;
  std::unique_ptr<ssl::context> ctx;

  core::unix_nanos sim_now() const {
    const auto now = srv.paused_ ? srv.paused_at_ : steady::now();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(now - srv.start_ - srv.paused_total_).count();
  }

  awaitable<void> ticker() {
    for (;;) {
      co_await sleep_for(ms(2));
      std::lock_guard lock(srv.mu_);
      if (!srv.paused_) srv.sim_->advance_to(sim_now());
    }
  }

  awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket sock = co_await acc.async_accept(use_awaitable);
      asio::co_spawn(acc.get_executor(), session(shared_from_this(), std::move(sock)), asio::detached);
    }
  }

  static awaitable<void> session(std::shared_ptr<impl> self, tcp::socket sock) {
    try {
      if (self->ctx) {
        using ws_t = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;
        auto ws = std::make_shared<ws_t>(std::move(sock), *self->ctx);
        co_await ws->next_layer().async_handshake(ssl::stream_base::server, use_awaitable);
        co_await self->serve(ws);
      } else {
        using ws_t = websocket::stream<beast::tcp_stream>;
        auto ws = std::make_shared<ws_t>(std::move(sock));
        co_await self->serve(ws);
      }
    } catch (const std::exception&) {
    }
  }

  struct conn_state {
    sim::session* s = nullptr;
    bool gone = false;
    bool stalled = false;
  };

  void forget(conn_state& c) {  // under the lock
    if (c.gone) return;
    c.gone = true;
    if (c.s) srv.sim_->disconnect(c.s);
    --srv.log_.ws_open;
  }

  template <class WS>
  awaitable<void> serve(std::shared_ptr<WS> ws) {
    beast::flat_buffer buf;
    for (;;) {
      http::request<http::string_body> req;
      co_await http::async_read(ws->next_layer(), buf, req, use_awaitable);
      if (websocket::is_upgrade(req)) {
        co_await ws->async_accept(req, use_awaitable);
        co_await websocket_session(ws, std::string(req.target()));
        co_return;
      }
      http::response<http::string_body> res;
      {
        std::lock_guard lock(srv.mu_);
        const auto r = srv.sim_->rest(std::string(req.target()));
        res.result(static_cast<http::status>(r.status));
        for (const auto& [k, v] : r.headers) res.set(k, v);
        res.body() = r.body;
        srv.log_.rest.push_back({steady::now(), std::string(req.target()), r.status});
      }
      res.version(11);
      res.keep_alive(req.keep_alive());
      res.prepare_payload();
      co_await http::async_write(ws->next_layer(), res, use_awaitable);
      if (!res.keep_alive()) co_return;
    }
  }

  template <class WS>
  awaitable<void> websocket_session(std::shared_ptr<WS> ws, std::string target) {
    auto c = std::make_shared<conn_state>();
    {
      std::lock_guard lock(srv.mu_);
      ++srv.log_.ws_connections;
      c->s = srv.sim_->connect(target);
      if (!c->s) co_return;  // refusing connections (disconnect fault with a duration)
      ++srv.log_.ws_open;
    }
    asio::co_spawn(co_await asio::this_coro::executor, reader(shared_from_this(), ws, c), asio::detached);
    for (;;) {
      co_await sleep_for(ms(2));
      std::vector<sim::action> actions;
      {
        std::lock_guard lock(srv.mu_);
        if (c->gone) co_return;
        actions = c->s->take_actions();
      }
      for (auto& a : actions) {
        switch (a.what) {
          case sim::action::kind::send: {
            ws->text(true);
            error_code ec;
            co_await ws->async_write(asio::buffer(a.text), asio::redirect_error(use_awaitable, ec));
            if (ec) co_return;
            break;
          }
          case sim::action::kind::close: {
            {
              std::lock_guard lock(srv.mu_);
              forget(*c);
            }
            error_code ec;
            co_await ws->async_close(websocket::close_reason(a.code), asio::redirect_error(use_awaitable, ec));
            co_return;
          }
          case sim::action::kind::abort: {
            {
              std::lock_guard lock(srv.mu_);
              forget(*c);
            }
            error_code ec;
            beast::get_lowest_layer(*ws).socket().close(ec);
            co_return;
          }
          case sim::action::kind::stall: {
            // Half-open: stop the websocket layer entirely (no reads, so no pongs either) and
            // only watch the TCP socket for the client giving up.
            {
              std::lock_guard lock(srv.mu_);
              c->stalled = true;
            }
            auto& sock = beast::get_lowest_layer(*ws).socket();
            error_code ec;
            sock.cancel(ec);
            std::array<char, 4096> sink;
            for (;;) {
              co_await sock.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
              if (ec && ec != asio::error::operation_aborted) break;
            }
            std::lock_guard lock(srv.mu_);
            forget(*c);
            co_return;
          }
        }
      }
    }
  }

  template <class WS>
  static awaitable<void> reader(std::shared_ptr<impl> self, std::shared_ptr<WS> ws,
                                std::shared_ptr<conn_state> c) {
    for (;;) {
      beast::flat_buffer b;
      error_code ec;
      co_await ws->async_read(b, asio::redirect_error(use_awaitable, ec));
      std::lock_guard lock(self->srv.mu_);
      if (c->stalled) co_return;
      if (ec) {
        self->forget(*c);
        co_return;
      }
      if (!c->gone) c->s->on_client_text(beast::buffers_to_string(b.data()));
    }
  }
};

sim_server::sim_server(sim_server_options o) : server_base(o.lifetime), o_(std::move(o)) {
  sim::sim_options so;
  so.seed = o_.seed;
  so.binance_weight_limit = o_.binance_weight_limit;
  sim_ = std::make_unique<sim::venue_sim>(
      o_.venue, sim::default_instruments(o_.venue, o_.symbols, o_.levels_scale, o_.rate), so);
  start_ = steady::now();
  impl_ = std::make_shared<impl>(*this);
  asio::co_spawn(ioc_, impl_->accept_loop(), asio::detached);
  asio::co_spawn(ioc_, impl_->ticker(), asio::detached);
  launch();
}

sim_server::~sim_server() { shutdown(); }

std::string sim_server::http_base() const {
  return std::string(o_.tls ? "https://" : "http://") + "127.0.0.1:" + std::to_string(port());
}
std::string sim_server::ws_base() const {
  return std::string(o_.tls ? "wss://" : "ws://") + "127.0.0.1:" + std::to_string(port());
}

void sim_server::pause() {
  std::lock_guard lock(mu_);
  if (paused_) return;
  paused_ = true;
  paused_at_ = steady::now();
}

void sim_server::resume() {
  std::lock_guard lock(mu_);
  if (!paused_) return;
  paused_ = false;
  paused_total_ += steady::now() - paused_at_;
}

}  // namespace depthmon::test
