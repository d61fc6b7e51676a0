#include "net/http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/websocket/error.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include "net/basic_auth.hpp"
#include "net/error.hpp"
#include "net/http_client.hpp"
#include "net/ws_client.hpp"
#include "pki_fixture.hpp"

using namespace depthmon;
namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;
using test::ms;
using test::steady;

namespace {

// ---- the server under test, on its own thread -------------------------------------------------
struct served {
  asio::io_context ioc;
  std::optional<net::http_server> srv;
  std::thread th;
  std::mutex mu;
  std::vector<net::server_error> errors;

  explicit served(net::http_server_options o,
                  const std::function<void(net::http_server&, asio::io_context&)>& routes = {}) {
    srv.emplace(ioc, std::move(o));
    srv->on_error([this](const net::server_error& e) {
      std::lock_guard lock(mu);
      errors.push_back(e);
    });
    if (routes) routes(*srv, ioc);
    std::string msg;
    const auto ec = srv->start(&msg);
    INFO(msg);
    REQUIRE_FALSE(ec);
    th = std::thread([this] {
      auto guard = asio::make_work_guard(ioc);
      ioc.run();
    });
  }
  // Runs f on the server thread and waits for it.
  template <class F>
  auto on_thread(F&& f) {
    std::packaged_task<decltype(f())()> task(std::forward<F>(f));
    auto fut = task.get_future();
    asio::post(ioc, [&task] { task(); });
    return fut.get();
  }
  ~served() {
    on_thread([this] { srv->stop(); });
    ioc.stop();
    th.join();
  }
  std::uint16_t port() const { return srv->port(); }
  std::string url(const std::string& scheme, const std::string& target,
                  const std::string& host = "127.0.0.1") const {
    return scheme + "://" + host + ":" + std::to_string(port()) + target;
  }
  net::http_server_stats stats() const { return srv->stats(); }
  // Polls the (atomic) counters until pred holds.
  bool wait_stats(const std::function<bool(const net::http_server_stats&)>& pred,
                  ms timeout = ms(3000)) const {
    const auto end = steady::now() + timeout;
    while (!pred(stats())) {
      if (steady::now() > end) return false;
      std::this_thread::sleep_for(ms(5));
    }
    return true;
  }
};

net::http_server_options opts() {
  net::http_server_options o;
  o.header_timeout = o.body_timeout = o.write_timeout = ms(3000);
  return o;
}

net::http_server_options tls_opts() {
  auto o = opts();
  o.cert_pem = test::pki().good.cert_pem;
  o.key_pem = test::pki().good.key_pem;
  return o;
}

// ---- clients ----------------------------------------------------------------------------------
struct client_side {
  asio::io_context ioc;
  net::http_client http{ioc, [] {
                          net::http_options o;
                          o.ca_file = test::pki().trusted.ca_file;
                          o.proxy.use_environment = false;
                          o.connect_timeout = o.tls_timeout = o.request_timeout = ms(3000);
                          return o;
                        }()};
  std::optional<net::http_response> get(const std::string& url,
                                        std::vector<std::pair<std::string, std::string>> h = {}) {
    std::optional<net::http_response> out;
    http.get(net::get_request(url, std::move(h)), [&](net::http_response&& r) { out = std::move(r); });
    test::run_until(ioc, [&] { return out.has_value(); }, ms(5000));
    return out;
  }
};

// A blocking POSIX socket: raw bytes in and out, every read bounded by poll().
struct raw {
  int fd = -1;
  explicit raw(std::uint16_t port) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  raw(const raw&) = delete;
  ~raw() {
    if (fd >= 0) ::close(fd);
  }
  bool ok() const { return fd >= 0; }
  bool send(std::string_view s) {
    return ::send(fd, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size());
  }
  // Reads until the peer closes or `timeout` passes; `closed` says which.
  std::string read_all(ms timeout, bool* closed = nullptr) {
    std::string out;
    const auto end = steady::now() + timeout;
    if (closed) *closed = false;
    for (;;) {
      const auto left = std::chrono::duration_cast<ms>(end - steady::now()).count();
      if (left <= 0) return out;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) return out;
      char buf[8192];
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        if (closed) *closed = true;
        return out;
      }
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  // Reads until `needle` has arrived (or close/timeout).
  std::string read_until(std::string_view needle, ms timeout) {
    std::string out;
    const auto end = steady::now() + timeout;
    while (out.find(needle) == std::string::npos) {
      const auto left = std::chrono::duration_cast<ms>(end - steady::now()).count();
      if (left <= 0) break;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left)) <= 0) break;
      char buf[8192];
      const auto n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
};

