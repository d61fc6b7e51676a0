#include "net/url.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "net/proxy.hpp"

using namespace depthmon::net;

TEST_CASE("parse_url reads what a client dials", "[url]") {
  auto u = parse_url("wss://stream.binance.com:9443/stream?streams=btcusdt@depth/ethusdt@depth");
  REQUIRE(u);
  CHECK(u->scheme == "wss");
  CHECK(u->tls);
  CHECK(u->host == "stream.binance.com");
  CHECK(u->port == 9443);
  CHECK_FALSE(u->default_port);
  CHECK(u->target == "/stream?streams=btcusdt@depth/ethusdt@depth");
  CHECK(u->host_header() == "stream.binance.com:9443");

  u = parse_url("WSS://ws.kraken.com/v2");
  REQUIRE(u);
  CHECK(u->port == 443);
  CHECK(u->host_header() == "ws.kraken.com");
  CHECK(u->authority() == "ws.kraken.com:443");

  u = parse_url("http://user:secret@[::1]:3128");
  REQUIRE(u);
  CHECK(u->host == "::1");
  CHECK(u->port == 3128);
  CHECK(u->user == "user");
  CHECK(u->password == "secret");
  CHECK(u->target == "/");
  CHECK(u->authority() == "[::1]:3128");

  u = parse_url("https://api.hyperliquid.xyz?x=1#frag");
  REQUIRE(u);
  CHECK(u->target == "/?x=1");
  CHECK(u->port == 443);

  for (const char* bad : {"", "stream.binance.com", "ftp://x", "wss://", "wss://:443/",
                          "wss://h:0/", "wss://h:65536/", "wss://h:12a/", "wss://[::1/"}) {
    INFO(bad);
    CHECK_FALSE(parse_url(bad));
  }
}

TEST_CASE("loopback and IP literal detection", "[url]") {
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("127.1.2.3"));
  CHECK(is_loopback_host("LocalHost"));
  CHECK(is_loopback_host("::1"));
  CHECK_FALSE(is_loopback_host("127.example.com"));
  CHECK_FALSE(is_loopback_host("10.0.0.1"));
  CHECK(is_ip_literal("10.0.0.1"));
  CHECK(is_ip_literal("::1"));
  CHECK_FALSE(is_ip_literal("localhost"));
}

TEST_CASE("choose_proxy: explicit wins, environment skips loopback and no_proxy", "[proxy]") {
  const auto binance = *parse_url("wss://stream.binance.com:9443/ws");
  const auto sim = *parse_url("wss://127.0.0.1:8443/ws");
  const auto plain = *parse_url("ws://example.com/ws");
  std::map<std::string, std::string> env;
  const env_getter get = [&](const char* n) -> const char* {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  proxy_settings s;
  CHECK_FALSE(choose_proxy(binance, s, get).proxy);

  env["https_proxy"] = "http://corp:3128";
  auto c = choose_proxy(binance, s, get);
  REQUIRE(c.proxy);
  CHECK(c.proxy->host == "corp");
  CHECK(c.proxy->port == 3128);
  CHECK_FALSE(choose_proxy(sim, s, get).proxy);    // loopback never via the environment
  CHECK_FALSE(choose_proxy(plain, s, get).proxy);  // ws uses http_proxy
  env["HTTP_PROXY"] = "corp2:8080";                // no scheme: http://
  c = choose_proxy(plain, s, get);
  REQUIRE(c.proxy);
  CHECK(c.proxy->host == "corp2");

  env["no_proxy"] = "example.org, .binance.com";
  CHECK_FALSE(choose_proxy(binance, s, get).proxy);
  env["no_proxy"] = "binance.com:443";  // other port: still proxied
  CHECK(choose_proxy(binance, s, get).proxy);
  env["no_proxy"] = "*";
  CHECK_FALSE(choose_proxy(binance, s, get).proxy);

  s.use_environment = false;
  env.erase("no_proxy");
  CHECK_FALSE(choose_proxy(binance, s, get).proxy);

  // Explicit: applies even to loopback (tests route through a loopback proxy on purpose).
  s.url = "http://u:p@127.0.0.1:9000";
  c = choose_proxy(sim, s, get);
  REQUIRE(c.proxy);
  CHECK(c.proxy->port == 9000);
  CHECK(c.proxy->user == "u");
  s.no_proxy = "127.0.0.1";
  CHECK_FALSE(choose_proxy(sim, s, get).proxy);

  s = {};
  s.url = "socks5://127.0.0.1:1080";
  c = choose_proxy(sim, s, get);
  CHECK_FALSE(c.proxy);
  CHECK_FALSE(c.error.empty());
}

TEST_CASE("no_proxy list matching", "[proxy]") {
  CHECK(no_proxy_matches("binance.com", "stream.binance.com", 443));
  CHECK(no_proxy_matches("binance.com", "binance.com", 443));
  CHECK_FALSE(no_proxy_matches("binance.com", "notbinance.com", 443));
  CHECK_FALSE(no_proxy_matches(".binance.com", "binance.com", 443));
  CHECK(no_proxy_matches("a,b , .c.d", "x.c.d", 1));
  CHECK(no_proxy_matches("[::1]:8443", "::1", 8443));
  CHECK_FALSE(no_proxy_matches("[::1]:8443", "::1", 8444));
  CHECK_FALSE(no_proxy_matches("", "x", 1));
}
