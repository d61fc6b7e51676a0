// A planned close (Binance serverShutdown, OKX notice 64008, then the server closes) is made
// before break: the replacement connection's books go live before the old one is closed, so
// no book is ever published as not live.
#include <catch2/catch.hpp>

#include "feed_harness.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("a planned close causes no gap in liveness", "[feed][integration]") {
  const core::venue v = GENERATE(core::venue::binance, core::venue::okx);
  INFO(core::to_string(v));
  sim_server srv({.venue = v, .symbols = 3});
  feed_fixture fx(srv);
  fx.fd->start();
  REQUIRE(fx.run_until([&] { return fx.all_live(); }, ms(8000)));
  fx.run_for(ms(200));
  srv.with_sim([&](sim::venue_sim& s, sim_server_log&) {
    sim::fault f;
    f.kind = sim::fault_kind::planned_close;
    f.duration_s = 3.0;  // the notice, then the close 3 s later
    REQUIRE(s.inject(f));
    return 0;
  });
  REQUIRE(fx.run_until([&] { return fx.fd->stats().planned_reconnects == 1; }, ms(6000)));
  REQUIRE(fx.run_until([&] { return fx.fd->open_connections() == 1; }, ms(4000)));
  fx.run_for(ms(3500));  // past the server's own close time of the old connection
  CHECK(fx.fd->stats().connections_opened == 2);
  CHECK(fx.fd->stats().disconnects == 0);
  CHECK(fx.all_live());
  for (const auto& b : fx.fd->books()) {
    INFO(b->symbol);
    CHECK(fx.rec.books[b->symbol].dark_after_live == 0);
    CHECK(b->state.count(feed::transition_reason::switched) == 1);
  }
  CHECK(fx.compare_all() == "");
}
