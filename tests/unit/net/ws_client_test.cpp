#include "net/ws_client.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/websocket/error.hpp>

#include <catch2/catch.hpp>

#include <optional>

#include "net/error.hpp"
#include "pki_fixture.hpp"

using namespace depthmon;
using namespace depthmon::test;
namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;

namespace {

// A client plus everything its callbacks saw.
struct client {
  asio::io_context ioc;
  std::shared_ptr<net::ws_connection> conn;
  bool opened = false;
  std::vector<std::string> messages;
  std::vector<bool> texts;
  bool padding_ok = true;
  std::vector<std::pair<net::control_kind, std::string>> controls;
  std::optional<net::ws_closed> closed;
  int closed_calls = 0;
  steady::time_point started;

  void start(net::ws_options o) {
    net::ws_callbacks cb;
    cb.on_open = [this] { opened = true; };
    cb.on_message = [this](core::padded_view f, bool text, net::rx_time t) {
      for (std::size_t i = 0; i < core::frame_padding; ++i) padding_ok = padding_ok && f.data()[f.size() + i] == 0;
      padding_ok = padding_ok && t.wall > 0 && t.steady <= steady::now();
      messages.emplace_back(f.text());
      texts.push_back(text);
    };
    cb.on_control = [this](net::control_kind k, std::string_view p) { controls.emplace_back(k, std::string(p)); };
    cb.on_closed = [this](const net::ws_closed& c) {
      closed = c;
      ++closed_calls;
    };
    started = steady::now();
    conn = net::ws_connection::create(ioc, std::move(o), std::move(cb));
    conn->start();
  }
  bool wait(const std::function<bool()>& pred, ms timeout = ms(5000)) { return run_until(ioc, pred, timeout); }
  ms elapsed() const { return std::chrono::duration_cast<ms>(steady::now() - started); }
};

net::ws_options wss_options(const std::string& url) {
  net::ws_options o;
  o.url = url;
  o.ca_file = pki().trusted.ca_file;
  o.connect_timeout = o.tls_timeout = o.handshake_timeout = ms(3000);
  o.proxy.use_environment = false;
  return o;
}

int ssl_reason(const boost::system::error_code& ec) {
  return ec.category() == asio::error::get_ssl_category() ? ERR_GET_REASON(static_cast<unsigned long>(ec.value())) : -1;
}

}  // namespace

TEST_CASE("wss: connect with the generated CA trusted, echo, clean close", "[ws][tls]") {
  ws_server srv({.tls = pki().good});
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    INFO(host);
    client c;
    c.start(wss_options(srv.url(host, "/stream?streams=btcusdt@depth/ethusdt@depth")));
    c.conn->send("queued before open");
    REQUIRE(c.wait([&] { return c.opened || c.closed; }));
    REQUIRE(c.opened);
    c.conn->send("hello");
    REQUIRE(c.wait([&] { return c.messages.size() == 2; }));
    CHECK(c.messages[0] == "queued before open");
    CHECK(c.messages[1] == "hello");
    CHECK(c.texts[1]);
    CHECK(c.padding_ok);
    CHECK(srv.inspect([](const ws_server_log& l) { return l.target; }) ==
          "/stream?streams=btcusdt@depth/ethusdt@depth");
    c.conn->close(1000, "bye");
    REQUIRE(c.wait([&] { return c.closed.has_value(); }));
    CHECK_FALSE(c.closed->ec);
    CHECK(std::string(c.closed->phase) == "close");
    CHECK(c.closed->close_code == 1000);
    CHECK(c.closed_calls == 1);
    CHECK(c.conn->stats().messages_out == 2);
    CHECK(srv.inspect([](const ws_server_log& l) { return l.got_close && l.close_code == 1000 && l.close_reason == "bye"; }));
  }
}

TEST_CASE("wss: a certificate from an untrusted CA is refused", "[ws][tls]") {
  ws_server srv({.tls = pki().untrusted});
  client c;
  c.start(wss_options(srv.url()));
  REQUIRE(c.wait([&] { return c.closed.has_value(); }));
  CHECK_FALSE(c.opened);
  CHECK(std::string(c.closed->phase) == "tls");
  CHECK(ssl_reason(c.closed->ec) == SSL_R_CERTIFICATE_VERIFY_FAILED);
  CHECK(c.closed_calls == 1);
}

