#include "net/ws_client.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <cstring>
#include <deque>
#include <optional>
#include <type_traits>

#include "net/detail/dial.hpp"
#include "net/error.hpp"

namespace depthmon::net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;
using boost::system::error_code;
using steady = std::chrono::steady_clock;

core::unix_nanos wall_now() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct out_frame {
  enum kind_t : std::uint8_t { text, binary, ping, close } kind;
  std::string payload;
  std::uint16_t code = 0;
};

template <bool Tls>
class ws_session final : public ws_connection, public std::enable_shared_from_this<ws_session<Tls>> {
  using next_layer = std::conditional_t<Tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

 public:
  ws_session(asio::io_context& ioc, ws_options o, ws_callbacks cb, url u,
             std::shared_ptr<tls_context> tls)
      : ioc_(ioc), o_(std::move(o)), cb_(std::move(cb)), url_(std::move(u)), tls_(std::move(tls)),
        ws_(make_stream(ioc, tls_.get())), idle_timer_(ioc), ping_timer_(ioc),
        keepalive_timer_(ioc) {}

  void start() override {
    if (state_ != ws_state::idle) return;
    state_ = ws_state::connecting;
    const auto choice = choose_proxy(url_, o_.proxy);
    if (!choice.error.empty()) {
      // Reported from the io_context, as documented, never from inside start().
      asio::post(ioc_, [self = this->shared_from_this()] {
        self->finish(error::bad_url, phase::proxy);
      });
      return;
    }
    detail::dial_target t{url_.host, url_.port, choice.proxy, o_.connect_timeout, o_.user_agent};
    dial_ = detail::async_dial(beast::get_lowest_layer(ws_), std::move(t),
                               [self = this->shared_from_this()](error_code ec, const char* ph) {
                                 self->on_dialed(ec, ph);
                               });
  }

  void send(std::string payload, bool binary) override {
    if (state_ == ws_state::closing || state_ == ws_state::closed) return;
    enqueue({binary ? out_frame::binary : out_frame::text, std::move(payload)});
  }

  void close(std::uint16_t code, std::string reason) override {
    if (state_ == ws_state::closing || state_ == ws_state::closed) return;
    if (state_ != ws_state::open) {  // nothing to close politely yet
      finish(asio::error::operation_aborted, phase::close);
      return;
    }
    state_ = ws_state::closing;
    if (reason.size() > 123) reason.resize(123);  // RFC 6455: 125-byte control payload
    enqueue({out_frame::close, std::move(reason), code});
  }

  void abort() override {
    if (state_ == ws_state::closed) return;
    cb_ = {};
    finish(asio::error::operation_aborted, "");
  }

  ws_state state() const noexcept override { return state_; }
  const ws_stats& stats() const noexcept override { return stats_; }
  bool deflate_negotiated() const noexcept override { return deflate_; }
  std::size_t queued() const noexcept override { return queue_.size(); }

 private:
  static websocket::stream<next_layer> make_stream(asio::io_context& ioc, tls_context* tls) {
    if constexpr (Tls) return websocket::stream<next_layer>(ioc, tls->native());
    else return websocket::stream<next_layer>(ioc);
  }

  void on_dialed(error_code ec, const char* where) {
    if (state_ == ws_state::closed) return;
    if (ec) return finish(ec, where);
    if constexpr (Tls) {
      auto& ssl = ws_.next_layer();
      if (!prepare_client_session(ssl.native_handle(), url_.host, ec))
        return finish(ec, phase::tls);
      beast::get_lowest_layer(ws_).expires_after(o_.tls_timeout);
      ssl.async_handshake(asio::ssl::stream_base::client,
                          [self = this->shared_from_this()](error_code e) { self->on_tls(e); });
    } else {
      on_tls({});
    }
  }

