#include "support/net_servers.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <array>
#include <stdexcept>

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

std::unique_ptr<ssl::context> server_context(const tls_identity& id) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  ctx->use_certificate_chain(asio::buffer(id.cert_pem));
  ctx->use_private_key(asio::buffer(id.key_pem), ssl::context::pem);
  return ctx;
}

tcp::acceptor loopback_acceptor(asio::io_context& ioc, std::uint16_t& port) {
  tcp::acceptor acc(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  port = acc.local_endpoint().port();
  return acc;
}

awaitable<void> hold() {
  asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::hours(1));
  error_code ec;
  co_await t.async_wait(asio::redirect_error(use_awaitable, ec));
}
}  // namespace

bool run_until(asio::io_context& ioc, const std::function<bool()>& pred, ms timeout) {
  auto guard = asio::make_work_guard(ioc);
  const auto end = steady::now() + timeout;
  ioc.restart();
  while (!pred()) {
    if (steady::now() >= end) return false;
    ioc.run_for(ms(2));
  }
  return true;
}

server_base::server_base(ms lifetime) : lifetime_(lifetime) {}
server_base::~server_base() { shutdown(); }

void server_base::launch() {
  thread_ = std::thread([this] {
    asio::steady_timer deadline(ioc_, lifetime_);
    deadline.async_wait([this](error_code ec) {
      if (!ec) ioc_.stop();  // stops by itself: a hung test cannot hang the suite
    });
    ioc_.run();
  });
}

void server_base::shutdown() {
  ioc_.stop();
  if (thread_.joinable()) thread_.join();
}

// ---- websocket ---------------------------------------------------------------------------------
struct ws_server::impl : std::enable_shared_from_this<ws_server::impl> {
  impl(ws_server& s) : srv(s), acc(loopback_acceptor(s.ioc_, s.port_)) {
    if (s.o_.tls) ctx = server_context(*s.o_.tls);
  }
  ws_server& srv;
  tcp::acceptor acc;
  std::unique_ptr<ssl::context> ctx;

  awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket sock = co_await acc.async_accept(use_awaitable);
      {
        std::lock_guard lock(srv.mu_);
        ++srv.log_.connections;
      }
      asio::co_spawn(acc.get_executor(), session(shared_from_this(), std::move(sock)), asio::detached);
    }
  }

  static awaitable<void> session(std::shared_ptr<impl> self, tcp::socket sock) {
    try {
      co_await self->run(std::move(sock));
    } catch (const std::exception& e) {
      std::lock_guard lock(self->srv.mu_);
      self->srv.log_.last_error = e.what();
    }
  }

  awaitable<void> run(tcp::socket sock) {
    if (srv.o_.stall_at == stall::after_tcp) co_return co_await hold();
    if (ctx) {
      websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(std::move(sock), *ctx);
      co_await ws.next_layer().async_handshake(ssl::stream_base::server, use_awaitable);
      co_await serve(ws);
    } else {
      websocket::stream<beast::tcp_stream> ws(std::move(sock));
      co_await serve(ws);
    }
  }

  template <class WS>
  awaitable<void> serve(WS& ws) {
    const auto& o = srv.o_;
    if (o.deflate) {
      websocket::permessage_deflate pmd;
      pmd.server_enable = true;
      ws.set_option(pmd);
    }
    ws.read_message_max(o.max_message);
    ws.control_callback([this](websocket::frame_type k, beast::string_view p) {
      std::lock_guard lock(srv.mu_);
      if (k == websocket::frame_type::ping) srv.log_.pings.emplace_back(p);
      if (k == websocket::frame_type::pong) srv.log_.pongs.emplace_back(p);
    });
    beast::flat_buffer buf;
    http::request<http::string_body> req;
    co_await http::async_read(ws.next_layer(), buf, req, use_awaitable);
    {
      std::lock_guard lock(srv.mu_);
      srv.log_.target = std::string(req.target());
      srv.log_.extensions = std::string(req[http::field::sec_websocket_extensions]);
    }
    if (o.stall_at == stall::after_tls) co_return co_await hold();  // never answer the upgrade
    co_await ws.async_accept(req, use_awaitable);
    if (o.stall_at == stall::after_handshake) co_return co_await hold();  // half-open: silent
    for (const auto& m : o.send_on_open) {
      ws.text(true);
      co_await ws.async_write(asio::buffer(m), use_awaitable);
    }
    if (!o.ping_on_open.empty())
      co_await ws.async_ping(websocket::ping_data(o.ping_on_open.c_str()), use_awaitable);
    if (o.close_on_open) {
      websocket::close_reason cr(static_cast<websocket::close_code>(o.close_on_open->first),
                                 o.close_on_open->second);
      co_await ws.async_close(cr, use_awaitable);
      co_return;
    }
    for (;;) {
      beast::flat_buffer b;
      error_code ec;
      co_await ws.async_read(b, asio::redirect_error(use_awaitable, ec));
      if (ec) {
        std::lock_guard lock(srv.mu_);
        if (ec == websocket::error::closed) {
          srv.log_.got_close = true;
          srv.log_.close_code = static_cast<std::uint16_t>(ws.reason().code);
          srv.log_.close_reason = std::string(ws.reason().reason.data(), ws.reason().reason.size());
        } else {
          srv.log_.last_error = ec.message();
        }
        co_return;
      }
      {
        std::lock_guard lock(srv.mu_);
        srv.log_.texts.push_back(beast::buffers_to_string(b.data()));
        srv.log_.text_times.push_back(steady::now());
      }
      if (o.echo) {
        ws.text(ws.got_text());
        co_await ws.async_write(b.data(), use_awaitable);
      }
    }
  }
};

