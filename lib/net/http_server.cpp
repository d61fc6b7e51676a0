#include "net/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <algorithm>
#include <exception>
#include <type_traits>
#include <unordered_map>

#include "net/detail/server_state.hpp"
#include "net/error.hpp"

namespace depthmon::net {

// ---- small public helpers ---------------------------------------------------------------------

const char* reason_name(reject_reason r) noexcept {
  switch (r) {
    case reject_reason::bad_request: return "bad_request";
    case reject_reason::header_too_large: return "header_too_large";
    case reject_reason::body_too_large: return "body_too_large";
    case reject_reason::header_timeout: return "header_timeout";
    case reject_reason::body_timeout: return "body_timeout";
    case reject_reason::unauthorized: return "unauthorized";
    case reject_reason::not_found: return "not_found";
    case reject_reason::method_not_allowed: return "method_not_allowed";
    case reject_reason::upgrade_required: return "upgrade_required";
    case reject_reason::connection_limit: return "connection_limit";
    case reject_reason::tls_handshake: return "tls_handshake";
    case reject_reason::count_: break;
  }
  return "unknown";
}

namespace {
int hex_digit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      const int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::optional<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view text) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.size() > 5) return std::nullopt;
  unsigned p = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return std::nullopt;
    p = p * 10 + static_cast<unsigned>(c - '0');
  }
  if (p > 65535) return std::nullopt;
  std::string h(host);
  if (boost::beast::iequals(h, "localhost")) h = "127.0.0.1";
  boost::system::error_code ec;
  boost::asio::ip::make_address(h, ec);
  if (ec) return std::nullopt;
  return std::pair<std::string, std::uint16_t>{std::move(h), static_cast<std::uint16_t>(p)};
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!q.empty()) {
    const auto amp = q.find('&');
    const auto part = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(percent_decode(part, true), std::string{});
    } else {
      out.emplace_back(percent_decode(part.substr(0, eq), true),
                       percent_decode(part.substr(eq + 1), true));
    }
  }
  return out;
}

std::string_view server_request::header(std::string_view name) const noexcept {
  for (const auto& [k, v] : headers)
    if (boost::beast::iequals(k, name)) return v;
  return {};
}

