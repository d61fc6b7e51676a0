// net/http_client.hpp — HTTP/1.1 GET for REST snapshots and instrument metadata, and POST for
// alert receivers (http/https). A POST body goes out with Content-Length (and the Content-Type
// the caller puts in headers); a method other than GET/POST fails in phase "resolve".
//
// Same dialling and TLS policy as the websocket client (net/proxy.hpp, net/tls.hpp: always
// verified, optional extra ca_file). Each request has connect, TLS and request (write + whole
// response) timeouts and a body size limit. Responses keep their status and headers (callers
// read X-MBX-USED-WEIGHT-1M, Retry-After) and put the body in a core::padded_buffer so the
// JSON parser reads it in place. A non-2xx status is a response, not an error.
// Keep-alive: after a complete keep-alive response the connection is parked, one per
// scheme://host:port, and reused by the next request to that host; a parked connection the
// server has closed meanwhile is detected on use and the request retried once on a fresh one.
//
// Threads: the client and its callbacks belong to the one thread running its io_context.
// Errors: no exceptions; the callback runs exactly once per get() (after the client is
// destroyed: never), with ec/phase set on failure: "resolve", "connect", "proxy", "tls",
// "write", "read" (body_limit: beast::http::error::body_limit in "read").
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/frame.hpp"
#include "net/proxy.hpp"
#include "net/tls.hpp"

namespace depthmon::net {

struct http_options {
  std::string ca_file;
  std::shared_ptr<tls_context> tls;   // shared context; built from ca_file when null
  proxy_settings proxy;
  std::string user_agent = "depthmon";
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds tls_timeout{10'000};
  std::chrono::milliseconds request_timeout{15'000};  // write request + read whole response
  std::size_t body_limit = 32u << 20;
  bool reuse_connections = true;
  std::chrono::milliseconds max_idle{30'000};  // parked connections older than this are dropped
};

struct http_request {
  std::string url;  // http(s)://host[:port]/path?query
  std::vector<std::pair<std::string, std::string>> headers;
  std::string method = "GET";  // GET or POST (receivers)
  std::string body{};          // sent with Content-Length when non-empty or method is POST
};

inline http_request get_request(std::string url,
                                std::vector<std::pair<std::string, std::string>> headers = {}) {
  return http_request{std::move(url), std::move(headers), "GET", {}};
}

struct http_response {
  boost::system::error_code ec;
  const char* phase = "";
  unsigned status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in received order
  core::padded_buffer body_buffer;
  bool reused_connection = false;

  bool ok() const noexcept { return !ec; }
  core::padded_view body() const noexcept { return body_buffer.view(); }
  // First header with this name (case-insensitive), empty if absent.
  std::string_view header(std::string_view name) const noexcept;
};

class http_client {
 public:
  http_client(boost::asio::io_context& ioc, http_options options);
  ~http_client();  // pending requests are aborted; their callbacks do not run
  http_client(const http_client&) = delete;
  http_client& operator=(const http_client&) = delete;

  using callback = std::function<void(http_response&&)>;
  void get(http_request request, callback done);

  std::size_t parked_connections() const noexcept;
  std::size_t connections_opened() const noexcept;

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace depthmon::net
