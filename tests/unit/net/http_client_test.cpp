#include "net/http_client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include <catch2/catch.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "net/error.hpp"
#include "pki_fixture.hpp"

using namespace depthmon;
using namespace depthmon::test;
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

net::http_options options() {
  net::http_options o;
  o.ca_file = pki().trusted.ca_file;
  o.proxy.use_environment = false;
  o.connect_timeout = o.tls_timeout = o.request_timeout = ms(3000);
  return o;
}

http_res depth_snapshot(const http_req& req) {
  http_res r{http::status::ok, 11};
  r.set("Content-Type", "application/json");
  r.set("X-MBX-USED-WEIGHT-1M", "25");
  r.body() = R"({"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],"asks":[],"t":")" +
             std::string(req.target()) + "\"}";
  return r;
}

std::optional<net::http_response> get(asio::io_context& ioc, net::http_client& client,
                                      net::http_request req) {
  std::optional<net::http_response> out;
  client.get(std::move(req), [&](net::http_response&& r) { out = std::move(r); });
  run_until(ioc, [&] { return out.has_value(); }, ms(5000));
  return out;
}

bool padded(core::padded_view v) {
  for (std::size_t i = 0; i < core::frame_padding; ++i)
    if (v.data()[v.size() + i] != 0) return false;
  return true;
}

}  // namespace

TEST_CASE("https GET: status, headers and a padded body; keep-alive reuses the connection", "[http][tls]") {
  http_server srv({.tls = pki().good, .handler = depth_snapshot});
  asio::io_context ioc;
  net::http_client client(ioc, options());
  auto r = get(ioc, client, {srv.url("/api/v3/depth?symbol=BNBBTC&limit=5000"), {{"X-Test", "1"}}});
  REQUIRE(r);
  REQUIRE(r->ok());
  CHECK(r->status == 200);
  CHECK(r->header("x-mbx-used-weight-1m") == "25");
  CHECK(r->header("Content-Type") == "application/json");
  CHECK(r->header("Retry-After").empty());
  CHECK(r->body().text() ==
        R"({"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],"asks":[],"t":"/api/v3/depth?symbol=BNBBTC&limit=5000"})");
  CHECK(padded(r->body()));
  CHECK_FALSE(r->reused_connection);
  CHECK(client.parked_connections() == 1);

  auto r2 = get(ioc, client, {srv.url("/api/v3/depth?symbol=ETHBTC"), {}});
  REQUIRE(r2);
  REQUIRE(r2->ok());
  CHECK(r2->reused_connection);
  CHECK(client.connections_opened() == 1);
  CHECK(srv.inspect([](const http_server_log& l) { return l.connections; }) == 1);
  CHECK(srv.inspect([](const http_server_log& l) { return l.user_agents.back(); }) == "depthmon");
}

TEST_CASE("https GET: 429 and 418 are responses with their Retry-After", "[http]") {
  http_server srv({.handler = [](const http_req& req) {
    http_res r{req.target() == "/ban" ? http::status{418} : http::status::too_many_requests, 11};
    r.set("Retry-After", "7");
    return r;
  }});
  asio::io_context ioc;
  net::http_client client(ioc, options());
  auto r = get(ioc, client, {srv.url("/api/v3/depth"), {}});
  REQUIRE(r);
  CHECK(r->ok());
  CHECK(r->status == 429);
  CHECK(r->header("retry-after") == "7");
  r = get(ioc, client, {srv.url("/ban"), {}});
  REQUIRE(r);
  CHECK(r->status == 418);
}