  void on_tls(error_code ec) {
    if (state_ == ws_state::closed) return;
    if (ec) return finish(ec, phase::tls);
    // From here the websocket's own timers run; the tcp_stream's must be off (Beast's rule).
    beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout opt{o_.handshake_timeout, websocket::stream_base::none(), false};
    ws_.set_option(opt);
    if (o_.permessage_deflate) {
      websocket::permessage_deflate pmd;
      pmd.client_enable = true;
      ws_.set_option(pmd);
    }
    ws_.read_message_max(o_.max_message_size);
    ws_.auto_fragment(false);
    ws_.set_option(websocket::stream_base::decorator(
        [ua = o_.user_agent, hdrs = o_.headers](websocket::request_type& req) {
          if (!ua.empty()) req.set(http::field::user_agent, ua);
          for (const auto& [k, v] : hdrs) req.set(k, v);
        }));
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view payload) {
      on_control_frame(kind, payload);
    });
    ws_.async_handshake(upgrade_res_, url_.host_header(), url_.target,
                        [self = this->shared_from_this()](error_code e) { self->on_handshake(e); });
  }

  void on_handshake(error_code ec) {
    if (state_ == ws_state::closed) return;
    if (ec) {
      if (upgrade_res_.result_int() != 0 && upgrade_res_.result_int() != 101)
        closed_.http_status = upgrade_res_.result_int();
      return finish(ec, phase::ws_handshake);
    }
    const auto ext = upgrade_res_[http::field::sec_websocket_extensions];
    deflate_ = o_.permessage_deflate && ext.find("permessage-deflate") != beast::string_view::npos;
    state_ = ws_state::open;
    closed_.was_open = true;
    last_rx_ = steady::now();
    last_keepalive_ = last_rx_;
    arm_timers();
    do_read();
    if (!queue_.empty() && !writing_) do_write();
    if (cb_.on_open) cb_.on_open();
  }

  // ---- read path: no exceptions, no allocation in steady state -------------------------------
  void do_read() {
    ws_.async_read(rx_, [self = this->shared_from_this()](error_code ec, std::size_t n) {
      self->on_read(ec, n);
    });
  }

  void on_read(error_code ec, std::size_t) {
    if (state_ == ws_state::closed) return;
    if (ec) {
      // Our close is finished by its own handler; the read just stops.
      if (state_ == ws_state::closing && close_sent_) return;
      if (ec == websocket::error::closed) {
        closed_.close_code = static_cast<std::uint16_t>(ws_.reason().code);
        closed_.close_reason = std::string(ws_.reason().reason.data(), ws_.reason().reason.size());
      }
      return finish(ec, phase::read);
    }
    rx_time t{steady::now(), wall_now()};
    last_rx_ = t.steady;
    const std::size_t size = rx_.size();
    // Zeroed slack after the payload inside the same buffer: the codec parses in place.
    // prepare() may move the bytes (never beyond the first frame that needs more room).
    auto tail = rx_.prepare(core::frame_padding);
    std::memset(tail.data(), 0, core::frame_padding);
    const char* data = static_cast<const char*>(rx_.data().data());
    ++stats_.messages_in;
    stats_.bytes_in += size;
    if (cb_.on_message) cb_.on_message(core::padded_view(data, size), ws_.got_text(), t);
    rx_.consume(size);
    // After our close frame is out, Beast's close operation drains until the echo arrives.
    if (state_ == ws_state::open || (state_ == ws_state::closing && !close_sent_)) do_read();
  }

  void on_control_frame(websocket::frame_type kind, beast::string_view payload) {
    last_rx_ = steady::now();
    control_kind k = control_kind::close;
    if (kind == websocket::frame_type::ping) {
      ++stats_.pings_in;
      k = control_kind::ping;
    } else if (kind == websocket::frame_type::pong) {
      ++stats_.pongs_in;
      k = control_kind::pong;
    }
    if (cb_.on_control) cb_.on_control(k, std::string_view(payload.data(), payload.size()));
  }

  // ---- write path: one write in flight, control frames in the same queue ----------------------
  void enqueue(out_frame f) {
    queue_.push_back(std::move(f));
    if (state_ == ws_state::open || state_ == ws_state::closing) {
      if (!writing_) do_write();
    }
  }

  void do_write() {
    if (queue_.empty() || state_ == ws_state::closed) {
      writing_ = false;
      return;
    }
    writing_ = true;
    out_frame& f = queue_.front();
    auto self = this->shared_from_this();
    switch (f.kind) {
      case out_frame::text:
      case out_frame::binary:
        ws_.binary(f.kind == out_frame::binary);
        ws_.async_write(asio::buffer(f.payload),
                        [self](error_code ec, std::size_t) { self->on_write(ec, true); });
        break;
      case out_frame::ping: {
        websocket::ping_data pd;
        pd.assign(f.payload.data(), std::min<std::size_t>(f.payload.size(), pd.max_size()));
        ws_.async_ping(pd, [self](error_code ec) { self->on_write(ec, false); });
        break;
      }
      case out_frame::close: {
        close_sent_ = true;
        cancel_timers();
        websocket::close_reason cr(static_cast<websocket::close_code>(f.code), f.payload);
        ws_.async_close(cr, [self](error_code ec) { self->on_close_done(ec); });
        break;
      }
    }
  }

  void on_write(error_code ec, bool data) {
    if (state_ == ws_state::closed) return;
    if (ec) return finish(ec, phase::write);
    if (data) ++stats_.messages_out;
    queue_.pop_front();
    do_write();
  }

  void on_close_done(error_code ec) {
    if (state_ == ws_state::closed) return;
    closed_.close_code = static_cast<std::uint16_t>(ws_.reason().code);
    closed_.close_reason = std::string(ws_.reason().reason.data(), ws_.reason().reason.size());
    finish(ec, phase::close);
  }

  // ---- timers: checked against timestamps, so frames never touch a timer ---------------------
  void arm_timers() {
    if (o_.idle_timeout.count() > 0) arm_idle(o_.idle_timeout);
    if (o_.ping_interval.count() > 0) arm_ping();
    if (o_.keepalive_interval.count() > 0 && !o_.keepalive_payload.empty())
      arm_keepalive(o_.keepalive_interval);
  }

  void arm_idle(steady::duration after) {
    idle_timer_.expires_after(after);
    idle_timer_.async_wait([self = this->shared_from_this()](error_code ec) {
      if (ec || self->state_ != ws_state::open) return;
      const auto quiet = steady::now() - self->last_rx_;
      if (quiet >= self->o_.idle_timeout) return self->finish(error::idle_timeout, phase::idle_timeout);
      self->arm_idle(self->o_.idle_timeout - quiet);
    });
  }

  void arm_ping() {
    ping_timer_.expires_after(o_.ping_interval);
    ping_timer_.async_wait([self = this->shared_from_this()](error_code ec) {
      if (ec || self->state_ != ws_state::open) return;
      ++self->stats_.pings_out;
      self->enqueue({out_frame::ping, {}});
      self->arm_ping();
    });
  }

  void arm_keepalive(steady::duration after) {
    keepalive_timer_.expires_after(after);
    keepalive_timer_.async_wait([self = this->shared_from_this()](error_code ec) {
      if (ec || self->state_ != ws_state::open) return;
      const auto now = steady::now();
      const auto interval = self->o_.keepalive_interval;
      if (self->o_.keepalive_when_receive_idle) {
        const auto since = now - std::max(self->last_rx_, self->last_keepalive_);
        if (since < interval) return self->arm_keepalive(interval - since);
      }
      self->last_keepalive_ = now;
      ++self->stats_.keepalives_out;
      self->enqueue({out_frame::text, self->o_.keepalive_payload});
      self->arm_keepalive(interval);
    });
  }

  void cancel_timers() {
    idle_timer_.cancel();
    ping_timer_.cancel();
    keepalive_timer_.cancel();
  }

  // ---- the one exit ---------------------------------------------------------------------------
  void finish(error_code ec, const char* where) {
    if (state_ == ws_state::closed) return;
    state_ = ws_state::closed;
    cancel_timers();
    if (dial_) dial_->cancel();
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    // A write in flight still reads the front frame's payload: closing the socket aborts only
    // the next socket operation, and a send that already completed hands the write op back to
    // copy the next chunk (TLS copies 16 KiB records), so that frame must live until the write
    // op's handler has run (the handler holds the session; the frame dies with it).
    if (writing_ && !queue_.empty()) queue_.erase(queue_.begin() + 1, queue_.end());
    else queue_.clear();
    auto on_closed = std::move(cb_.on_closed);
    cb_ = {};
    closed_.ec = ec;
    closed_.phase = where;
    if (on_closed) on_closed(closed_);
  }

  asio::io_context& ioc_;
  ws_options o_;
  ws_callbacks cb_;
  url url_;
  std::shared_ptr<tls_context> tls_;  // outlives ws_ (declared before it)
  websocket::stream<next_layer> ws_;
  std::shared_ptr<detail::dial_op> dial_;
  websocket::response_type upgrade_res_;
  beast::flat_buffer rx_;
  std::deque<out_frame> queue_;
  asio::steady_timer idle_timer_, ping_timer_, keepalive_timer_;
  steady::time_point last_rx_{}, last_keepalive_{};
  ws_state state_ = ws_state::idle;
  ws_stats stats_;
  ws_closed closed_;
  bool writing_ = false, close_sent_ = false, deflate_ = false;
};

