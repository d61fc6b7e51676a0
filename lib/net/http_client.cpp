#include "net/http_client.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <cctype>
#include <map>
#include <optional>
#include <type_traits>
#include <vector>

#include "net/detail/dial.hpp"
#include "net/error.hpp"

namespace depthmon::net {
namespace {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using boost::system::error_code;
using steady = std::chrono::steady_clock;

struct conn_base {
  virtual ~conn_base() = default;
  virtual void close() = 0;
  steady::time_point parked_at{};
};

template <bool Tls>
struct conn final : conn_base {
  using stream_t = std::conditional_t<Tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;
  static stream_t make(asio::io_context& ioc, tls_context* tls) {
    if constexpr (Tls) return stream_t(ioc, tls->native());
    else return stream_t(ioc);
  }
  conn(asio::io_context& ioc, std::shared_ptr<tls_context> t)
      : tls(std::move(t)), stream(make(ioc, tls.get())) {}
  void close() override {
    error_code ignored;
    beast::get_lowest_layer(stream).socket().close(ignored);
  }
  std::shared_ptr<tls_context> tls;  // outlives stream
  stream_t stream;
  beast::flat_buffer buf;
};

struct exchange_base {
  virtual ~exchange_base() = default;
  virtual void abort() = 0;
};
}  // namespace

struct http_client::impl : std::enable_shared_from_this<http_client::impl> {
  impl(asio::io_context& i, http_options opt) : ioc(i), o(std::move(opt)), tls(o.tls) {}

  asio::io_context& ioc;
  http_options o;
  std::shared_ptr<tls_context> tls;
  std::map<std::string, std::shared_ptr<conn_base>> parked;  // one per scheme://host:port
  std::vector<std::weak_ptr<exchange_base>> active;
  std::size_t opened = 0;
  bool alive = true;

  std::shared_ptr<conn_base> take(const std::string& key) {
    auto it = parked.find(key);
    if (it == parked.end()) return nullptr;
    auto c = std::move(it->second);
    parked.erase(it);
    if (steady::now() - c->parked_at > o.max_idle) {
      c->close();
      return nullptr;
    }
    return c;
  }
  void park(const std::string& key, std::shared_ptr<conn_base> c) {
    if (!alive || !o.reuse_connections || parked.count(key)) return c->close();
    c->parked_at = steady::now();
    parked.emplace(key, std::move(c));
  }
  void track(const std::shared_ptr<exchange_base>& e) {
    std::erase_if(active, [](const auto& w) { return w.expired(); });
    active.push_back(e);
  }
};

namespace {

template <bool Tls>
class exchange final : public exchange_base, public std::enable_shared_from_this<exchange<Tls>> {
 public:
  exchange(std::shared_ptr<http_client::impl> owner, url u, http_request req,
           http_client::callback cb, std::optional<url> proxy)
      : owner_(std::move(owner)), url_(std::move(u)), req_(std::move(req)), cb_(std::move(cb)),
        proxy_(std::move(proxy)), key_(url_.scheme + "://" + url_.authority()) {}

  void start() {
    if (auto c = owner_->take(key_)) {
      conn_ = std::static_pointer_cast<conn<Tls>>(std::move(c));
      res_.reused_connection = true;
      return send();
    }
    open();
  }

  void abort() override {
    if (done_) return;
    done_ = true;
    cb_ = nullptr;
    if (dial_) dial_->cancel();
    if (conn_) conn_->close();
  }

 private:
  void open() {
    res_.reused_connection = false;
    conn_ = std::make_shared<conn<Tls>>(owner_->ioc, owner_->tls);
    ++owner_->opened;
    detail::dial_target t{url_.host, url_.port, proxy_, owner_->o.connect_timeout,
                          owner_->o.user_agent};
    dial_ = detail::async_dial(beast::get_lowest_layer(conn_->stream), std::move(t),
                               [self = this->shared_from_this()](error_code ec, const char* ph) {
                                 self->on_dialed(ec, ph);
                               });
  }

  void on_dialed(error_code ec, const char* where) {
    if (done_) return;
    if (ec) return fail(ec, where);
    if constexpr (Tls) {
      if (!prepare_client_session(conn_->stream.native_handle(), url_.host, ec))
        return fail(ec, phase::tls);
      beast::get_lowest_layer(conn_->stream).expires_after(owner_->o.tls_timeout);
      conn_->stream.async_handshake(asio::ssl::stream_base::client,
                                    [self = this->shared_from_this()](error_code e) {
                                      if (self->done_) return;
                                      if (e) return self->fail(e, phase::tls);
                                      self->send();
                                    });
    } else {
      send();
    }
  }

