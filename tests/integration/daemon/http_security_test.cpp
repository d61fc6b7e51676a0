// depthmond's HTTP server with the optional security of [http]: TLS (cert_file, key_file) and
// basic auth (basic_auth_users, exporter-toolkit style credential files). Over HTTPS with the
// right password every route answers; a wrong password or none gets 401; plain HTTP on the TLS
// port gets no answer; the certificate is verified against the test's own CA.
#include <catch2/catch.hpp>

#include "daemon_harness.hpp"
#include "net/cert_authority.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("depthmond serves HTTPS with basic auth when configured", "[daemon][integration]") {
  sim_process sim("binance", 1);
  const std::string dir = scratch("https");
  std::string err;
  const auto pki = net::write_loopback_pki(dir + "/pki", &err);
  REQUIRE(pki);
  write_file(dir + "/alice.credential", "plain:s3cret\n");
  const auto port = unused_port();
  std::string text = config_text(sim, port, dir + "/state", {{"binance", {"BTCUSDT"}}});
  const std::string anchor = "max_connections = 1200\n";
  const auto at = text.find(anchor);
  REQUIRE(at != std::string::npos);
  text.insert(at + anchor.size(), "cert_file = \"" + pki->cert_file + "\"\nkey_file = \"" +
                                      pki->key_file + "\"\nbasic_auth_users = { alice = \"" + dir +
                                      "/alice.credential\" }\n");
  const std::string cfg = dir + "/depthmon.toml";
  write_file(cfg, text);
  daemon_process d(cfg, port);
  INFO(d.proc.stderr_text());

  const std::string base = "https://127.0.0.1:" + std::to_string(port);
  const std::string good = "Basic YWxpY2U6czNjcmV0";   // alice:s3cret
  const std::string wrong = "Basic YWxpY2U6d3Jvbmc=";  // alice:wrong
  REQUIRE(eventually([&] { return http_call("GET", base + "/-/healthy", {}, pki->ca_file, good).status == 200; }, 15s));
  REQUIRE(eventually([&] {
    return http_call("GET", base + "/-/ready", {}, pki->ca_file, good).status == 200;
  }, 30s));

  const auto books = http_call("GET", base + "/api/v1/books/binance/BTCUSDT", {}, pki->ca_file, good);
  CHECK(books.status == 200);
  CHECK(books.body.find("\"status\":\"live\"") != std::string::npos);
  const auto metrics = http_call("GET", base + "/metrics", {}, pki->ca_file, good);
  CHECK(metrics.status == 200);
  CHECK(metrics.body.find("depthmon_book_live{") != std::string::npos);

  CHECK(http_call("GET", base + "/metrics", {}, pki->ca_file, wrong).status == 401);
  CHECK(http_call("GET", base + "/metrics", {}, pki->ca_file).status == 401);
  // Plain HTTP on the TLS port: no HTTP answer at all.
  CHECK(http_call("GET", "http://127.0.0.1:" + std::to_string(port) + "/metrics", {}, {}, good).status == -1);
  // The secret never reaches the log.
  CHECK(d.proc.stderr_text().find("s3cret") == std::string::npos);
}