TEST_CASE("wss: a trusted certificate for another host name is refused", "[ws][tls]") {
  ws_server srv({.tls = pki().wrong_name});
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    INFO(host);
    client c;
    c.start(wss_options(srv.url(host)));
    REQUIRE(c.wait([&] { return c.closed.has_value(); }));
    CHECK_FALSE(c.opened);
    CHECK(std::string(c.closed->phase) == "tls");
    CHECK(ssl_reason(c.closed->ec) == SSL_R_CERTIFICATE_VERIFY_FAILED);
  }
}

TEST_CASE("wss: without the CA file the system store alone does not trust the simulator", "[ws][tls]") {
  ws_server srv({.tls = pki().good});
  client c;
  auto o = wss_options(srv.url());
  o.ca_file.clear();
  c.start(o);
  REQUIRE(c.wait([&] { return c.closed.has_value(); }));
  CHECK(std::string(c.closed->phase) == "tls");
  CHECK(ssl_reason(c.closed->ec) == SSL_R_CERTIFICATE_VERIFY_FAILED);
}

TEST_CASE("ws: 8 MB frames arrive intact with zeroed padding, both directions", "[ws][large]") {
  std::string big(8u << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + (i * 7919) % 26);
  ws_server srv({.tls = pki().good, .send_on_open = {big}});
  client c;
  c.start(wss_options(srv.url()));
  REQUIRE(c.wait([&] { return c.messages.size() == 1 || c.closed; }));
  REQUIRE(c.messages.size() == 1);
  CHECK(c.messages[0].size() == big.size());
  CHECK(c.messages[0] == big);
  big[12345] = '#';  // a different payload back through the echo
  c.conn->send(big);
  REQUIRE(c.wait([&] { return c.messages.size() == 2 || c.closed; }));
  REQUIRE(c.messages.size() == 2);
  CHECK(c.messages[1] == big);
  CHECK(c.padding_ok);
  CHECK(c.conn->stats().bytes_in == 2 * big.size());
}

TEST_CASE("ws: a message above max_message_size fails the read", "[ws][large]") {
  ws_server srv({.send_on_open = {std::string(2u << 20, 'x')}});
  client c;
  auto o = wss_options(srv.url());
  o.max_message_size = 1u << 20;
  c.start(o);
  REQUIRE(c.wait([&] { return c.closed.has_value(); }));
  CHECK(c.messages.empty());
  CHECK(std::string(c.closed->phase) == "read");
  CHECK(c.closed->ec == websocket::error::message_too_big);
}

TEST_CASE("ws: server pings answered and reported; our pings and keep-alive on their interval", "[ws][keepalive]") {
  ws_server srv({.tls = pki().good, .echo = false, .ping_on_open = "hb-1"});
  client c;
  auto o = wss_options(srv.url());
  o.ping_interval = ms(150);
  o.keepalive_payload = R"({"op":"ping"})";
  o.keepalive_interval = ms(150);
  c.start(o);
  REQUIRE(c.wait([&] { return c.opened; }));
  const auto opened_at = steady::now();
  REQUIRE(c.wait([&] {
    return srv.inspect([](const ws_server_log& l) { return l.texts.size() >= 4 && l.pings.size() >= 4 && !l.pongs.empty(); });
  }));
  const auto log = srv.inspect([](const ws_server_log& l) { return l; });
  CHECK(log.pongs.front() == "hb-1");  // Beast answered with the ping's payload
  REQUIRE_FALSE(c.controls.empty());
  CHECK(c.controls.front().first == net::control_kind::ping);
  CHECK(c.controls.front().second == "hb-1");
  CHECK(c.conn->stats().pings_in == 1);
  for (const auto& t : log.texts) CHECK(t == R"({"op":"ping"})");
  // First keep-alive one interval after open, then one per interval (scheduling slack allowed).
  CHECK(log.text_times[0] - opened_at >= ms(140));
  for (std::size_t i = 1; i < log.text_times.size(); ++i) {
    const auto gap = std::chrono::duration_cast<ms>(log.text_times[i] - log.text_times[i - 1]);
    CHECK(gap >= ms(100));
    CHECK(gap <= ms(600));
  }
  CHECK(c.conn->stats().keepalives_out >= 4);
  CHECK(c.conn->stats().pings_out >= 4);
  CHECK_FALSE(c.closed);
}

