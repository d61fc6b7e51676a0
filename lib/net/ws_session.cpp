#include "net/ws_session.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <deque>

#include "net/detail/server_state.hpp"
#include "net/detail/stall_gate.hpp"
#include "net/error.hpp"

namespace depthmon::net::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using boost::system::error_code;

struct out_frame {
  enum kind_t : std::uint8_t { text, binary, ping, close } kind;
  std::string payload;
  std::uint16_t code = 0;
};

template <bool Tls>
class ws_session_impl final : public ws_session,
                              public closable,
                              public std::enable_shared_from_this<ws_session_impl<Tls>> {
  using gated = stall_gate<http_stream_t<Tls>>;

 public:
  ws_session_impl(std::shared_ptr<server_state> st, conn_slot slot, http_stream_t<Tls> stream,
                  server_request rq, ws_accept acc)
      : st_(std::move(st)), slot_(std::move(slot)), ws_(std::move(stream)), rq_(std::move(rq)),
        cb_(std::move(acc.callbacks)), on_open_(std::move(acc.on_open)),
        extra_headers_(std::move(acc.headers)), want_deflate_(acc.permessage_deflate) {}

  void start(http::request<http::string_body> upgrade) {
    st_->enroll(slot_.id(), this->weak_from_this());
    upgrade_ = std::move(upgrade);
    auto& lowest = beast::get_lowest_layer(ws_);
    lowest.expires_never();  // the websocket's own timers from here (Beast's rule)
    websocket::stream_base::timeout t{};
    t.handshake_timeout = st_->o.ws_handshake_timeout;
    t.idle_timeout = st_->o.ws_idle_timeout.count() > 0
                         ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                               st_->o.ws_idle_timeout)
                         : websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws_.set_option(t);
    if (want_deflate_) {
      websocket::permessage_deflate pmd;
      pmd.server_enable = true;
      ws_.set_option(pmd);
    }
    ws_.read_message_max(st_->o.ws_max_message);
    ws_.auto_fragment(false);
    ws_.set_option(websocket::stream_base::decorator([this](websocket::response_type& res) {
      res.set(http::field::server, "depthmon");
      for (const auto& [k, v] : extra_headers_) res.set(k, v);
      // Called after Beast's permessage-deflate negotiation wrote its answer.
      deflate_ = res[http::field::sec_websocket_extensions].find("permessage-deflate") !=
                 beast::string_view::npos;
    }));
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view payload) {
      on_control_frame(kind, payload);
    });
    ws_.async_accept(upgrade_, [self = this->shared_from_this()](error_code ec) {
      self->on_accept(ec);
    });
  }

  // ---- ws_session --------------------------------------------------------------------------
  void send(std::string payload, bool binary) override {
    if (state_ != ws_session_state::open) return;
    enqueue({binary ? out_frame::binary : out_frame::text, std::move(payload)});
  }

  void ping(std::string payload) override {
    if (state_ != ws_session_state::open) return;
    if (payload.size() > 125) payload.resize(125);
    enqueue({out_frame::ping, std::move(payload)});
  }

  void close(std::uint16_t code, std::string reason) override {
    if (state_ != ws_session_state::open) return;
    state_ = ws_session_state::closing;
    if (reason.size() > 123) reason.resize(123);  // RFC 6455: 125-byte control payload
    enqueue({out_frame::close, std::move(reason), code});
  }

  void stall() override { ws_.next_layer().stall(); }
  void unstall() override { ws_.next_layer().unstall(); }

  void drop() override {
    if (state_ == ws_session_state::closed) return;
    error_code ignored;
    // SO_LINGER 0: close() sends RST instead of FIN, what a vanished peer or NAT looks like.
    beast::get_lowest_layer(ws_).socket().set_option(asio::socket_base::linger(true, 0), ignored);
    finish(asio::error::operation_aborted, "drop");
  }

  void stop_now() override { finish(asio::error::operation_aborted, "stop"); }

  const server_request& request() const noexcept override { return rq_; }
  ws_session_state state() const noexcept override { return state_; }
  const ws_session_stats& stats() const noexcept override { return stats_; }
  bool stalled() const noexcept override { return ws_.next_layer().stalled(); }
  bool deflate_negotiated() const noexcept override { return deflate_; }
  std::size_t queued() const noexcept override { return queue_.size(); }
  std::size_t queued_bytes() const noexcept override { return queued_bytes_; }

 private:
  void on_accept(error_code ec) {
    if (state_ == ws_session_state::closed) return;
    if (ec) return finish(ec, phase::ws_handshake);
    state_ = ws_session_state::open;
    opened_ = true;
    st_->ws_upgrades.fetch_add(1, std::memory_order_relaxed);
    st_->ws_open.fetch_add(1, std::memory_order_relaxed);
    do_read();
    if (auto f = std::move(on_open_)) f(this->shared_from_this());
  }

  // ---- read path ---------------------------------------------------------------------------
  void do_read() {
    ws_.async_read(rx_, [self = this->shared_from_this()](error_code ec, std::size_t n) {
      self->on_read(ec, n);
    });
  }

  void on_read(error_code ec, std::size_t n) {
    if (state_ == ws_session_state::closed) return;
    if (ec) {
      if (state_ == ws_session_state::closing && close_sent_) return;  // our close finishes
      if (ec == websocket::error::closed) record_reason();
      return finish(ec, phase::read);
    }
    ++stats_.messages_in;
    stats_.bytes_in += n;
    const auto data = rx_.cdata();
    if (cb_.on_message)
      cb_.on_message(*this, std::string_view(static_cast<const char*>(data.data()), data.size()),
                     ws_.got_text());
    rx_.consume(rx_.size());
    if (state_ == ws_session_state::open || (state_ == ws_session_state::closing && !close_sent_))
      do_read();
  }

  void on_control_frame(websocket::frame_type kind, beast::string_view payload) {
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

  // ---- write path: one write in flight, control frames in the same queue ------------------
  void enqueue(out_frame f) {
    queued_bytes_ += f.payload.size();
    queue_.push_back(std::move(f));
    if (queued_bytes_ > st_->o.ws_max_send_queue) {
      // The client does not read: drop it rather than hold the simulator's memory hostage.
      error_code ignored;
      beast::get_lowest_layer(ws_).socket().set_option(asio::socket_base::linger(true, 0),
                                                       ignored);
      return finish(error::send_queue_full, phase::write);
    }
    if (!writing_ && state_ != ws_session_state::handshake) do_write();
  }

  void do_write() {
    if (queue_.empty() || state_ == ws_session_state::closed) {
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
        ++stats_.pings_out;
        ws_.async_ping(pd, [self](error_code ec) { self->on_write(ec, false); });
        break;
      }
      case out_frame::close: {
        close_sent_ = true;
        websocket::close_reason cr(static_cast<websocket::close_code>(f.code), f.payload);
        ws_.async_close(cr, [self](error_code ec) { self->on_close_done(ec); });
        break;
      }
    }
  }

  void on_write(error_code ec, bool data) {
    if (state_ == ws_session_state::closed) return;
    if (ec) return finish(ec, phase::write);
    if (data) {
      ++stats_.messages_out;
      stats_.bytes_out += queue_.front().payload.size();
    }
    queued_bytes_ -= queue_.front().payload.size();
    queue_.pop_front();
    do_write();
  }

  void on_close_done(error_code ec) {
    if (state_ == ws_session_state::closed) return;
    record_reason();
    finish(ec, phase::close);
  }

  void record_reason() {
    closed_.close_code = static_cast<std::uint16_t>(ws_.reason().code);
    closed_.close_reason = std::string(ws_.reason().reason.data(), ws_.reason().reason.size());
  }

  // ---- the one exit ------------------------------------------------------------------------
  void finish(error_code ec, const char* where) {
    if (state_ == ws_session_state::closed) return;
    state_ = ws_session_state::closed;
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    slot_.release();
    if (opened_) st_->ws_open.fetch_sub(1, std::memory_order_relaxed);
    // A write in flight still reads the front frame's payload: closing the socket aborts only
    // the next socket operation, and a send that already completed hands the write op back to
    // copy the next chunk (TLS copies 16 KiB records), so that frame must live until the write
    // op's handler has run (the handler holds the session; the frame dies with it).
    if (writing_ && !queue_.empty()) queue_.erase(queue_.begin() + 1, queue_.end());
    else queue_.clear();
    queued_bytes_ = 0;
    closed_.ec = ec;
    closed_.phase = where;
    auto on_closed = std::move(cb_.on_closed);
    cb_ = {};
    on_open_ = {};
    if (!on_closed) return;
    // Posted: never from inside close()/drop(), so an owner may call them while iterating.
    asio::post(ws_.get_executor(),
               [self = this->shared_from_this(), f = std::move(on_closed)] { f(self->closed_); });
  }

  std::shared_ptr<server_state> st_;
  conn_slot slot_;
  websocket::stream<gated> ws_;
  server_request rq_;
  ws_session_callbacks cb_;
  std::function<void(std::shared_ptr<ws_session>)> on_open_;
  std::vector<std::pair<std::string, std::string>> extra_headers_;
  http::request<http::string_body> upgrade_;
  beast::flat_buffer rx_;
  std::deque<out_frame> queue_;
  std::size_t queued_bytes_ = 0;
  ws_session_state state_ = ws_session_state::handshake;
  ws_session_stats stats_;
  ws_session_closed closed_;
  bool want_deflate_ = false, deflate_ = false, writing_ = false, close_sent_ = false;
  bool opened_ = false;
};

}  // namespace

template <bool Tls>
void start_ws_session(std::shared_ptr<server_state> st, conn_slot slot, http_stream_t<Tls> stream,
                      server_request request, ws_accept accept,
                      http::request<http::string_body> upgrade) {
  auto s = std::make_shared<ws_session_impl<Tls>>(std::move(st), std::move(slot),
                                                  std::move(stream), std::move(request),
                                                  std::move(accept));
  s->start(std::move(upgrade));
}

template void start_ws_session<false>(std::shared_ptr<server_state>, conn_slot,
                                      http_stream_t<false>, server_request, ws_accept,
                                      http::request<http::string_body>);
template void start_ws_session<true>(std::shared_ptr<server_state>, conn_slot,
                                     http_stream_t<true>, server_request, ws_accept,
                                     http::request<http::string_body>);

}  // namespace depthmon::net::detail