std::size_t count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (auto p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

using net::reject_reason;

void add_book_routes(net::http_server& s, asio::io_context&) {
  s.handle(net::verb::get, "/api/v1/books", [](const net::server_request&, net::server_response& r) {
    r.content_type = "application/json";
    r.body = R"({"books":[]})";
  });
  s.handle(net::verb::get, "/api/v1/books/",
           [](const net::server_request& rq, net::server_response& r) {
             r.content_type = "application/json";
             r.headers.emplace_back("X-Rest", std::string(rq.path_rest()));
             r.body = "book " + std::string(rq.path_rest()) + " levels=" +
                      std::string(rq.query_value("levels").value_or("-")) +
                      " note=" + std::string(rq.query_value("note").value_or("-"));
           },
           net::path_match::prefix);
  s.handle(net::verb::post, "/echo", [](const net::server_request& rq, net::server_response& r) {
    r.body = "got " + std::to_string(rq.body.size());
  });
}

}  // namespace

// ---- helpers ------------------------------------------------------------------------------------
TEST_CASE("query parsing, percent decoding, base64 and SHA-256 helpers", "[server][unit]") {
  const auto q = net::parse_query("streams=btcusdt@depth@100ms/ethusdt@depth&x=a%20b+c&flag&&k=%zz");
  REQUIRE(q.size() == 4);
  CHECK(q[0] == std::pair<std::string, std::string>{"streams", "btcusdt@depth@100ms/ethusdt@depth"});
  CHECK(q[1].second == "a b c");
  CHECK(q[2] == std::pair<std::string, std::string>{"flag", ""});
  CHECK(q[3].second == "%zz");  // malformed escapes stay as they are
  CHECK(net::percent_decode("BTC%2FUSD") == "BTC/USD");
  CHECK(net::percent_decode("a+b") == "a+b");
  CHECK(net::percent_decode("%4") == "%4");
  CHECK(net::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  for (const std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "prom:s3cr:et"}) {
    CHECK(net::base64_decode(net::base64_encode(s)) == s);
  }
  CHECK(net::base64_encode("foobar") == "Zm9vYmFy");
  CHECK(net::base64_encode("fo") == "Zm8=");
  CHECK_FALSE(net::base64_decode("Zm8"));
  CHECK_FALSE(net::base64_decode("Z=m8"));
  CHECK_FALSE(net::base64_decode("Zm!="));
}

TEST_CASE("parse_listen: host:port, [v6]:port, localhost; malformed refused", "[server][unit]") {
  using p = std::pair<std::string, std::uint16_t>;
  CHECK(net::parse_listen("127.0.0.1:18095") == p{"127.0.0.1", 18095});
  CHECK(net::parse_listen("[::1]:0") == p{"::1", 0});
  CHECK(net::parse_listen("localhost:8080") == p{"127.0.0.1", 8080});
  CHECK(net::parse_listen("0.0.0.0:65535") == p{"0.0.0.0", 65535});
  for (const char* bad : {"", "127.0.0.1", "127.0.0.1:", ":80", "::1:80", "[::1]80", "host.example:80",
                          "127.0.0.1:65536", "127.0.0.1:8o", "[::1:80"}) {
    INFO(bad);
    CHECK_FALSE(net::parse_listen(bad));
  }
}