std::optional<std::string_view> server_request::query_value(std::string_view name) const noexcept {
  for (const auto& [k, v] : query)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

std::string_view server_request::path_rest() const noexcept {
  if (path.size() <= route.size()) return {};
  return std::string_view(path).substr(route.size());
}

http_responder& http_responder::operator=(http_responder&& o) noexcept {
  if (this != &o) {
    this->~http_responder();
    t_ = std::move(o.t_);
  }
  return *this;
}

http_responder::~http_responder() {
  if (auto t = std::move(t_)) t->abandon();
}

void http_responder::operator()(server_response r) {
  if (auto t = std::move(t_)) t->respond(std::move(r));
}

// ---- the server -------------------------------------------------------------------------------
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;

using detail::route_group;

const route_group* best_route(const std::deque<route_group>& routes, std::string_view path) {
  const route_group* best = nullptr;
  for (const auto& r : routes) {
    if (r.match == path_match::exact) {
      if (r.pattern == path) return &r;  // exact beats every prefix
    } else if (path.substr(0, r.pattern.size()) == r.pattern) {
      if (!best || r.pattern.size() > best->pattern.size()) best = &r;
    }
  }
  return best;
}

// The response text for a connection refused at the cap: no request is read.
constexpr std::string_view busy_response =
    "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
    "Content-Length: 20\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
    "too many connections";

using detail::http_stream_t;

std::string endpoint_text(const tcp::socket& s) {
  error_code ec;
  const auto ep = s.remote_endpoint(ec);
  if (ec) return "?";
  const auto a = ep.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(ep.port());
}

// Splits a request target into path and query; false if it is not origin- or absolute-form.
bool split_target(std::string_view target, std::string& path, std::string& query) {
  if (target.substr(0, 7) == "http://" || target.substr(0, 8) == "https://") {
    const auto slash = target.find('/', target.find("//") + 2);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  if (target.empty() || target.front() != '/') return false;
  const auto q = target.find('?');
  path = std::string(target.substr(0, q));
  query = q == std::string_view::npos ? std::string{} : std::string(target.substr(q + 1));
  return true;
}

// ---- one HTTP connection --------------------------------------------------------------------
template <bool Tls>
class http_conn final : public detail::closable, public std::enable_shared_from_this<http_conn<Tls>> {
  using stream_t = http_stream_t<Tls>;

 public:
  http_conn(std::shared_ptr<detail::server_state> st, detail::conn_slot slot, tcp::socket s)
      : st_(std::move(st)), slot_(std::move(slot)), remote_(endpoint_text(s)),
        stream_(make_stream(std::move(s), st_.get())) {}

  void start() {
    st_->enroll(slot_.id(), this->weak_from_this());
    if constexpr (Tls) {
      lowest().expires_after(st_->o.tls_timeout);
      stream_.async_handshake(asio::ssl::stream_base::server,
                              [self = this->shared_from_this()](error_code ec) {
                                if (self->done_) return;
                                if (ec) {
                                  self->st_->reject(reject_reason::tls_handshake);
                                  self->st_->report(ec, "tls", self->remote_, {});
                                  return self->finish();
                                }
                                self->read_request();
                              });
    } else {
      read_request();
    }
  }

  void stop_now() override { finish(); }

  // A deferred handler's answer (or the sync handler's, from inside dispatch()).
  // Holds the connection: while a deferred handler keeps its responder, no read is pending and
  // nothing else would keep the connection alive.
  struct reply_target final : http_responder::target {
    std::shared_ptr<http_conn> conn;
    std::uint64_t seq = 0;
    bool head = false;
    void respond(server_response r) override {
      if (auto c = std::move(conn)) c->reply(seq, std::move(r), head);
    }
    void abandon() override {
      auto c = std::move(conn);
      if (!c) return;
      auto ex = c->lowest().get_executor();
      asio::post(ex, [c = std::move(c), s = seq, h = head] {
        server_response r;
        r.status = 500;
        r.body = "handler did not answer\n";
        r.close = true;
        c->reply(s, std::move(r), h);
      });
    }
  };

 private:
  static stream_t make_stream(tcp::socket s, detail::server_state* st) {
    if constexpr (Tls) return stream_t(std::move(s), *st->tls);
    else return stream_t(std::move(s));
  }
  beast::tcp_stream& lowest() noexcept { return beast::get_lowest_layer(stream_); }

  // ---- reading ------------------------------------------------------------------------------
  void read_request() {
    if (done_) return;
    // Keep-alive: the idle timeout covers the wait for the next request's first byte, then the
    // header deadline starts. The first request's deadline starts at accept (after TLS).
    if (first_ || buf_.size() > 0) return read_header();
    lowest().expires_after(st_->o.idle_timeout);
    stream_.async_read_some(buf_.prepare(4096),
                            [self = this->shared_from_this()](error_code ec, std::size_t n) {
                              if (self->done_) return;
                              if (ec) return self->finish();  // idle timeout, or client gone
                              self->buf_.commit(n);
                              self->read_header();
                            });
  }

  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(st_->o.max_header_bytes));
    parser_->body_limit(st_->o.max_body_bytes);
    lowest().expires_after(st_->o.header_timeout);
    http::async_read_header(stream_, buf_, *parser_,
                            [self = this->shared_from_this()](error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  // Maps a read failure to the answer or the silent close it deserves.
  void on_read_error(error_code ec, bool in_body) {
    if (ec == beast::error::timeout) {
      st_->reject(in_body ? reject_reason::body_timeout : reject_reason::header_timeout);
      return finish();  // the stream is already closed: nothing can be written
    }
    if (ec == http::error::header_limit)
      return fail(431, "Request Header Fields Too Large", reject_reason::header_too_large);
    if (ec == http::error::body_limit)
      return fail(413, "Content Too Large", reject_reason::body_too_large);
    if (ec.category() == http::make_error_code(http::error::end_of_stream).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message)
      return fail(400, "Bad Request", reject_reason::bad_request);
    finish();  // end of stream, reset, TLS truncation: the client left
  }

  void on_header(error_code ec) {
    if (done_) return;
    if (ec) return on_read_error(ec, false);
    auto& req = parser_->get();
    keep_alive_ = req.keep_alive();
    version_ = req.version();

    server_request rq;
    rq.method = req.method();
    rq.method_text = std::string(req.method_string());
    rq.target = std::string(req.target());
    if (!split_target(rq.target, rq.path, rq.query_string))
      return fail(400, "Bad Request", reject_reason::bad_request);
    rq.query = parse_query(rq.query_string);
    rq.headers.reserve(16);
    for (const auto& f : req)
      rq.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    rq.remote = remote_;
    rq.tls = Tls;

    if (st_->o.auth) {
      auto user = st_->o.auth->check(std::string_view(req[http::field::authorization]));
      if (!user) {
        st_->reject(reject_reason::unauthorized);
        server_response r;
        r.status = 401;
        r.body = "Unauthorized\n";
        r.headers.emplace_back("WWW-Authenticate",
                               "Basic realm=\"" + st_->o.auth->realm + "\", charset=\"UTF-8\"");
        return write_response(std::move(r), false);
      }
      rq.user = std::move(*user);
    }

    const route_group* g = best_route(st_->routes, rq.path);
    if (!g) return fail(404, "Not Found", reject_reason::not_found);
    rq.route = g->pattern;

    if (g->ws && websocket::is_upgrade(req)) return upgrade(*g, std::move(rq));

    bool head = false;
    const http_async_handler* h = g->find(rq.method);
    if (!h && rq.method == verb::head && (h = g->find(verb::get))) head = true;
    if (!h) {
      if (g->ws && (rq.method == verb::get || rq.method == verb::head)) {
        server_response r;
        r.status = 426;
        r.body = "Upgrade Required\n";
        r.headers.emplace_back("Upgrade", "websocket");
        r.headers.emplace_back("Connection", "Upgrade");
        st_->reject(reject_reason::upgrade_required);
        return write_response(std::move(r), rq.method == verb::head);
      }
      server_response r;
      r.status = 405;
      r.body = "Method Not Allowed\n";
      r.headers.emplace_back("Allow", g->allow());
      st_->reject(reject_reason::method_not_allowed);
      return write_response(std::move(r), rq.method == verb::head);
    }

    if (parser_->is_done()) return dispatch(*h, std::move(rq), head);
    // The body: its own deadline, its size already bounded by the parser.
    pending_ = std::move(rq);
    pending_handler_ = h;
    pending_head_ = head;
    lowest().expires_after(st_->o.body_timeout);
    if (beast::iequals(req[http::field::expect], "100-continue")) {
      // The client waits for this before sending the body (curl does for large bodies).
      static constexpr std::string_view go = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(stream_, asio::buffer(go.data(), go.size()),
                        [self = this->shared_from_this()](error_code e, std::size_t) {
                          if (self->done_) return;
                          if (e) return self->finish();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buf_, *parser_,
                     [self = this->shared_from_this()](error_code e, std::size_t) {
                       if (self->done_) return;
                       if (e) return self->on_read_error(e, true);
                       self->pending_.body = std::move(self->parser_->get().body());
                       self->dispatch(*self->pending_handler_, std::move(self->pending_),
                                      self->pending_head_);
                     });
  }

  void dispatch(const http_async_handler& h, server_request rq, bool head) {
    lowest().expires_never();
    st_->requests.fetch_add(1, std::memory_order_relaxed);
    auto t = std::make_shared<reply_target>();
    t->conn = this->shared_from_this();
    t->seq = ++seq_;
    t->head = head;
    awaiting_ = true;
    try {
      h(rq, http_responder(std::move(t)));
    } catch (const std::exception& e) {
      st_->handler_errors.fetch_add(1, std::memory_order_relaxed);
      st_->report({}, "handler", remote_, rq.path + ": " + e.what());
    } catch (...) {
      st_->handler_errors.fetch_add(1, std::memory_order_relaxed);
      st_->report({}, "handler", remote_, rq.path + ": unknown exception");
    }
  }

  void reply(std::uint64_t seq, server_response r, bool head) {
    if (done_ || !awaiting_ || seq != seq_) return;
    awaiting_ = false;
    write_response(std::move(r), head);
  }

  // ---- websocket upgrade ----------------------------------------------------------------------
  void upgrade(const route_group& g, server_request rq) {
    ws_accept acc;
    try {
      g.ws(rq, acc);
    } catch (const std::exception& e) {
      st_->handler_errors.fetch_add(1, std::memory_order_relaxed);
      st_->report({}, "handler", remote_, rq.path + ": " + e.what());
      return fail(500, "Internal Server Error", std::nullopt);
    }
    st_->requests.fetch_add(1, std::memory_order_relaxed);
    if (!acc.accept) {
      acc.reject.close = true;
      return write_response(std::move(acc.reject), false);
    }
    lowest().expires_never();
    done_ = true;  // the session owns the stream and the slot from here
    detail::start_ws_session<Tls>(st_, std::move(slot_), std::move(stream_), std::move(rq),
                                  std::move(acc), parser_->release());
  }

  // ---- writing --------------------------------------------------------------------------------
  void fail(unsigned status, std::string_view text, std::optional<reject_reason> why) {
    if (why) st_->reject(*why);
    server_response r;
    r.status = status;
    r.body = std::string(text) + "\n";
    r.close = true;
    write_response(std::move(r), false);
  }

  void write_response(server_response r, bool head) {
    if (done_) return;
    // Keep the connection only when the request was read completely and both sides want it.
    const bool keep = keep_alive_ && !r.close && parser_ && parser_->is_done();
    res_ = {};
    res_.version(version_ == 10 ? 10 : 11);
    res_.result(r.status);
    if (!r.content_type.empty()) res_.set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) res_.insert(k, v);
    res_.keep_alive(keep);
    st_->responses[std::min<std::size_t>(r.status / 100, 5)].fetch_add(1, std::memory_order_relaxed);
    if (head) {
      res_.content_length(r.body.size());  // HEAD: GET's headers, no body
    } else {
      res_.body() = std::move(r.body);
      res_.prepare_payload();
    }
    lowest().expires_after(st_->o.write_timeout);
    http::async_write(stream_, res_,
                      [self = this->shared_from_this(), keep](error_code ec, std::size_t) {
                        if (self->done_) return;
                        if (ec) return self->finish();
                        if (!keep) return self->linger();
                        self->first_ = false;
                        self->read_request();
                      });
  }

  // After a final response: send FIN, then read and discard what the client still sends (an
  // unread body would otherwise make the kernel answer with RST and lose the response) until it
  // closes or a short deadline passes.
  void linger() {
    error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_send, ignored);
    lowest().expires_after(std::chrono::seconds(2));
    drain();
  }
  void drain() {
    lowest().async_read_some(asio::buffer(scratch_),
                             [self = this->shared_from_this()](error_code ec, std::size_t n) {
                               if (self->done_) return;
                               self->drained_ += n;
                               if (ec || self->drained_ > (1u << 20)) return self->finish();
                               self->drain();
                             });
  }

  void finish() {
    if (done_) return;
    done_ = true;
    error_code ignored;
    lowest().socket().close(ignored);
    slot_.release();
  }

  std::shared_ptr<detail::server_state> st_;
  detail::conn_slot slot_;
  std::string remote_;
  stream_t stream_;
  beast::flat_buffer buf_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  server_request pending_;
  const http_async_handler* pending_handler_ = nullptr;
  std::array<char, 4096> scratch_{};
  std::size_t drained_ = 0;
  std::uint64_t seq_ = 0;
  unsigned version_ = 11;
  bool first_ = true, keep_alive_ = false, awaiting_ = false, pending_head_ = false;
  bool done_ = false;
};

// A connection over the cap on a plain listener: one canned 503, FIN, close.
struct busy_refusal : std::enable_shared_from_this<busy_refusal> {
  explicit busy_refusal(tcp::socket s, std::shared_ptr<detail::server_state> st)
      : stream(std::move(s)), st_(std::move(st)) {}
  void start() {
    ++st_->refusing;
    stream.expires_after(std::chrono::seconds(1));
    asio::async_write(stream, asio::buffer(busy_response.data(), busy_response.size()),
                      [self = shared_from_this()](error_code, std::size_t) {
                        error_code ignored;
                        self->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                        self->stream.socket().close(ignored);
                        --self->st_->refusing;
                      });
  }
  beast::tcp_stream stream;
  std::shared_ptr<detail::server_state> st_;
};

}  // namespace

// ---- http_server ------------------------------------------------------------------------------
struct http_server::impl : std::enable_shared_from_this<http_server::impl> {
  impl(asio::io_context& c, http_server_options o)
      : ioc(c), st(std::make_shared<detail::server_state>(std::move(o))), acceptor(c),
        retry(c) {}

  route_group& group(const std::string& path, path_match m) {
    for (auto& g : st->routes)
      if (g.pattern == path && g.match == m) return g;
    st->routes.push_back(route_group{path, m, {}, {}});
    return st->routes.back();
  }

  void accept() {
    if (st->stopped) return;
    acceptor.async_accept([self = shared_from_this()](error_code ec, tcp::socket s) {
      self->on_accept(ec, std::move(s));
    });
  }

  void on_accept(error_code ec, tcp::socket s) {
    if (st->stopped || ec == asio::error::operation_aborted) return;
    if (ec) {
      st->accept_errors.fetch_add(1, std::memory_order_relaxed);
      st->report(ec, "accept", {}, {});
      // Out of descriptors or buffers: accepting again at once would spin; pause briefly.
      retry.expires_after(std::chrono::milliseconds(50));
      retry.async_wait([self = shared_from_this()](error_code e) {
        if (!e) self->accept();
      });
      return;
    }
    if (st->open.load(std::memory_order_relaxed) >= st->o.max_connections) {
      st->reject(reject_reason::connection_limit);
      // TLS: no request can be answered before a handshake: close at once. Plain: a 503, unless
      // refusals themselves pile up.
      if (st->tls || st->refusing >= 64) {
        error_code ignored;
        s.close(ignored);
      } else {
        std::make_shared<busy_refusal>(std::move(s), st)->start();
      }
      return accept();
    }
    error_code ignored;
    s.set_option(tcp::no_delay(true), ignored);
    st->accepted.fetch_add(1, std::memory_order_relaxed);
    detail::conn_slot slot(st);
    if (st->tls)
      std::make_shared<http_conn<true>>(st, std::move(slot), std::move(s))->start();
    else
      std::make_shared<http_conn<false>>(st, std::move(slot), std::move(s))->start();
    accept();
  }

  asio::io_context& ioc;
  std::shared_ptr<detail::server_state> st;
  tcp::acceptor acceptor;
  asio::steady_timer retry;
  std::uint16_t port = 0;
  bool started = false;
};

http_server::http_server(asio::io_context& ioc, http_server_options options)
    : impl_(std::make_shared<impl>(ioc, std::move(options))) {}

http_server::~http_server() { stop(); }

void http_server::handle(verb method, std::string path, http_handler h, path_match m) {
  handle_async(
      method, std::move(path),
      [h = std::move(h)](const server_request& rq, http_responder done) {
        server_response r;
        h(rq, r);
        done(std::move(r));
      },
      m);
}

void http_server::handle_async(verb method, std::string path, http_async_handler h,
                               path_match m) {
  auto& g = impl_->group(path, m);
  for (auto& [v, existing] : g.handlers)
    if (v == method) {
      existing = std::move(h);
      return;
    }
  g.handlers.emplace_back(method, std::move(h));
}

void http_server::handle_ws(std::string path, ws_handler h, path_match m) {
  impl_->group(path, m).ws = std::move(h);
}

void http_server::on_error(std::function<void(const server_error&)> f) {
  impl_->st->on_error = std::move(f);
}

error_code http_server::start(std::string* message) {
  auto& st = *impl_->st;
  auto fail = [&](error_code ec, std::string what) {
    if (message) *message = std::move(what) + ": " + ec.message();
    return ec;
  };
  if (impl_->started) return fail(asio::error::already_started, "http server");
  error_code ec;
  const auto& o = st.o;
  if (!o.cert_file.empty() || !o.cert_pem.empty()) {
    st.tls.emplace(asio::ssl::context::tls_server);
    auto& ctx = *st.tls;
    ctx.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use,
                    ec);
    if (ec) return fail(ec, "TLS options");
    if (!o.cert_pem.empty())
      ctx.use_certificate_chain(asio::buffer(o.cert_pem), ec);
    else
      ctx.use_certificate_chain_file(o.cert_file, ec);
    if (ec) return fail(ec, "TLS certificate " + (o.cert_file.empty() ? "(PEM)" : o.cert_file));
    if (!o.key_pem.empty())
      ctx.use_private_key(asio::buffer(o.key_pem), asio::ssl::context::pem, ec);
    else
      ctx.use_private_key_file(o.key_file, asio::ssl::context::pem, ec);
    if (ec) return fail(ec, "TLS private key " + (o.key_file.empty() ? "(PEM)" : o.key_file));
  }
  const auto addr = asio::ip::make_address(o.address, ec);
  if (ec) return fail(ec, "listen address '" + o.address + "'");
  const tcp::endpoint ep(addr, o.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    error_code ignored;
    a.close(ignored);
    return fail(ec, "listen on " + o.address + ":" + std::to_string(o.port));
  }
  impl_->port = a.local_endpoint(ec).port();
  impl_->started = true;
  impl_->accept();
  return {};
}

void http_server::stop() {
  auto& st = *impl_->st;
  if (st.stopped) return;
  st.stopped = true;
  error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->retry.cancel();
  st.stop_all();
}

std::uint16_t http_server::port() const noexcept { return impl_->port; }
bool http_server::tls() const noexcept { return impl_->st->tls.has_value(); }

http_server_stats http_server::stats() const noexcept {
  const auto& st = *impl_->st;
  http_server_stats s;
  constexpr auto r = std::memory_order_relaxed;
  s.connections_accepted = st.accepted.load(r);
  s.connections_open = st.open.load(r);
  s.requests = st.requests.load(r);
  s.handler_errors = st.handler_errors.load(r);
  s.accept_errors = st.accept_errors.load(r);
  s.ws_upgrades = st.ws_upgrades.load(r);
  s.ws_sessions_open = st.ws_open.load(r);
  for (std::size_t i = 0; i < s.rejected.size(); ++i) s.rejected[i] = st.rejected[i].load(r);
  for (std::size_t i = 0; i < s.responses.size(); ++i) s.responses[i] = st.responses[i].load(r);
  return s;
}

server_response json_response(unsigned status, std::string body) {
  server_response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

}  // namespace depthmon::net
