// HTTP abuse against a running depthmond (oversized headers, a slowloris client, bad paths,
// wrong methods, HEAD, a thousand connections at once): each is answered or cut as
// net::http_server promises, and afterwards the daemon still serves and its feeds are live.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include "daemon_harness.hpp"
#include "support/json.hpp"

using namespace depthmon;
using namespace depthmon::test;

namespace {

int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Sends `req` raw and reads until the server closes or `timeout`; the bytes received.
std::string raw(std::uint16_t port, const std::string& req, std::chrono::milliseconds timeout = 5s) {
  const int fd = connect_to(port);
  if (fd < 0) return {};
  (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string out;
  const auto end = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[8192];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace

TEST_CASE("HTTP abuse leaves depthmond serving with its feeds live", "[daemon][integration]") {
  sim_process sim;
  const std::string dir = scratch("abuse");
  const auto port = unused_port();
  write_file(dir + "/c.toml", config_text(sim, port, dir + "/state", {{"binance", {"BTCUSDT"}}, {"okx", {"BTC-USDT"}}}));
  daemon_process d(dir + "/c.toml", port);
  INFO(d.proc.stderr_text());
  REQUIRE(d.wait_ready(20s));

  // Oversized headers: 431.
  const std::string big = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(20000, 'a') + "\r\n\r\n";
  CHECK(raw(port, big).rfind("HTTP/1.1 431", 0) == 0);
  // Bad paths: 404; a wrong method: 405 with Allow; HEAD: headers only.
  CHECK(raw(port, "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 404", 0) == 0);
  CHECK(raw(port, "GET /api/v1/books/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .rfind("HTTP/1.1 404", 0) == 0);
  const auto post = raw(port, "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  CHECK(post.rfind("HTTP/1.1 405", 0) == 0);
  CHECK(post.find("Allow: GET") != std::string::npos);
  const auto head = raw(port, "HEAD /api/v1/books HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(head.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(head.find("Content-Length: ") != std::string::npos);
  CHECK(head.substr(head.find("\r\n\r\n") + 4).empty());

  // Slowloris: a header trickled byte by byte is cut at the request timeout (2 s in the config).
  {
    const int fd = connect_to(port);
    REQUIRE(fd >= 0);
    const auto t0 = std::chrono::steady_clock::now();
    const std::string part = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    (void)::send(fd, part.data(), part.size(), MSG_NOSIGNAL);
    bool closed = false;
    while (std::chrono::steady_clock::now() - t0 < 8s && !closed) {
      (void)::send(fd, "a", 1, MSG_NOSIGNAL);
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 300) > 0) {
        char buf[256];
        closed = ::recv(fd, buf, sizeof buf, 0) <= 0;
      }
    }
    CHECK(closed);
    CHECK(std::chrono::steady_clock::now() - t0 < 5s);
    ::close(fd);
  }

  // A thousand connections at once: the server holds or refuses them and stays up.
  {
    std::vector<int> fds;
    for (int i = 0; i < 1000; ++i)
      if (int fd = connect_to(port); fd >= 0) fds.push_back(fd);
    CHECK(fds.size() >= 900);
    const std::string req = "GET /-/healthy HTTP/1.1\r\nHost: x\r\n\r\n";
    for (int fd : fds) (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
    for (int fd : fds) ::close(fd);
  }

  // Still serving, feeds unharmed.
  CHECK(eventually([&] { return d.get("/-/healthy").status == 200; }, 5s));
  CHECK(d.book_status("binance", "BTCUSDT") == "live");
  CHECK(d.book_status("okx", "BTC-USDT") == "live");
  CHECK(d.get("/metrics").body.find("depthmon_book_live") != std::string::npos);
  d.proc.signal(SIGTERM);
  CHECK(d.proc.wait(5s) == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("depthmond --demo: books live and depth below the October baseline", "[daemon][integration][demo]") {
  const std::string dir = scratch("demo");
  const auto port = unused_port();
  // DEPTHMON_DEMO_LISTEN: the demo's listen address for tests (default 127.0.0.1:18095).
  ::setenv("DEPTHMON_DEMO_LISTEN", ("127.0.0.1:" + std::to_string(port)).c_str(), 1);
  child_process demo({DEPTHMOND_BIN, "--demo", "--state-dir", dir});
  ::unsetenv("DEPTHMON_DEMO_LISTEN");
  const auto get = [&](const std::string& p) { return http_call("GET", "http://127.0.0.1:" + std::to_string(port) + p); };
  INFO(demo.stderr_text());
  REQUIRE(eventually([&] { return get("/api/v1/books/binance/BTCUSDT").body.find("\"status\":\"live\"") != std::string::npos; }, 30s));
  CHECK(std::filesystem::exists(dir + "/baseline.csv"));
  CHECK(get("/api/v1/baseline").body.find("BTCUSDT") != std::string::npos);
  // Right after start the books sit at their baseline (the simulator's starting depth)...
  auto headline_ratio = [&](const std::string& path) -> std::optional<double> {
    const auto r = get(path);
    if (r.status != 200) return std::nullopt;
    simdjson::dom::parser p;
    auto h = parse_json(p, r.body)["headline"];
    double bid = 0, ask = 0;
    if (h["bid_ratio"].get(bid) || h["ask_ratio"].get(ask)) return std::nullopt;
    return (bid + ask) / 2;
  };
  std::optional<double> start_ratio;
  REQUIRE(eventually([&] { return (start_ratio = headline_ratio("/api/v1/books/binance/BTCUSDT")).has_value(); }, 10s));
  CHECK(*start_ratio > 0.9);
  // ...and the thinning scenario takes them well below it within two minutes (a major loses
  // 35 % over 120 s), which the log says.
  CHECK(eventually([&] {
    const auto r = headline_ratio("/api/v1/books/binance/BTCUSDT");
    return r && *r < 0.85;
  }, 100s));
  CHECK(eventually([&] {
    const std::string log = demo.stderr_text();
    return log.find("BTCUSDT: ±2 % bid depth below baseline") != std::string::npos ||
           log.find("BTCUSDT: ±2 % ask depth below baseline") != std::string::npos;
  }, 10s));
  CHECK(demo.stderr_text().find("BTCUSDT: book live") != std::string::npos);
  const auto m = get("/metrics").body;
  CHECK(m.find("depthmon_depth_baseline_ratio{") != std::string::npos);
  demo.signal(SIGTERM);
  CHECK(demo.wait(5s) == 0);
  std::filesystem::remove_all(dir);
}