// A connection that failed before it could exist (bad URL, bad CA file): reports once, from the
// io_context, through the same callback.
class failed_session final : public ws_connection,
                             public std::enable_shared_from_this<failed_session> {
 public:
  failed_session(asio::io_context& ioc, ws_callbacks cb, error_code ec, const char* where)
      : ioc_(ioc), cb_(std::move(cb)) {
    closed_.ec = ec;
    closed_.phase = where;
  }
  void start() override {
    if (started_) return;
    started_ = true;
    asio::post(ioc_, [self = shared_from_this()] {
      if (self->state_ == ws_state::closed) return;
      self->state_ = ws_state::closed;
      auto cb = std::move(self->cb_.on_closed);
      self->cb_ = {};
      if (cb) cb(self->closed_);
    });
  }
  void send(std::string, bool) override {}
  void close(std::uint16_t, std::string) override {}
  void abort() override {
    state_ = ws_state::closed;
    cb_ = {};
  }
  ws_state state() const noexcept override { return state_; }
  const ws_stats& stats() const noexcept override { return stats_; }
  bool deflate_negotiated() const noexcept override { return false; }
  std::size_t queued() const noexcept override { return 0; }

 private:
  asio::io_context& ioc_;
  ws_callbacks cb_;
  ws_closed closed_;
  ws_stats stats_;
  ws_state state_ = ws_state::idle;
  bool started_ = false;
};

}  // namespace

std::shared_ptr<ws_connection> ws_connection::create(asio::io_context& ioc, ws_options options,
                                                     ws_callbacks callbacks) {
  auto u = parse_url(options.url);
  if (!u || (u->scheme != "ws" && u->scheme != "wss"))
    return std::make_shared<failed_session>(ioc, std::move(callbacks), error::bad_url,
                                            phase::resolve);
  if (!u->tls)
    return std::make_shared<ws_session<false>>(ioc, std::move(options), std::move(callbacks),
                                               std::move(*u), nullptr);
  auto tls = options.tls;
  if (!tls) {
    error_code ec;
    tls = tls_context::create(options.ca_file, ec, nullptr);
    if (!tls)
      return std::make_shared<failed_session>(ioc, std::move(callbacks),
                                              ec ? ec : make_error_code(error::tls_setup),
                                              phase::tls);
  }
  return std::make_shared<ws_session<true>>(ioc, std::move(options), std::move(callbacks),
                                            std::move(*u), std::move(tls));
}

}  // namespace depthmon::net