  void send() {
    hreq_ = {};
    // Only GET and POST are built (http_client::get() refuses others before dialling).
    hreq_.method(req_.method == "POST" ? http::verb::post : http::verb::get);
    hreq_.target(url_.target);
    hreq_.version(11);
    hreq_.set(http::field::host, url_.host_header());
    if (!owner_->o.user_agent.empty()) hreq_.set(http::field::user_agent, owner_->o.user_agent);
    for (const auto& [k, v] : req_.headers) hreq_.set(k, v);
    if (req_.method == "POST" || !req_.body.empty()) {
      hreq_.body() = req_.body;  // copied: a retry on a fresh connection sends it again
      hreq_.prepare_payload();   // Content-Length
    }
    hreq_.keep_alive(owner_->o.reuse_connections);
    beast::get_lowest_layer(conn_->stream).expires_after(owner_->o.request_timeout);
    http::async_write(conn_->stream, hreq_,
                      [self = this->shared_from_this()](error_code ec, std::size_t) {
                        self->on_write(ec);
                      });
  }

  void on_write(error_code ec) {
    if (done_) return;
    if (ec) return retry_or_fail(ec, phase::write);
    parser_.emplace();
    parser_->body_limit(owner_->o.body_limit);
    http::async_read(conn_->stream, conn_->buf, *parser_,
                     [self = this->shared_from_this()](error_code e, std::size_t) {
                       self->on_read(e);
                     });
  }

  void on_read(error_code ec) {
    if (done_) return;
    if (ec) {
      if (!parser_->got_some()) return retry_or_fail(ec, phase::read);
      return fail(ec, phase::read);
    }
    auto msg = parser_->release();
    res_.status = msg.result_int();
    res_.headers.reserve(16);
    for (const auto& f : msg)
      res_.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    res_.body_buffer.assign(msg.body());
    beast::get_lowest_layer(conn_->stream).expires_never();
    if (msg.keep_alive() && conn_->buf.size() == 0) owner_->park(key_, conn_);
    else conn_->close();
    conn_.reset();
    deliver();
  }

  // A parked connection the server closed meanwhile fails before any response byte: one retry
  // on a fresh connection. A timeout is not retried (it would double the caller's wait).
  void retry_or_fail(error_code ec, const char* where) {
    if (res_.reused_connection && !retried_ && ec != beast::error::timeout) {
      retried_ = true;
      conn_->close();
      conn_.reset();
      return open();
    }
    fail(ec, where);
  }

  void fail(error_code ec, const char* where) {
    if (conn_) conn_->close();
    conn_.reset();
    res_.ec = ec;
    res_.phase = where;
    deliver();
  }

  void deliver() {
    if (done_) return;
    done_ = true;
    auto cb = std::move(cb_);
    cb_ = nullptr;
    if (cb) cb(std::move(res_));
  }

  std::shared_ptr<http_client::impl> owner_;
  url url_;
  http_request req_;
  http_client::callback cb_;
  std::optional<url> proxy_;
  std::string key_;
  std::shared_ptr<conn<Tls>> conn_;
  std::shared_ptr<detail::dial_op> dial_;
  http::request<http::string_body> hreq_;
  std::optional<http::response_parser<http::string_body>> parser_;
  http_response res_;
  bool done_ = false, retried_ = false;
};

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

}  // namespace

std::string_view http_response::header(std::string_view name) const noexcept {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return v;
  return {};
}

http_client::http_client(asio::io_context& ioc, http_options options)
    : impl_(std::make_shared<impl>(ioc, std::move(options))) {}

http_client::~http_client() {
  impl_->alive = false;
  for (auto& [k, c] : impl_->parked) c->close();
  impl_->parked.clear();
  for (auto& w : impl_->active)
    if (auto e = w.lock()) e->abort();
  impl_->active.clear();
}

void http_client::get(http_request request, callback done) {
  auto fail_soon = [&](error_code ec, const char* where) {
    asio::post(impl_->ioc, [w = std::weak_ptr<impl>(impl_), cb = std::move(done), ec,
                            where]() mutable {
      const auto owner = w.lock();
      if (!owner || !owner->alive) return;
      http_response r;
      r.ec = ec;
      r.phase = where;
      if (cb) cb(std::move(r));
    });
  };
  if (request.method != "GET" && request.method != "POST")
    return fail_soon(error::bad_url, phase::resolve);
  auto u = parse_url(request.url);
  if (!u || (u->scheme != "http" && u->scheme != "https"))
    return fail_soon(error::bad_url, phase::resolve);
  auto choice = choose_proxy(*u, impl_->o.proxy);
  if (!choice.error.empty()) return fail_soon(error::bad_url, phase::proxy);
  if (u->tls && !impl_->tls) {
    error_code ec;
    impl_->tls = tls_context::create(impl_->o.ca_file, ec, nullptr);
    if (!impl_->tls) return fail_soon(ec ? ec : make_error_code(error::tls_setup), phase::tls);
  }
  if (u->tls) {
    auto e = std::make_shared<exchange<true>>(impl_, std::move(*u), std::move(request),
                                              std::move(done), std::move(choice.proxy));
    impl_->track(e);
    e->start();
  } else {
    auto e = std::make_shared<exchange<false>>(impl_, std::move(*u), std::move(request),
                                               std::move(done), std::move(choice.proxy));
    impl_->track(e);
    e->start();
  }
}

std::size_t http_client::parked_connections() const noexcept { return impl_->parked.size(); }
std::size_t http_client::connections_opened() const noexcept { return impl_->opened; }

}  // namespace depthmon::net