TEST_CASE("ws: receive-idle keep-alive waits for silence, fixed keep-alive does not", "[ws][keepalive]") {
  // The server echoes every keep-alive at once, so the connection is never silent for long:
  // an idle-mode keep-alive every 200 ms still fires (the echo arrives right after it), but
  // frames the server pushes in between postpone it.
  std::vector<std::string> chatter(1, "x");
  ws_server srv({.send_on_open = chatter});
  client c;
  auto o = wss_options(srv.url());
  o.keepalive_payload = "ping";
  o.keepalive_interval = ms(200);
  o.keepalive_when_receive_idle = true;
  c.start(o);
  REQUIRE(c.wait([&] { return c.opened; }));
  // Keep the connection busy: one frame every 50 ms for 600 ms (echoed back by the server).
  const auto until = steady::now() + ms(600);
  auto next = steady::now();
  c.wait([&] {
    if (steady::now() >= next) {
      c.conn->send("data");
      next += ms(50);
    }
    return steady::now() >= until;
  }, ms(2000));
  CHECK(c.conn->stats().keepalives_out == 0);
  // Then silence: keep-alives resume, one per interval.
  REQUIRE(c.wait([&] { return c.conn->stats().keepalives_out >= 2; }, ms(2000)));
}

TEST_CASE("ws: read-idle timeout fires on a half-open (silent) server", "[ws][timeout]") {
  ws_server srv({.tls = pki().good, .stall_at = stall::after_handshake});
  client c;
  auto o = wss_options(srv.url());
  o.idle_timeout = ms(300);
  c.start(o);
  REQUIRE(c.wait([&] { return c.closed.has_value(); }));
  CHECK(c.opened);
  CHECK(c.closed->was_open);
  CHECK(std::string(c.closed->phase) == "idle_timeout");
  CHECK(c.closed->ec == net::error::idle_timeout);
  CHECK(c.elapsed() >= ms(300));
  CHECK(c.elapsed() < ms(3000));
  CHECK(c.closed_calls == 1);
}

TEST_CASE("ws: per-phase timeouts name their phase", "[ws][timeout]") {
  SECTION("TLS handshake never answered") {
    ws_server srv({.tls = pki().good, .stall_at = stall::after_tcp});
    client c;
    auto o = wss_options(srv.url());
    o.tls_timeout = ms(300);
    c.start(o);
    REQUIRE(c.wait([&] { return c.closed.has_value(); }));
    CHECK(std::string(c.closed->phase) == "tls");
    CHECK(c.closed->ec == boost::beast::error::timeout);
    CHECK(c.elapsed() < ms(3000));
  }
  SECTION("upgrade never answered") {
    ws_server srv({.tls = pki().good, .stall_at = stall::after_tls});
    client c;
    auto o = wss_options(srv.url());
    o.handshake_timeout = ms(300);
    c.start(o);
    REQUIRE(c.wait([&] { return c.closed.has_value(); }));
    CHECK(std::string(c.closed->phase) == "ws_handshake");
    CHECK(c.closed->ec == boost::beast::error::timeout);
    CHECK(c.elapsed() < ms(3000));
  }
}

TEST_CASE("ws: connect timeout on an unreachable port, refusal on a closed one", "[ws][timeout]") {
  {
    blackhole_port hole;
    client c;
    auto o = wss_options("wss://127.0.0.1:" + std::to_string(hole.port()) + "/ws");
    o.connect_timeout = ms(300);
    c.start(o);
    REQUIRE(c.wait([&] { return c.closed.has_value(); }));
    CHECK(std::string(c.closed->phase) == "connect");
    CHECK(c.closed->ec == boost::beast::error::timeout);
    CHECK(c.elapsed() >= ms(250));
    CHECK(c.elapsed() < ms(3000));
  }
  {
    client c;
    c.start(wss_options("ws://127.0.0.1:" + std::to_string(unused_port()) + "/ws"));
    REQUIRE(c.wait([&] { return c.closed.has_value(); }));
    CHECK(std::string(c.closed->phase) == "connect");
    CHECK(c.closed->ec == asio::error::connection_refused);
  }
}