// ---- routing ----------------------------------------------------------------------------------
TEST_CASE("routing: exact and prefix routes, query parameters, 404, 405 with Allow", "[server][integration]") {
  served s(opts(), add_book_routes);
  client_side c;
  auto r = c.get(s.url("http", "/api/v1/books"));
  REQUIRE(r);
  REQUIRE(r->ok());
  CHECK(r->status == 200);
  CHECK(r->body().text() == R"({"books":[]})");
  CHECK(r->header("Content-Type") == "application/json");

  r = c.get(s.url("http", "/api/v1/books/kraken/BTC%2FUSD?levels=5&note=a%20b+c"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body().text() == "book kraken/BTC%2FUSD levels=5 note=a b c");  // path not decoded
  CHECK(r->header("X-Rest") == "kraken/BTC%2FUSD");

  r = c.get(s.url("http", "/api/v2/nothing"));
  REQUIRE(r);
  CHECK(r->status == 404);
  r = c.get(s.url("http", "/api/v1/book"));  // neither the exact route nor the prefix
  REQUIRE(r);
  CHECK(r->status == 404);

  raw k(s.port());
  REQUIRE(k.ok());
  REQUIRE(k.send("DELETE /api/v1/books HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto resp = k.read_until("\r\n\r\n", ms(2000));
  CHECK(resp.rfind("HTTP/1.1 405", 0) == 0);
  CHECK(resp.find("Allow: GET, HEAD\r\n") != std::string::npos);

  const auto st = s.stats();
  CHECK(st.rejections(reject_reason::not_found) == 2);
  CHECK(st.rejections(reject_reason::method_not_allowed) == 1);
  CHECK(st.requests == 2);
  CHECK(st.responses[2] == 2);
  CHECK(st.responses[4] == 3);
}

TEST_CASE("HEAD: the GET route's headers and length, no body; pipelined GET follows intact", "[server][integration]") {
  served s(opts(), add_book_routes);
  raw k(s.port());
  REQUIRE(k.ok());
  // HEAD then GET on one connection: a body after the HEAD response would corrupt the second.
  REQUIRE(k.send("HEAD /api/v1/books HTTP/1.1\r\nHost: x\r\n\r\n"
                 "GET /api/v1/books HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  bool closed = false;
  const auto all = k.read_all(ms(3000), &closed);
  CHECK(closed);
  const auto first_end = all.find("\r\n\r\n");
  REQUIRE(first_end != std::string::npos);
  const auto head = all.substr(0, first_end + 4);
  CHECK(head.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(head.find("Content-Length: 12\r\n") != std::string::npos);
  CHECK(head.find("Content-Type: application/json") != std::string::npos);
  const auto rest = all.substr(first_end + 4);
  CHECK(rest.rfind("HTTP/1.1 200", 0) == 0);  // the GET's status line right after HEAD's headers
  CHECK(rest.size() >= 12);
  CHECK(rest.substr(rest.size() - 12) == R"({"books":[]})");
  CHECK(count(all, "HTTP/1.1 200") == 2);
}

// ---- limits -----------------------------------------------------------------------------------
TEST_CASE("limits: oversized header -> 431, oversized body -> 413, bad request -> 400", "[server][integration]") {
  served s(opts(), add_book_routes);
  {
    raw k(s.port());
    REQUIRE(k.send("GET /api/v1/books HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') +
                   "\r\n\r\n"));
    bool closed = false;
    const auto r = k.read_all(ms(3000), &closed);
    CHECK(r.rfind("HTTP/1.1 431", 0) == 0);
    CHECK(closed);
  }
  {
    // Just under the limit passes.
    raw k(s.port());
    REQUIRE(k.send("GET /api/v1/books HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(7000, 'a') +
                   "\r\nConnection: close\r\n\r\n"));
    CHECK(k.read_all(ms(3000)).rfind("HTTP/1.1 200", 0) == 0);
  }
  {
    // Refused on Content-Length, before the body: the client is still sending when it arrives.
    raw k(s.port());
    REQUIRE(k.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
                   std::string(20000, 'b')));
    bool closed = false;
    const auto r = k.read_all(ms(3000), &closed);
    CHECK(r.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(closed);
  }
  {
    raw k(s.port());
    REQUIRE(k.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\nConnection: close\r\n\r\n" +
                   std::string(60000, 'b')));
    const auto r = k.read_all(ms(3000));
    CHECK(r.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(r.find("got 60000") != std::string::npos);
  }
  {
    // Expect: 100-continue: the interim answer first, then the body is read.
    raw k(s.port());
    REQUIRE(k.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
                   "Connection: close\r\n\r\n"));
    CHECK(k.read_until("\r\n\r\n", ms(2000)) == "HTTP/1.1 100 Continue\r\n\r\n");
    REQUIRE(k.send("hello"));
    const auto r = k.read_all(ms(3000));
    CHECK(r.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(r.find("got 5") != std::string::npos);
  }
  {
    raw k(s.port());
    REQUIRE(k.send("GARBAGE\r\n\r\n"));
    CHECK(k.read_all(ms(3000)).rfind("HTTP/1.1 400", 0) == 0);
  }
  const auto st = s.stats();
  CHECK(st.rejections(reject_reason::header_too_large) == 1);
  CHECK(st.rejections(reject_reason::body_too_large) == 1);
  CHECK(st.rejections(reject_reason::bad_request) == 1);
}

TEST_CASE("slowloris: a client trickling one header byte per second is cut while others are served", "[server][integration]") {
  auto o = opts();
  o.header_timeout = ms(1500);
  served s(o, add_book_routes);

  std::atomic<bool> cut{false};
  std::atomic<long> cut_after_ms{-1};
  std::thread slow([&] {
    raw k(s.port());
    const std::string req = "GET /api/v1/books HTTP/1.1\r\nHost: x\r\nX-Slow: 1234567890\r\n\r\n";
    const auto t0 = steady::now();
    for (char ch : req) {
      if (!k.send(std::string_view(&ch, 1))) break;
      bool closed = false;
      k.read_all(ms(1000), &closed);  // one byte per second, noticing a close meanwhile
      if (closed) break;
      if (steady::now() - t0 > ms(8000)) break;
    }
    bool closed = false;
    const auto got = k.read_all(ms(100), &closed);
    cut = closed && got.empty();
    cut_after_ms = std::chrono::duration_cast<ms>(steady::now() - t0).count();
  });
  // Meanwhile other clients are served at once.
  client_side c;
  for (int i = 0; i < 5; ++i) {
    const auto t0 = steady::now();
    auto r = c.get(s.url("http", "/api/v1/books"));
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(steady::now() - t0 < ms(500));
    std::this_thread::sleep_for(ms(150));
  }
  slow.join();
  CHECK(cut);
  CHECK(cut_after_ms >= 1400);
  CHECK(cut_after_ms < 3000);
  // Beast closes the socket in its timer before our handler counts: wait for the count.
  CHECK(s.wait_stats([](const auto& st) { return st.rejections(reject_reason::header_timeout) == 1; }));
}

TEST_CASE("timeouts: a silent connection is cut at the header deadline, an idle keep-alive one at the idle timeout", "[server][integration]") {
  auto o = opts();
  o.header_timeout = ms(700);
  o.idle_timeout = ms(400);
  served s(o, add_book_routes);
  {
    raw k(s.port());
    const auto t0 = steady::now();
    bool closed = false;
    k.read_all(ms(3000), &closed);
    CHECK(closed);
    CHECK(steady::now() - t0 >= ms(650));
    CHECK(steady::now() - t0 < ms(2000));
  }
  {
    raw k(s.port());
    REQUIRE(k.send("GET /api/v1/books HTTP/1.1\r\nHost: x\r\n\r\n"));
    CHECK(k.read_until(R"({"books":[]})", ms(2000)).rfind("HTTP/1.1 200", 0) == 0);
    const auto t0 = steady::now();
    bool closed = false;
    k.read_all(ms(3000), &closed);
    CHECK(closed);
    CHECK(steady::now() - t0 >= ms(350));
    CHECK(steady::now() - t0 < ms(650));  // the idle timeout, not the longer header deadline
  }
  CHECK(s.wait_stats([](const auto& st) { return st.connections_open == 0; }));
}

TEST_CASE("connection cap: the connection over the cap gets 503 and is counted; a freed slot serves again", "[server][integration]") {
  auto o = opts();
  o.max_connections = 4;
  served s(o, add_book_routes);
  std::vector<std::unique_ptr<raw>> held;
  for (int i = 0; i < 4; ++i) held.push_back(std::make_unique<raw>(s.port()));
  REQUIRE(s.wait_stats([](const auto& st) { return st.connections_open == 4; }));
  {
    raw extra(s.port());
    REQUIRE(extra.ok());
    bool closed = false;
    const auto r = extra.read_all(ms(2000), &closed);
    CHECK(r.rfind("HTTP/1.1 503", 0) == 0);
    CHECK(r.find("Retry-After: 1") != std::string::npos);
    CHECK(closed);
  }
  CHECK(s.stats().rejections(reject_reason::connection_limit) == 1);
  held.pop_back();
  REQUIRE(s.wait_stats([](const auto& st) { return st.connections_open == 3; }));
  client_side c;
  auto r = c.get(s.url("http", "/api/v1/books"));
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("1000 connections opened in a loop leave the server serving", "[server][integration]") {
  auto o = opts();
  o.max_connections = 64;
  served s(o, add_book_routes);
  // Opened one after another and closed at once, half of them mid-request.
  for (int i = 0; i < 1000; ++i) {
    raw k(s.port());
    REQUIRE(k.ok());
    if (i % 2) k.send("GET /api/v1/bo");
  }
  // Then 1000 held open together: 64 admitted, the rest refused and counted.
  std::vector<std::unique_ptr<raw>> held;
  for (int i = 0; i < 1000; ++i) {
    held.push_back(std::make_unique<raw>(s.port()));
    REQUIRE(held.back()->ok());
  }
  REQUIRE(s.wait_stats([](const auto& st) {
    return st.rejections(reject_reason::connection_limit) >= 936 && st.connections_open == 64;
  }, ms(5000)));
  held.clear();
  REQUIRE(s.wait_stats([](const auto& st) { return st.connections_open == 0; }, ms(5000)));
  client_side c;
  for (int i = 0; i < 3; ++i) {
    auto r = c.get(s.url("http", "/api/v1/books"));
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  CHECK(s.stats().accept_errors == 0);
}

// ---- TLS --------------------------------------------------------------------------------------
TEST_CASE("TLS: the generated CA is trusted by net::http_client; a plain client is refused and counted", "[server][integration][tls]") {
  served s(tls_opts(), add_book_routes);
  CHECK(s.srv->tls());
  client_side c;
  for (const std::string host : {"127.0.0.1", "localhost"}) {
    auto r = c.get(s.url("https", "/api/v1/books/okx/BTC-USDT?levels=3", host));
    REQUIRE(r);
    INFO(r->ec.message() << " " << r->phase);
    REQUIRE(r->ok());
    CHECK(r->status == 200);
    CHECK(r->body().text() == "book okx/BTC-USDT levels=3 note=-");
  }
  auto plain = c.get(s.url("http", "/api/v1/books"));
  REQUIRE(plain);
  CHECK_FALSE(plain->ok());
  CHECK(s.wait_stats([](const auto& st) { return st.rejections(reject_reason::tls_handshake) == 1; }));
  // The funnel is called right after the count, on the server thread.
  CHECK(s.wait_stats([&](const auto&) {
    std::lock_guard l(s.mu);
    return !s.errors.empty();
  }));
  std::lock_guard lock(s.mu);
  REQUIRE(s.errors.size() == 1);
  CHECK(std::string(s.errors[0].phase) == "tls");
}

TEST_CASE("TLS: a server started from certificate files; a missing key file fails start()", "[server][integration][tls]") {
  auto o = opts();
  o.cert_file = test::pki().trusted.cert_file;
  o.key_file = test::pki().trusted.key_file;
  served s(o, add_book_routes);
  client_side c;
  auto r = c.get(s.url("https", "/api/v1/books"));
  REQUIRE(r);
  CHECK(r->status == 200);

  asio::io_context ioc;
  auto bad = opts();
  bad.cert_file = test::pki().trusted.cert_file;
  bad.key_file = "/nonexistent/server.key";
  net::http_server srv(ioc, bad);
  std::string msg;
  CHECK(srv.start(&msg));
  CHECK(msg.find("/nonexistent/server.key") != std::string::npos);
}

// ---- basic auth -------------------------------------------------------------------------------
TEST_CASE("basic auth: sha256 and plain credentials, from a string or a file; refused -> 401", "[server][integration][auth]") {
  const auto dir = std::filesystem::temp_directory_path() / ("depthmon_auth_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = (dir / "ops.pw").string();
  {
    std::FILE* f = std::fopen(file.c_str(), "wb");
    REQUIRE(f);
    std::fputs("plain:opensesame\n", f);
    std::fclose(f);
  }
  net::basic_auth auth;
  std::string err;
  REQUIRE(auth.add_user("prom", "sha256:" + net::sha256_hex("s3cret"), &err));
  REQUIRE(auth.add_user_from_file("ops", file, &err));
  CHECK_FALSE(auth.add_user("x", "$2y$10$abcdefghijklmnopqrstuv", &err));
  CHECK(err.find("bcrypt") != std::string::npos);
  CHECK_FALSE(auth.add_user("y", "sha256:abcd", &err));
  CHECK_FALSE(auth.add_user("z", "hunter2", &err));
  CHECK(err.find("hunter2") == std::string::npos);  // never echoes a secret
  CHECK_FALSE(auth.add_user("prom", "plain:again", &err));
  std::filesystem::remove_all(dir);

  auto o = opts();
  o.auth = auth;
  served s(o, [](net::http_server& srv, asio::io_context&) {
    srv.handle(net::verb::get, "/metrics", [](const net::server_request& rq, net::server_response& r) {
      r.body = "user=" + rq.user;
    });
  });
  client_side c;
  auto basic = [](const std::string& up) { return std::vector<std::pair<std::string, std::string>>{{"Authorization", "Basic " + net::base64_encode(up)}}; };

  auto r = c.get(s.url("http", "/metrics"));
  REQUIRE(r);
  CHECK(r->status == 401);
  CHECK(r->header("WWW-Authenticate") == R"(Basic realm="depthmon", charset="UTF-8")");
  r = c.get(s.url("http", "/nothing-here"));  // no path is revealed without credentials
  REQUIRE(r);
  CHECK(r->status == 401);
  r = c.get(s.url("http", "/metrics"), basic("prom:wrong"));
  REQUIRE(r);
  CHECK(r->status == 401);
  r = c.get(s.url("http", "/metrics"), basic("nobody:s3cret"));
  REQUIRE(r);
  CHECK(r->status == 401);
  r = c.get(s.url("http", "/metrics"), {{"Authorization", "Bearer abc"}});
  REQUIRE(r);
  CHECK(r->status == 401);

  r = c.get(s.url("http", "/metrics"), basic("prom:s3cret"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body().text() == "user=prom");
  r = c.get(s.url("http", "/metrics"), basic("ops:opensesame"));
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->body().text() == "user=ops");
  CHECK(s.stats().rejections(reject_reason::unauthorized) == 5);
}

// ---- handlers ---------------------------------------------------------------------------------
TEST_CASE("handlers: a throwing handler gives 500 through the funnel; a deferred one answers later", "[server][integration]") {
  served s(opts(), [](net::http_server& srv, asio::io_context& ioc) {
    srv.handle(net::verb::get, "/boom", [](const net::server_request&, net::server_response&) {
      throw std::runtime_error("kaboom");
    });
    srv.handle_async(net::verb::get, "/later", [&ioc](const net::server_request& rq, net::http_responder done) {
      auto timer = std::make_shared<asio::steady_timer>(ioc, ms(150));
      auto shared = std::make_shared<net::http_responder>(std::move(done));
      timer->async_wait([timer, shared, q = std::string(rq.query_value("q").value_or(""))](auto) {
        net::server_response r;
        r.body = "later " + q;
        (*shared)(std::move(r));
      });
    });
    srv.handle_async(net::verb::get, "/never", [](const net::server_request&, net::http_responder) {});
  });
  client_side c;
  auto r = c.get(s.url("http", "/boom"));
  REQUIRE(r);
  CHECK(r->status == 500);
  CHECK(s.stats().handler_errors == 1);
  {
    std::lock_guard lock(s.mu);
    REQUIRE(s.errors.size() == 1);
    CHECK(std::string(s.errors[0].phase) == "handler");
    CHECK(s.errors[0].what.find("kaboom") != std::string::npos);
  }
  const auto t0 = steady::now();
  r = c.get(s.url("http", "/later?q=7"));
  REQUIRE(r);
  INFO(r->ec.message() << " in " << r->phase);
  CHECK(r->status == 200);
  CHECK(r->body().text() == "later 7");
  CHECK(steady::now() - t0 >= ms(140));
  r = c.get(s.url("http", "/never"));  // the responder dropped unanswered: 500, not a hang
  REQUIRE(r);
  CHECK(r->status == 500);
}

// ---- websocket --------------------------------------------------------------------------------
namespace {

// What the server's websocket routes saw; written on the server thread, read under mu.
struct ws_log {
  std::mutex mu;
  std::vector<std::string> targets, streams, rests;
  std::vector<net::ws_session_closed> closed;
  std::vector<std::weak_ptr<net::ws_session>> sessions;  // server thread only
  int pings_in = 0;
  bool deflate = false;
  template <class F>
  auto with(F&& f) {
    std::lock_guard lock(mu);
    return f(*this);
  }
};

// Echo, plus commands: "stall", "drop", "close <reason>", "big".
net::ws_handler echo_route(ws_log& log) {
  return [&log](const net::server_request& rq, net::ws_accept& a) {
    if (rq.query_value("reject")) {
      a.accept = false;
      a.reject.status = 429;
      a.reject.body = "slow down\n";
      a.reject.headers.emplace_back("Retry-After", "7");
      return;
    }
    {
      std::lock_guard lock(log.mu);
      log.targets.push_back(rq.target);
      log.streams.emplace_back(rq.query_value("streams").value_or(""));
      log.rests.emplace_back(rq.path_rest());
    }
    a.permessage_deflate = true;
    a.headers.emplace_back("X-Sim", "1");
    a.callbacks.on_message = [](net::ws_session& s, std::string_view p, bool text) {
      if (p == "stall") return s.stall();
      if (p == "drop") return s.drop();
      if (p.substr(0, 6) == "close ") return s.close(4000, std::string(p.substr(6)));
      if (p == "big") return s.send(std::string(2u << 20, 'z'));
      s.send(std::string(p), !text);
    };
    a.callbacks.on_control = [&log](net::control_kind k, std::string_view) {
      std::lock_guard lock(log.mu);
      if (k == net::control_kind::ping) ++log.pings_in;
    };
    a.callbacks.on_closed = [&log](const net::ws_session_closed& c) {
      std::lock_guard lock(log.mu);
      log.closed.push_back(c);
    };
    a.on_open = [&log](std::shared_ptr<net::ws_session> s) {
      s->send("hello " + std::string(s->request().query_value("streams").value_or("")));
      std::lock_guard lock(log.mu);
      log.deflate = s->deflate_negotiated();
      log.sessions.push_back(std::move(s));
    };
  };
}

void add_ws_routes(net::http_server& srv, ws_log& log) {
  srv.handle_ws("/stream", echo_route(log));
  srv.handle_ws("/ws/", echo_route(log), net::path_match::prefix);
  srv.handle(net::verb::get, "/metrics", [](const net::server_request&, net::server_response& r) {
    r.body = "up 1\n";
  });
}

struct ws_client {
  asio::io_context ioc;
  std::shared_ptr<net::ws_connection> conn;
  bool opened = false;
  std::vector<std::string> messages;
  std::optional<net::ws_closed> closed;
  steady::time_point opened_at;

  void start(net::ws_options o) {
    o.ca_file = test::pki().trusted.ca_file;
    o.proxy.use_environment = false;
    o.connect_timeout = o.tls_timeout = o.handshake_timeout = ms(3000);
    net::ws_callbacks cb;
    cb.on_open = [this] {
      opened = true;
      opened_at = steady::now();
    };
    cb.on_message = [this](core::padded_view f, bool, net::rx_time) { messages.emplace_back(f.text()); };
    cb.on_closed = [this](const net::ws_closed& c) { closed = c; };
    conn = net::ws_connection::create(ioc, std::move(o), std::move(cb));
    conn->start();
  }
  void start(const std::string& url) {
    net::ws_options o;
    o.url = url;
    start(std::move(o));
  }
  bool wait(const std::function<bool()>& pred, ms timeout = ms(5000)) {
    return test::run_until(ioc, pred, timeout);
  }
};

}  // namespace

TEST_CASE("websocket: upgrade with the query string, echo, server close with code and reason", "[server][integration][ws]") {
  ws_log log;
  served s(opts(), [&](net::http_server& srv, asio::io_context&) { add_ws_routes(srv, log); });
  ws_client c;
  net::ws_options o;
  o.url = s.url("ws", "/stream?streams=btcusdt@depth@100ms/ethusdt@depth");
  o.permessage_deflate = true;
  c.start(o);
  REQUIRE(c.wait([&] { return c.messages.size() == 1 || c.closed; }));
  REQUIRE(c.opened);
  CHECK(c.messages[0] == "hello btcusdt@depth@100ms/ethusdt@depth");
  CHECK(c.conn->deflate_negotiated());
  CHECK(log.with([](auto& l) { return l.deflate; }));
  CHECK(log.with([](auto& l) { return l.targets.at(0); }) == "/stream?streams=btcusdt@depth@100ms/ethusdt@depth");
  const std::string compressible(100'000, 'q');
  c.conn->send("ping-1");
  c.conn->send(compressible);
  REQUIRE(c.wait([&] { return c.messages.size() == 3 || c.closed; }));
  CHECK(c.messages[1] == "ping-1");
  CHECK(c.messages[2] == compressible);
  CHECK(s.stats().ws_sessions_open == 1);
  CHECK(s.stats().ws_upgrades == 1);

  c.conn->send("close planned maintenance");
  REQUIRE(c.wait([&] { return c.closed.has_value(); }));
  CHECK(c.closed->ec == websocket::error::closed);
  CHECK(std::string(c.closed->phase) == "read");
  CHECK(c.closed->close_code == 4000);
  CHECK(c.closed->close_reason == "planned maintenance");
  REQUIRE(s.wait_stats([](const auto& st) { return st.ws_sessions_open == 0 && st.connections_open == 0; }));
  const auto closed = log.with([](auto& l) { return l.closed; });
  REQUIRE(closed.size() == 1);
  CHECK_FALSE(closed[0].ec);
  CHECK(std::string(closed[0].phase) == "close");
}

TEST_CASE("websocket: prefix route, client close seen by the server, upgrade refused with 429", "[server][integration][ws]") {
  ws_log log;
  served s(opts(), [&](net::http_server& srv, asio::io_context&) { add_ws_routes(srv, log); });
  {
    ws_client c;
    c.start(s.url("ws", "/ws/btcusdt@depth@100ms"));
    REQUIRE(c.wait([&] { return c.messages.size() == 1 || c.closed; }));
    CHECK(log.with([](auto& l) { return l.rests.at(0); }) == "btcusdt@depth@100ms");
    CHECK(c.conn->deflate_negotiated() == false);  // not offered
    c.conn->close(1000, "bye");
    REQUIRE(c.wait([&] { return c.closed.has_value(); }));
    CHECK_FALSE(c.closed->ec);
    REQUIRE(log.with([](auto& l) { return l.closed.size(); }) == 1);
    const auto sc = log.with([](auto& l) { return l.closed[0]; });
    CHECK(sc.ec == websocket::error::closed);
    CHECK(std::string(sc.phase) == "read");
    CHECK(sc.close_code == 1000);
    CHECK(sc.close_reason == "bye");
  }
  {
    ws_client c;
    c.start(s.url("ws", "/stream?reject=1"));
    REQUIRE(c.wait([&] { return c.closed.has_value(); }));
    CHECK_FALSE(c.opened);
    CHECK(c.closed->http_status == 429);
    CHECK(std::string(c.closed->phase) == "ws_handshake");
  }
  {
    ws_client c;  // an upgrade to a plain HTTP route is answered as a plain GET
    c.start(s.url("ws", "/metrics"));
    REQUIRE(c.wait([&] { return c.closed.has_value(); }));
    CHECK(c.closed->http_status == 200);
  }
  client_side h;
  auto r = h.get(s.url("http", "/stream"));
  REQUIRE(r);
  CHECK(r->status == 426);
  CHECK(r->header("Upgrade") == "websocket");
  CHECK(s.stats().rejections(reject_reason::upgrade_required) == 1);
}

TEST_CASE("wss: TLS websocket with the generated CA; a 2 MB frame from the server", "[server][integration][ws][tls]") {
  ws_log log;
  served s(tls_opts(), [&](net::http_server& srv, asio::io_context&) { add_ws_routes(srv, log); });
  ws_client c;
  c.start(s.url("wss", "/stream?streams=BTC-USD", "localhost"));
  REQUIRE(c.wait([&] { return c.messages.size() == 1 || c.closed; }));
  REQUIRE(c.opened);
  CHECK(c.messages[0] == "hello BTC-USD");
  c.conn->send("big");
  REQUIRE(c.wait([&] { return c.messages.size() == 2 || c.closed; }));
  REQUIRE(c.messages.size() == 2);
  CHECK(c.messages[1] == std::string(2u << 20, 'z'));
  c.conn->send("close bye");
  REQUIRE(c.wait([&] { return c.closed.has_value(); }));
  CHECK(c.closed->close_code == 4000);
  CHECK(c.closed->close_reason == "bye");
}

TEST_CASE("websocket stall: nothing reaches the client, not even pongs, so its idle timeout fires", "[server][integration][ws]") {
  ws_log log;
  served s(opts(), [&](net::http_server& srv, asio::io_context&) { add_ws_routes(srv, log); });
  auto client_opts = [&] {
    net::ws_options o;
    o.url = s.url("ws", "/stream?streams=x");
    o.ping_interval = ms(150);
    o.idle_timeout = ms(700);
    return o;
  };
  {
    // Control: the same client on a healthy session outlives its idle timeout on pongs alone.
    ws_client c;
    c.start(client_opts());
    REQUIRE(c.wait([&] { return c.messages.size() == 1 || c.closed; }));
    CHECK_FALSE(c.wait([&] { return c.closed.has_value(); }, ms(1200)));
    CHECK(c.conn->stats().pongs_in >= 4);
    c.conn->abort();
  }
  ws_client c;
  c.start(client_opts());
  REQUIRE(c.wait([&] { return c.messages.size() == 1 || c.closed; }));
  c.conn->send("stall");
  const auto t0 = steady::now();
  const auto pongs_before = c.conn->stats().pongs_in;
  c.conn->send("echo me");  // read by the server, its echo swallowed
  REQUIRE(c.wait([&] { return c.closed.has_value(); }, ms(3000)));
  const auto after = steady::now() - t0;
  CHECK(std::string(c.closed->phase) == "idle_timeout");
  CHECK(c.closed->ec == net::error::idle_timeout);
  CHECK(after >= ms(450));
  CHECK(after < ms(1500));
  CHECK(c.messages.size() == 1);
  CHECK(c.conn->stats().pongs_in <= pongs_before + 1);  // one may have been in flight
  CHECK(log.with([](auto& l) { return l.pings_in; }) >= 3);  // the server kept reading
}

TEST_CASE("websocket drop: the TCP connection is reset, no close frame", "[server][integration][ws]") {
  ws_log log;
  served s(opts(), [&](net::http_server& srv, asio::io_context&) { add_ws_routes(srv, log); });
  ws_client c;
  c.start(s.url("ws", "/stream"));
  REQUIRE(c.wait([&] { return c.messages.size() == 1 || c.closed; }));
  c.conn->send("drop");
  REQUIRE(c.wait([&] { return c.closed.has_value(); }, ms(3000)));
  CHECK(std::string(c.closed->phase) == "read");
  CHECK(c.closed->ec == asio::error::connection_reset);
  CHECK(c.closed->close_code == 0);
  REQUIRE(s.wait_stats([](const auto& st) { return st.ws_sessions_open == 0 && st.connections_open == 0; }));
  const auto closed = log.with([](auto& l) { return l.closed; });
  REQUIRE(closed.size() == 1);
  CHECK(std::string(closed[0].phase) == "drop");
}

TEST_CASE("stop(): open websocket sessions and keep-alive connections end; sessions report stop", "[server][integration][ws]") {
  ws_log log;
  served s(opts(), [&](net::http_server& srv, asio::io_context&) { add_ws_routes(srv, log); });
  ws_client c;
  c.start(s.url("ws", "/stream"));
  REQUIRE(c.wait([&] { return c.messages.size() == 1 || c.closed; }));
  raw k(s.port());
  REQUIRE(k.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"));
  CHECK(k.read_until("up 1\n", ms(2000)).rfind("HTTP/1.1 200", 0) == 0);
  s.on_thread([&] { s.srv->stop(); });
  REQUIRE(c.wait([&] { return c.closed.has_value(); }, ms(3000)));
  bool closed = false;
  k.read_all(ms(2000), &closed);
  CHECK(closed);
  REQUIRE(s.wait_stats([](const auto& st) { return st.connections_open == 0; }));
  REQUIRE(log.with([](auto& l) { return l.closed.size(); }) == 1);
  CHECK(std::string(log.with([](auto& l) { return l.closed[0].phase; })) == "stop");
  raw late(s.port());
  CHECK_FALSE(late.ok());  // the listener is closed
}
