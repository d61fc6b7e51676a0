// The stale-stream watchdog: a live book that gets no update for the venue's stale time is
// marked stale (not publishable) and resubscribed on its connection; other books and the
// connection are untouched, and the book converges again.
#include <catch2/catch.hpp>

#include "feed_harness.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("a silent book goes stale, is resubscribed and recovers", "[feed][integration]") {
  sim_server srv({.venue = core::venue::okx, .symbols = 3});
  auto cfg = config_for(srv);
  cfg.timings.stale_after = ms(400);
  feed_fixture fx(srv, cfg);
  fx.fd->start();
  REQUIRE(fx.run_until([&] { return fx.all_live(); }, ms(8000)));
  const std::string victim = fx.fd->books().front()->symbol;
  srv.with_sim([&](sim::venue_sim& s, sim_server_log&) {
    sim::fault f;  // every update of the victim is withheld for 1.5 s: its stream goes silent
    f.kind = sim::fault_kind::gap;
    f.symbol = victim;
    f.duration_s = 1.5;
    REQUIRE(s.inject(f));
    return 0;
  });
  const feed::feed_book* fb = fx.fd->find(victim);
  // Counted, not sampled: the resubscription may move the book on to syncing within the same
  // turn of the io_context, before a sampled state could show `stale`.
  REQUIRE(fx.run_until([&] { return fb->state.count(feed::transition_reason::stale) >= 1; }, ms(2000)));
  // Stale is not publishable: the listener saw the book go dark (on a loaded machine the
  // silence may already be over and the book resynced by now, so its current state proves
  // nothing).
  CHECK(fx.rec.books[victim].dark_after_live >= 1);
  REQUIRE(fx.run_until([&] { return fb->resubscribes >= 1; }, ms(1000)));
  fx.run_for(ms(1800));  // past the silence
  REQUIRE(fx.run_until([&] { return fb->publishable(); }, ms(4000)));
  fx.run_for(ms(300));
  CHECK(fx.compare_all() == "");
  CHECK(fb->state.count(feed::transition_reason::stale) >= 1);
  CHECK(fx.fd->stats().connections_opened == 1);
  CHECK(fx.fd->stats().disconnects == 0);
  for (const auto& b : fx.fd->books()) {
    if (b->symbol == victim) continue;
    CHECK(fx.rec.books[b->symbol].dark_after_live == 0);
  }
  // Logged once per transition: as many "stale" lines as stale transitions.
  CHECK(fx.rec.lines_containing(": stale (stale") == fb->state.count(feed::transition_reason::stale));
}