ws_server::ws_server(ws_server_options o) : server_base(o.lifetime), o_(std::move(o)) {
  impl_ = std::make_shared<impl>(*this);
  asio::co_spawn(ioc_, impl_->accept_loop(), asio::detached);
  launch();
}
ws_server::~ws_server() { shutdown(); }

std::string ws_server::url(const std::string& host, const std::string& target) const {
  return std::string(o_.tls ? "wss://" : "ws://") + host + ":" + std::to_string(port()) + target;
}

// ---- HTTP(S) -----------------------------------------------------------------------------------
struct http_server::impl : std::enable_shared_from_this<http_server::impl> {
  impl(http_server& s) : srv(s), acc(loopback_acceptor(s.ioc_, s.port_)) {
    if (s.o_.tls) ctx = server_context(*s.o_.tls);
  }
  http_server& srv;
  tcp::acceptor acc;
  std::unique_ptr<ssl::context> ctx;

  awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket sock = co_await acc.async_accept(use_awaitable);
      {
        std::lock_guard lock(srv.mu_);
        ++srv.log_.connections;
      }
      asio::co_spawn(acc.get_executor(), session(shared_from_this(), std::move(sock)), asio::detached);
    }
  }

  static awaitable<void> session(std::shared_ptr<impl> self, tcp::socket sock) {
    try {
      if (self->ctx) {
        beast::ssl_stream<beast::tcp_stream> s(std::move(sock), *self->ctx);
        co_await s.async_handshake(ssl::stream_base::server, use_awaitable);
        co_await self->serve(s);
      } else {
        beast::tcp_stream s(std::move(sock));
        co_await self->serve(s);
      }
    } catch (const std::exception&) {
    }
  }

  template <class S>
  awaitable<void> serve(S& s) {
    beast::flat_buffer buf;
    for (;;) {
      http_req req;
      error_code ec;
      co_await http::async_read(s, buf, req, asio::redirect_error(use_awaitable, ec));
      if (ec) co_return;
      {
        std::lock_guard lock(srv.mu_);
        ++srv.log_.requests;
        srv.log_.targets.emplace_back(req.target());
        srv.log_.user_agents.emplace_back(req[http::field::user_agent]);
      }
      http_res res = srv.o_.handler(req);
      res.version(11);
      res.keep_alive(req.keep_alive() && res.keep_alive());
      res.prepare_payload();
      co_await http::async_write(s, res, use_awaitable);
      if (!res.keep_alive() || srv.o_.drop_after_response) {
        beast::get_lowest_layer(s).socket().shutdown(tcp::socket::shutdown_send, ec);
        co_return;
      }
    }
  }
};

http_server::http_server(http_server_options o) : server_base(o.lifetime), o_(std::move(o)) {
  impl_ = std::make_shared<impl>(*this);
  asio::co_spawn(ioc_, impl_->accept_loop(), asio::detached);
  launch();
}
http_server::~http_server() { shutdown(); }

std::string http_server::url(const std::string& target, const std::string& host) const {
  return std::string(o_.tls ? "https://" : "http://") + host + ":" + std::to_string(port()) + target;
}

