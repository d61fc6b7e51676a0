// wss + https against the simulator: trusted through its CA file, refused without it.
#include <catch2/catch.hpp>

#include <filesystem>

#include "feed_harness.hpp"
#include "net/cert_authority.hpp"

using namespace depthmon;
using namespace depthmon::test;

namespace {
std::string temp_dir(const char* name) {
  auto d = std::filesystem::temp_directory_path() / (std::string(name) + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d.string();
}
}  // namespace

TEST_CASE("TLS: the simulator's CA is trusted, an untrusted certificate refused", "[feed][integration]") {
  std::string err;
  auto pki = net::write_loopback_pki(temp_dir("depthmon-feed-tls"), &err);
  REQUIRE(pki);
  auto other = net::write_loopback_pki(temp_dir("depthmon-feed-tls-other"), &err);
  REQUIRE(other);
  sim_server srv({.venue = core::venue::binance, .symbols = 2,
                  .tls = tls_identity{pki->cert_pem, pki->key_pem}});
  SECTION("trusted") {
    feed_fixture fx(srv, config_for(srv, pki->ca_file));
    fx.fd->start();
    REQUIRE(fx.run_until([&] { return fx.all_live(); }, ms(8000)));
    CHECK(fx.compare_all() == "");
  }
  SECTION("untrusted CA file") {
    feed_fixture fx(srv, config_for(srv, other->ca_file));
    fx.fd->start();
    fx.run_for(ms(1500));
    CHECK(fx.fd->stats().connect_attempts >= 1);
    CHECK(fx.fd->stats().connections_opened == 0);
    for (const auto& b : fx.fd->books()) CHECK_FALSE(b->publishable());
    srv.with_sim([&](sim::venue_sim&, sim_server_log& log) {
      CHECK(log.ws_connections == 0);  // never past the TLS handshake
      CHECK(log.rest.empty());
      return 0;
    });
    CHECK(fx.rec.lines_containing("tls") >= 1);
  }
}
