// A half-open stall (socket open, nothing sent, not even pongs) is detected by the idle
// watchdog and the connection replaced within the watchdog time; books converge again.
#include <catch2/catch.hpp>

#include "feed_harness.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("a half-open stall is detected and the connection replaced", "[feed][integration]") {
  sim_server srv({.venue = core::venue::kraken, .symbols = 2});
  auto cfg = config_for(srv);
  cfg.timings.idle_timeout = ms(800);
  cfg.timings.ping_interval = ms(200);
  feed_fixture fx(srv, cfg);
  fx.fd->start();
  REQUIRE(fx.run_until([&] { return fx.all_live(); }, ms(8000)));
  srv.with_sim([&](sim::venue_sim& s, sim_server_log&) {
    sim::fault f;
    f.kind = sim::fault_kind::stall;
    REQUIRE(s.inject(f));
    return 0;
  });
  const auto t0 = steady::now();
  REQUIRE(fx.run_until([&] { return fx.fd->stats().idle_replaced == 1; }, ms(3000)));
  const auto detected = steady::now() - t0;
  CHECK(detected >= ms(700));   // not before the idle time: pings kept a quiet link open
  CHECK(detected <= ms(1300));  // idle time + one tick + scheduling slack
  REQUIRE(fx.run_until([&] { return fx.fd->stats().connections_opened == 2 && fx.all_live(); }, ms(4000)));
  CHECK(steady::now() - t0 < ms(3000));
  fx.run_for(ms(300));
  CHECK(fx.compare_all() == "");
  srv.with_sim([&](sim::venue_sim&, sim_server_log& log) {
    CHECK(log.ws_connections == 2);
    return 0;
  });
}
