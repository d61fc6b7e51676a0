// A gap on one symbol resyncs that symbol only: the connection and every other book stay
// live (binance: REST snapshot; okx: unsubscribe + subscribe on the same connection).
#include <catch2/catch.hpp>

#include "feed_harness.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("a gap on one symbol resyncs that symbol only", "[feed][integration]") {
  const core::venue v = GENERATE(core::venue::binance, core::venue::okx);
  INFO(core::to_string(v));
  sim_server srv({.venue = v, .symbols = 3});
  feed_fixture fx(srv);
  fx.fd->start();
  REQUIRE(fx.run_until([&] { return fx.all_live(); }, ms(8000)));
  fx.run_for(ms(200));
  const std::string victim = fx.fd->books().front()->symbol;
  const auto snapshots_before = fx.fd->stats().snapshot_requests;
  srv.with_sim([&](sim::venue_sim& s, sim_server_log&) {
    sim::fault f;
    f.kind = sim::fault_kind::gap;
    f.symbol = victim;
    REQUIRE(s.inject(f));
    return 0;
  });
  const feed::feed_book* fb = fx.fd->find(victim);
  REQUIRE(fx.run_until([&] { return fb->state.count(feed::transition_reason::failed) == 1; }, ms(5000)));
  REQUIRE(fx.run_until([&] { return fb->publishable(); }, ms(5000)));
  fx.run_for(ms(300));
  CHECK(fx.compare_all() == "");
  CHECK(fb->book->counters.gaps == 1);
  CHECK(fx.fd->stats().connections_opened == 1);
  CHECK(fx.fd->stats().disconnects == 0);
  for (const auto& b : fx.fd->books()) {
    if (b->symbol == victim) continue;
    INFO(b->symbol);
    CHECK(fx.rec.books[b->symbol].dark_after_live == 0);
    CHECK(b->state.transitions() == 1);  // syncing -> live, nothing since
  }
  if (v == core::venue::binance) {
    CHECK(fx.fd->stats().snapshot_requests == snapshots_before + 1);
    CHECK(fx.fd->stats().resubscribes == 0);
  } else {
    CHECK(fx.fd->stats().resubscribes == 1);
    CHECK(fb->resubscribes == 1);
  }
}
