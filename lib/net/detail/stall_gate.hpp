// net/detail/stall_gate.hpp — a pass-through stream layer under a server websocket that can be
// switched to swallow every write: the half-open stall fault.
//
// Why a layer and not "stop writing": Beast answers the client's pings from inside a pending
// read, so a session that merely stops sending still sends pongs and the client's read-idle
// timer never fires. Below the websocket (above TLS, so records stay intact) every byte written
// after stall() is reported written and discarded: frames, pongs and the close frame alike.
// Reads pass through untouched.
//
// Threads: the stream's. Errors: those of the next layer; discarded writes always succeed.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>
#include <boost/system/error_code.hpp>

#include <cstddef>
#include <utility>

namespace depthmon::net::detail {

template <class Next>
class stall_gate {
 public:
  using executor_type = typename Next::executor_type;
  using next_layer_type = Next;

  template <class Arg>
  explicit stall_gate(Arg&& arg) : next_(std::forward<Arg>(arg)) {}

  executor_type get_executor() noexcept { return next_.get_executor(); }
  Next& next_layer() noexcept { return next_; }
  const Next& next_layer() const noexcept { return next_; }

  void stall() noexcept { stalled_ = true; }
  void unstall() noexcept { stalled_ = false; }
  bool stalled() const noexcept { return stalled_; }

  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return next_.async_read_some(buffers, std::forward<Token>(token));
  }

  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return boost::asio::async_initiate<Token, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBuffers& b) {
          if (!stalled_) {
            next_.async_write_some(b, std::move(handler));
            return;
          }
          const std::size_t n = boost::asio::buffer_size(b);
          auto ex = boost::asio::get_associated_executor(handler, next_.get_executor());
          boost::asio::post(ex, [h = std::move(handler), n]() mutable {
            std::move(h)(boost::system::error_code{}, n);
          });
        },
        token, buffers);
  }

 private:
  Next next_;
  bool stalled_ = false;
};

// The websocket stream tears its transport down through these (found by ADL).
template <class Next>
void teardown(boost::beast::role_type role, stall_gate<Next>& s, boost::system::error_code& ec) {
  using boost::beast::websocket::teardown;
  teardown(role, s.next_layer(), ec);
}

template <class Next, class Handler>
void async_teardown(boost::beast::role_type role, stall_gate<Next>& s, Handler&& handler) {
  using boost::beast::websocket::async_teardown;
  async_teardown(role, s.next_layer(), std::forward<Handler>(handler));
}

}  // namespace depthmon::net::detail
