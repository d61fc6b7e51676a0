// net/detail/dial.hpp — resolve, TCP connect and (optionally) HTTP CONNECT through a proxy on
// a beast::tcp_stream: the steps ws_client and http_client share before TLS.
//
// Threads: the stream's io_context thread. Errors: the handler gets (ec, phase) once, phase
// "resolve", "connect" or "proxy"; beast::error::timeout when connect_timeout passed (it bounds
// the resolve, the connect and the proxy exchange, each). After cancel() the handler is not
// called (it is released when the pending operation completes).
#pragma once

#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/url.hpp"

namespace depthmon::net::detail {

struct dial_target {
  std::string host;
  std::uint16_t port = 0;
  std::optional<url> proxy;
  std::chrono::milliseconds connect_timeout{10'000};
  std::string user_agent;
};

using dial_handler = std::function<void(boost::system::error_code, const char* phase)>;

class dial_op {
 public:
  virtual ~dial_op() = default;
  virtual void cancel() = 0;
};

// `stream` must outlive the operation: keep its owner alive in `handler`.
std::shared_ptr<dial_op> async_dial(boost::beast::tcp_stream& stream, dial_target target,
                                    dial_handler handler);

}  // namespace depthmon::net::detail