TEST_CASE("https GET: the body size limit is enforced", "[http]") {
  http_server srv({.tls = pki().good, .handler = [](const http_req&) {
    http_res r{http::status::ok, 11};
    r.body() = std::string(10'000, 'x');
    return r;
  }});
  asio::io_context ioc;
  auto o = options();
  o.body_limit = 1000;
  net::http_client client(ioc, o);
  auto r = get(ioc, client, {srv.url("/big"), {}});
  REQUIRE(r);
  CHECK(r->ec == http::error::body_limit);
  CHECK(std::string(r->phase) == "read");
  o.body_limit = 10'000;
  net::http_client roomy(ioc, o);
  r = get(ioc, roomy, {srv.url("/big"), {}});
  REQUIRE(r);
  CHECK(r->ok());
  CHECK(r->body().size() == 10'000);
}

TEST_CASE("https GET: untrusted and wrong-name certificates are refused", "[http][tls]") {
  for (const auto* id : {&pki().untrusted, &pki().wrong_name}) {
    http_server srv({.tls = *id, .handler = depth_snapshot});
    asio::io_context ioc;
    net::http_client client(ioc, options());
    auto r = get(ioc, client, {srv.url("/x"), {}});
    REQUIRE(r);
    CHECK(std::string(r->phase) == "tls");
    CHECK(r->ec.category() == asio::error::get_ssl_category());
    CHECK(ERR_GET_REASON(static_cast<unsigned long>(r->ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED);
    CHECK(srv.inspect([](const http_server_log& l) { return l.requests; }) == 0);
  }
}

TEST_CASE("http GET: a parked connection the server dropped is retried once on a fresh one", "[http]") {
  http_server srv({.handler = depth_snapshot, .drop_after_response = true});
  asio::io_context ioc;
  net::http_client client(ioc, options());
  auto r = get(ioc, client, {srv.url("/a"), {}});
  REQUIRE(r);
  REQUIRE(r->ok());
  run_until(ioc, [] { return false; }, ms(50));  // let the server's close arrive
  r = get(ioc, client, {srv.url("/b"), {}});
  REQUIRE(r);
  CHECK(r->ok());
  CHECK(r->status == 200);
  CHECK_FALSE(r->reused_connection);
  CHECK(client.connections_opened() == 2);
  CHECK(srv.inspect([](const http_server_log& l) { return l.requests; }) == 2);
}

TEST_CASE("http GET: request timeout on a server that never answers", "[http][timeout]") {
  ws_server silent({.stall_at = stall::after_tls});  // reads the request, never answers
  asio::io_context ioc;
  auto o = options();
  o.request_timeout = ms(300);
  net::http_client client(ioc, o);
  const auto t0 = steady::now();
  auto r = get(ioc, client, {"http://127.0.0.1:" + std::to_string(silent.port()) + "/x", {}});
  REQUIRE(r);
  CHECK(std::string(r->phase) == "read");
  CHECK(r->ec == boost::beast::error::timeout);
  CHECK(steady::now() - t0 < ms(3000));
}

TEST_CASE("https GET through an HTTP CONNECT proxy", "[http][proxy]") {
  http_server srv({.tls = pki().good, .handler = depth_snapshot});
  connect_proxy proxy({});
  asio::io_context ioc;
  auto o = options();
  o.proxy.url = proxy.url();
  net::http_client client(ioc, o);
  auto r = get(ioc, client, {srv.url("/api/v3/depth", "localhost"), {}});
  REQUIRE(r);
  REQUIRE(r->ok());
  CHECK(r->status == 200);
  CHECK(proxy.inspect([](const proxy_log& l) { return l.targets; }) ==
        std::vector<std::string>{"localhost:" + std::to_string(srv.port())});
}

TEST_CASE("http GET: bad URL, refused connection, and no callback after the client is gone", "[http]") {
  asio::io_context ioc;
  {
    net::http_client client(ioc, options());
    auto r = get(ioc, client, {"wss://127.0.0.1/x", {}});
    REQUIRE(r);
    CHECK(r->ec == net::error::bad_url);
    r = get(ioc, client, {"http://127.0.0.1:" + std::to_string(unused_port()) + "/", {}});
    REQUIRE(r);
    CHECK(std::string(r->phase) == "connect");
    CHECK(r->ec == asio::error::connection_refused);
  }
  bool called = false;
  {
    ws_server silent({.stall_at = stall::after_tls});
    net::http_client client(ioc, options());
    client.get({"http://127.0.0.1:" + std::to_string(silent.port()) + "/x", {}},
               [&](net::http_response&&) { called = true; });
    run_until(ioc, [] { return false; }, ms(100));
  }
  run_until(ioc, [] { return false; }, ms(100));
  CHECK_FALSE(called);
}

TEST_CASE("https POST: method, body, Content-Type and Content-Length reach the server; "
          "keep-alive reuse resends the body", "[http][post]") {
  std::vector<std::string> seen;
  std::mutex mu;
  http_server srv({.tls = pki().good, .handler = [&](const http_req& req) {
    std::lock_guard lock(mu);
    seen.push_back(std::string(req.method_string()) + " " + std::string(req.target()) + " " +
                   std::string(req[http::field::content_type]) + " " +
                   std::string(req[http::field::content_length]) + " " + req.body());
    http_res r{http::status::accepted, 11};
    r.body() = "ok";
    r.prepare_payload();
    return r;
  }});
  asio::io_context ioc;
  net::http_client client(ioc, options());
  net::http_request req{srv.url("/hook"), {{"Content-Type", "application/json"}}, "POST",
                        R"({"a":1})"};
  auto r = get(ioc, client, req);
  REQUIRE(r);
  REQUIRE(r->ok());
  CHECK(r->status == 202);
  r = get(ioc, client, req);
  REQUIRE(r);
  CHECK(r->reused_connection);
  // An empty POST still says Content-Length: 0 (servers refuse a POST without a length).
  r = get(ioc, client, {srv.url("/empty"), {}, "POST", {}});
  REQUIRE(r);
  std::lock_guard lock(mu);
  REQUIRE(seen.size() == 3);
  CHECK(seen[0] == R"(POST /hook application/json 7 {"a":1})");
  CHECK(seen[1] == seen[0]);
  CHECK(seen[2] == "POST /empty  0 ");
}

TEST_CASE("http: a method other than GET or POST fails without dialling", "[http][post]") {
  asio::io_context ioc;
  net::http_client client(ioc, options());
  auto r = get(ioc, client, {"http://127.0.0.1:1/x", {}, "DELETE", {}});
  REQUIRE(r);
  CHECK_FALSE(r->ok());
  CHECK(std::string(r->phase) == "resolve");
  CHECK(client.connections_opened() == 0);
}