TEST_CASE("ws: permessage-deflate negotiated when asked, payload round-trips", "[ws][deflate]") {
  ws_server srv({.tls = pki().good, .deflate = true});
  std::string doc;
  for (int i = 0; i < 20000; ++i) doc += R"({"p":")" + std::to_string(30000 + i % 97) + R"(.5","q":"1.25"},)";
  {
    client c;
    auto o = wss_options(srv.url());
    o.permessage_deflate = true;
    c.start(o);
    REQUIRE(c.wait([&] { return c.opened || c.closed; }));
    REQUIRE(c.opened);
    CHECK(c.conn->deflate_negotiated());
    CHECK(srv.inspect([](const ws_server_log& l) { return l.extensions; }).find("permessage-deflate") != std::string::npos);
    c.conn->send(doc);
    REQUIRE(c.wait([&] { return !c.messages.empty() || c.closed; }));
    REQUIRE(c.messages.size() == 1);
    CHECK(c.messages[0] == doc);
    CHECK(c.padding_ok);
  }
  {
    client c;  // not asked: not offered, not used
    c.start(wss_options(srv.url()));
    REQUIRE(c.wait([&] { return c.opened || c.closed; }));
    CHECK_FALSE(c.conn->deflate_negotiated());
    CHECK(srv.inspect([](const ws_server_log& l) { return l.extensions; }).empty());
  }
}

TEST_CASE("ws: the server's close code and reason are reported", "[ws][close]") {
  ws_server srv({.tls = pki().good, .send_on_open = {"last words"}, .close_on_open = std::pair<std::uint16_t, std::string>{4001, "maintenance"}});
  client c;
  c.start(wss_options(srv.url()));
  REQUIRE(c.wait([&] { return c.closed.has_value(); }));
  CHECK(c.messages == std::vector<std::string>{"last words"});
  CHECK(c.closed->ec == websocket::error::closed);
  CHECK(std::string(c.closed->phase) == "read");
  CHECK(c.closed->close_code == 4001);
  CHECK(c.closed->close_reason == "maintenance");
  CHECK(c.closed_calls == 1);
}

TEST_CASE("ws: through an HTTP CONNECT proxy, and a refusing proxy", "[ws][proxy]") {
  ws_server srv({.tls = pki().good});
  {
    connect_proxy proxy({});
    client c;
    auto o = wss_options(srv.url());
    o.proxy.url = "http://user:pass@127.0.0.1:" + std::to_string(proxy.port());
    c.start(o);
    REQUIRE(c.wait([&] { return c.opened || c.closed; }));
    REQUIRE(c.opened);
    c.conn->send("via proxy");
    REQUIRE(c.wait([&] { return !c.messages.empty(); }));
    CHECK(c.messages[0] == "via proxy");
    const auto log = proxy.inspect([](const proxy_log& l) { return l; });
    REQUIRE(log.targets.size() == 1);
    CHECK(log.targets[0] == "127.0.0.1:" + std::to_string(srv.port()));
    CHECK(log.auth[0] == "Basic dXNlcjpwYXNz");
  }
  {
    connect_proxy proxy({.refuse = true});
    client c;
    auto o = wss_options(srv.url());
    o.proxy.url = proxy.url();
    c.start(o);
    REQUIRE(c.wait([&] { return c.closed.has_value(); }));
    CHECK(std::string(c.closed->phase) == "proxy");
    CHECK(c.closed->ec == net::error::proxy_refused);
  }
}

TEST_CASE("ws: an upgrade answered with 429 reports the status", "[ws][handshake]") {
  http_server srv({.handler = [](const http_req&) {
    http_res r{boost::beast::http::status::too_many_requests, 11};
    r.set("Retry-After", "30");
    r.body() = "slow down";
    return r;
  }});
  client c;
  c.start(wss_options("ws://127.0.0.1:" + std::to_string(srv.port()) + "/ws"));
  REQUIRE(c.wait([&] { return c.closed.has_value(); }));
  CHECK(std::string(c.closed->phase) == "ws_handshake");
  CHECK(c.closed->http_status == 429);
  CHECK_FALSE(c.closed->was_open);
}

TEST_CASE("ws: bad URL and abort", "[ws]") {
  {
    client c;
    c.start(wss_options("https://127.0.0.1/ws"));
    REQUIRE(c.wait([&] { return c.closed.has_value(); }));
    CHECK(c.closed->ec == net::error::bad_url);
  }
  {
    ws_server srv({.tls = pki().good, .ping_on_open = "x"});
    client c;
    c.start(wss_options(srv.url()));
    REQUIRE(c.wait([&] { return c.opened; }));
    c.conn->abort();
    c.wait([] { return false; }, ms(200));
    CHECK_FALSE(c.closed);
    CHECK(c.conn->state() == net::ws_state::closed);
  }
}