// ---- CONNECT proxy -----------------------------------------------------------------------------
struct connect_proxy::impl : std::enable_shared_from_this<connect_proxy::impl> {
  impl(connect_proxy& s) : srv(s), acc(loopback_acceptor(s.ioc_, s.port_)) {}
  connect_proxy& srv;
  tcp::acceptor acc;

  awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket sock = co_await acc.async_accept(use_awaitable);
      {
        std::lock_guard lock(srv.mu_);
        ++srv.log_.connections;
      }
      asio::co_spawn(acc.get_executor(), session(shared_from_this(), std::move(sock)), asio::detached);
    }
  }

  static awaitable<void> pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
    std::array<char, 65536> data;
    for (;;) {
      error_code ec;
      const std::size_t n =
          co_await from->async_read_some(asio::buffer(data), asio::redirect_error(use_awaitable, ec));
      if (ec) break;
      co_await asio::async_write(*to, asio::buffer(data.data(), n), asio::redirect_error(use_awaitable, ec));
      if (ec) break;
    }
    error_code ignored;
    from->close(ignored);
    to->close(ignored);
  }

  static awaitable<void> session(std::shared_ptr<impl> self, tcp::socket sock) {
    try {
      beast::flat_buffer buf;
      http::request_parser<http::empty_body> p;
      co_await http::async_read(sock, buf, p, use_awaitable);
      const auto& req = p.get();
      const std::string target(req.target());
      {
        std::lock_guard lock(self->srv.mu_);
        self->srv.log_.targets.push_back(target);
        self->srv.log_.auth.emplace_back(req[http::field::proxy_authorization]);
      }
      const auto colon = target.rfind(':');
      const std::string host = target.substr(0, colon);
      const bool loopback = host == "127.0.0.1" || host == "localhost";
      if (self->srv.o_.refuse || req.method() != http::verb::connect || !loopback ||
          colon == std::string::npos) {
        http::response<http::empty_body> r{http::status::forbidden, 11};
        r.content_length(0);
        r.keep_alive(false);
        co_await http::async_write(sock, r, use_awaitable);
        co_return;
      }
      auto exec = co_await asio::this_coro::executor;
      tcp::resolver resolver(exec);
      auto eps = co_await resolver.async_resolve(host, target.substr(colon + 1), use_awaitable);
      tcp::socket up(exec);
      co_await asio::async_connect(up, eps, use_awaitable);
      static constexpr std::string_view ok = "HTTP/1.1 200 Connection established\r\n\r\n";
      co_await asio::async_write(sock, asio::buffer(ok.data(), ok.size()), use_awaitable);
      if (buf.size() != 0) co_await asio::async_write(up, buf.data(), use_awaitable);
      auto a = std::make_shared<tcp::socket>(std::move(sock));
      auto b = std::make_shared<tcp::socket>(std::move(up));
      asio::co_spawn(exec, pump(a, b), asio::detached);
      co_await pump(b, a);
    } catch (const std::exception&) {
    }
  }
};

connect_proxy::connect_proxy(proxy_options o) : server_base(o.lifetime), o_(std::move(o)) {
  impl_ = std::make_shared<impl>(*this);
  asio::co_spawn(ioc_, impl_->accept_loop(), asio::detached);
  launch();
}
connect_proxy::~connect_proxy() { shutdown(); }

// ---- ports -------------------------------------------------------------------------------------
namespace {
sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}
std::uint16_t bound_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}
}  // namespace

std::uint16_t unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto a = loopback(0);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
    throw std::runtime_error("unused_port: bind");
  const std::uint16_t p = bound_port(fd);
  ::close(fd);
  return p;
}

blackhole_port::blackhole_port() {
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  auto a = loopback(0);
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      ::listen(listener_, 0) != 0)
    throw std::runtime_error("blackhole_port: listen");
  port_ = bound_port(listener_);
  // Fill the accept queue (nobody accepts): later SYNs are dropped, so connects hang.
  auto to = loopback(port_);
  for (int i = 0; i < 3; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (fd < 0) continue;
    (void)::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to);
    fillers_.push_back(fd);
    ::usleep(20'000);
  }
}

blackhole_port::~blackhole_port() {
  for (int fd : fillers_) ::close(fd);
  if (listener_ >= 0) ::close(listener_);
}

}  // namespace depthmon::test
