#include "net/detail/dial.hpp"

#include <openssl/evp.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "net/error.hpp"

namespace depthmon::net::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = ::EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()),
                                  static_cast<int>(in.size()));
  out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return out;
}

class dial_impl final : public dial_op, public std::enable_shared_from_this<dial_impl> {
 public:
  dial_impl(beast::tcp_stream& s, dial_target t, dial_handler h)
      : stream_(s), resolver_(s.get_executor()), timer_(s.get_executor()), t_(std::move(t)),
        handler_(std::move(h)) {}

  void start() {
    const std::string& host = t_.proxy ? t_.proxy->host : t_.host;
    const std::uint16_t port = t_.proxy ? t_.proxy->port : t_.port;
    timer_.expires_after(t_.connect_timeout);
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (ec || self->resolved_) return;
      self->resolve_timed_out_ = true;
      self->resolver_.cancel();
    });
    resolver_.async_resolve(host, std::to_string(port),
                            [self = shared_from_this()](error_code ec,
                                                        asio::ip::tcp::resolver::results_type r) {
                              self->on_resolve(ec, std::move(r));
                            });
  }

  void cancel() override {
    if (cancelled_) return;
    cancelled_ = true;
    timer_.cancel();
    resolver_.cancel();
  }

 private:
  void on_resolve(error_code ec, asio::ip::tcp::resolver::results_type results) {
    resolved_ = true;
    timer_.cancel();
    if (cancelled_) return finish({}, "");
    if (resolve_timed_out_) ec = beast::error::timeout;
    if (ec) return finish(ec, phase::resolve);
    stream_.expires_after(t_.connect_timeout);
    stream_.async_connect(results, [self = shared_from_this()](
                                       error_code e, const asio::ip::tcp::endpoint&) {
      self->on_connect(e);
    });
  }

  void on_connect(error_code ec) {
    if (cancelled_) return finish({}, "");
    if (ec) return finish(ec, phase::connect);
    if (!t_.proxy) return finish({}, phase::connect);
    url dest;
    dest.host = t_.host;
    dest.port = t_.port;
    const std::string authority = dest.authority();
    req_.method(http::verb::connect);
    req_.target(authority);
    req_.version(11);
    req_.set(http::field::host, authority);
    if (!t_.user_agent.empty()) req_.set(http::field::user_agent, t_.user_agent);
    if (!t_.proxy->user.empty())
      req_.set(http::field::proxy_authorization,
               "Basic " + base64(t_.proxy->user + ":" + t_.proxy->password));
    stream_.expires_after(t_.connect_timeout);
    http::async_write(stream_, req_, [self = shared_from_this()](error_code e, std::size_t) {
      self->on_proxy_write(e);
    });
  }

  void on_proxy_write(error_code ec) {
    if (cancelled_) return finish({}, "");
    if (ec) return finish(ec, phase::proxy);
    parser_.emplace();
    parser_->skip(true);  // a CONNECT reply has no body: the tunnel starts after the header
    http::async_read(stream_, buf_, *parser_,
                     [self = shared_from_this()](error_code e, std::size_t) {
                       self->on_proxy_read(e);
                     });
  }

  void on_proxy_read(error_code ec) {
    if (cancelled_) return finish({}, "");
    if (ec) return finish(ec, phase::proxy);
    const unsigned status = parser_->get().result_int();
    if (status < 200 || status > 299) return finish(error::proxy_refused, phase::proxy);
    // The server speaks first in neither TLS nor a websocket upgrade: extra bytes here mean the
    // proxy is not a CONNECT tunnel.
    if (buf_.size() != 0) return finish(error::proxy_protocol, phase::proxy);
    finish({}, phase::proxy);
  }

  void finish(error_code ec, const char* where) {
    stream_.expires_never();
    auto h = std::move(handler_);
    handler_ = nullptr;
    if (!cancelled_ && h) h(ec, where);
  }

  beast::tcp_stream& stream_;
  asio::ip::tcp::resolver resolver_;
  asio::steady_timer timer_;
  dial_target t_;
  dial_handler handler_;
  http::request<http::empty_body> req_;
  std::optional<http::response_parser<http::empty_body>> parser_;
  beast::flat_buffer buf_;
  bool resolved_ = false, resolve_timed_out_ = false, cancelled_ = false;
};

}  // namespace

std::shared_ptr<dial_op> async_dial(beast::tcp_stream& stream, dial_target target,
                                    dial_handler handler) {
  auto op = std::make_shared<dial_impl>(stream, std::move(target), std::move(handler));
  op->start();
  return op;
}

}  // namespace depthmon::net::detail
