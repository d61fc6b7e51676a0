// depthmond --demo --webhook URL --webhook-secret-file FILE: the daemon builds a signed generic
// receiver, keeps its outbox in the state directory, reports it in /metrics, and never writes
// the signing secret to its log; the demo's thinning alerts arrive at it, signed.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "alert_support.hpp"
#include "integration/sim/sim_support.hpp"
#include "support/webhook_receiver.hpp"

using namespace depthmon::test;
using namespace std::chrono_literals;

TEST_CASE("depthmond --demo --webhook: a signed receiver with its outbox, in /metrics", "[daemon][webhook]") {
  const std::string key = "0123456789abcdef0123456789abcdef";
  webhook_receiver rx({.key = key, .tls = false});
  const auto dir = scratch_dir("depthmond_webhook");
  const std::string secret = dir + "/webhook.secret";
  std::ofstream(secret) << "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n";
  const auto port = free_port();
  ::setenv("DEPTHMON_DEMO_LISTEN", ("127.0.0.1:" + std::to_string(port)).c_str(), 1);
  child_process demo({DEPTHMOND_BIN, "--demo", "--state-dir", dir + "/state", "--webhook",
                      rx.url("/hook"), "--webhook-secret-file", secret});
  ::unsetenv("DEPTHMON_DEMO_LISTEN");
  const auto get = [&](const std::string& p) {
    return http_call("GET", "http://127.0.0.1:" + std::to_string(port) + p);
  };
  INFO(demo.stderr_text());
  REQUIRE(eventually_true([&] {
    return get("/metrics").body.find("depthmon_outbox_pending{receiver=\"demo-webhook\"} 0") !=
           std::string::npos;
  }, 30s));
  const auto m = get("/metrics").body;
  for (const char* result : {"delivered", "retried", "failed", "dead_letter"})
    CHECK(m.find(std::string("depthmon_notifications_total{receiver=\"demo-webhook\",result=\"") +
                 result + "\"}") != std::string::npos);
  CHECK(std::filesystem::exists(dir + "/state/outbox.sqlite"));
  // Stopped once running (as the demo test does): a SIGTERM within the first second can hit a
  // shutdown crash in the demo's in-process simulator (reported; not delivery code).
  REQUIRE(eventually_true([&] {
    return get("/api/v1/books/binance/BTCUSDT").body.find("\"status\":\"live\"") != std::string::npos;
  }, 30s));
  // The thinning scenario fires DepthBelowBaseline (demo rules: ratio < 0.8 for 10 s, group
  // wait 5 s); its notification reaches the receiver signed, as Alertmanager's v4 body.
  REQUIRE(rx.wait_for([](const std::vector<webhook_hit>& hits) {
    for (const auto& h : hits)
      if (h.signature_ok && h.body.find(R"("alertname":"DepthBelowBaseline")") != std::string::npos)
        return true;
    return false;
  }, 170s));
  for (const auto& h : rx.hits()) {
    CHECK(h.signature_ok);
    CHECK(h.path == "/hook");
    CHECK(h.body.find(R"("version":"4")") != std::string::npos);
    CHECK(h.body.find(R"("receiver":"demo-webhook")") != std::string::npos);
  }
  CHECK(eventually_true([&] {
    return get("/metrics").body.find("depthmon_notifications_total{receiver=\"demo-webhook\",result=\"delivered\"} 0") ==
           std::string::npos;
  }, 10s));
  demo.signal(SIGTERM);
  CHECK(demo.wait(10s) == 0);
  const auto log = demo.stderr_text();
  CHECK(log.find("demo webhook receiver added") != std::string::npos);
  CHECK(log.find("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY") == std::string::npos);
  CHECK(log.find(key) == std::string::npos);
  std::filesystem::remove_all(dir);
}
