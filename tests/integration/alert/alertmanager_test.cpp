// A real Alertmanager (Debian's prometheus-alertmanager) on a free loopback port, routing to the
// recording receiver: depthmon's `alertmanager` receiver posts through API v2, Alertmanager
// groups and passes the alert on to the webhook (v4 body), then the resolution likewise.
#include <catch2/catch.hpp>

#include "alert/delivery.hpp"
#include "alert_support.hpp"
#include "integration/sim/sim_support.hpp"
#include "support/webhook_receiver.hpp"

using namespace depthmon;
using namespace depthmon::test;
using namespace std::chrono_literals;

TEST_CASE("Alertmanager API v2: a firing then resolved alert reaches Alertmanager's webhook", "[alertmanager]") {
  webhook_receiver rx({.tls = false});
  const auto dir = scratch_dir("alertmanager");
  const auto port = free_port();
  child_process am(alertmanager_argv(ALERTMANAGER_BIN, dir, port, rx.url("/am")));
  std::string err;
  auto box = alert::outbox::open(dir + "/outbox.sqlite", &err);
  REQUIRE(box);
  auto ep = endpoint("am", alert::receiver_kind::alertmanager,
                     "http://127.0.0.1:" + std::to_string(port), "");
  alert::delivery_options o;
  o.use_proxy_environment = false;
  o.render.external_url = "http://127.0.0.1:18095/";
  alert::delivery d(*box, {ep}, o);
  d.start();  // retries (connection refused) until Alertmanager listens
  auto firing = sample("am", 7);
  firing.alerts[0].starts_at = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::system_clock::now().time_since_epoch()).count();
  REQUIRE(d.submit(firing));
  const bool got = rx.wait_for([](auto& hits) {
    for (const auto& h : hits)
      if (h.path == "/am" && h.body.find(R"("status":"firing")") != std::string::npos) return true;
    return false;
  }, 30s);
  INFO(am.stderr_text());
  REQUIRE(got);
  const auto fired = rx.hits().back().body;
  CHECK(fired.find(R"("version":"4")") != std::string::npos);
  CHECK(fired.find(R"("alertname":"DepthBelowBaseline")") != std::string::npos);
  CHECK(fired.find(R"("symbol":"BTCUSDT7")") != std::string::npos);
  CHECK(fired.find(R"("generatorURL":"http://127.0.0.1:18095/")") != std::string::npos);
  // Resolved: endsAt in the past, so Alertmanager resolves it and notifies.
  auto resolved = firing;
  resolved.status = alert::alert_status::resolved;
  resolved.alerts[0].status = alert::alert_status::resolved;
  resolved.alerts[0].ends_at = resolved.alerts[0].starts_at + 1'000'000;
  resolved.created += 1;
  REQUIRE(d.submit(resolved));
  CHECK(rx.wait_for([](auto& hits) {
    for (const auto& h : hits)
      if (h.body.find(R"("status":"resolved")") != std::string::npos) return true;
    return false;
  }, 30s));
  CHECK(eventually_true([&] { return d.counters()[0].delivered == 2; }, 5s));
}
