// Books fed over real loopback sockets by the simulator's own encoders converge to the truth
// and stay equal: binance (REST snapshot + diffs), kraken (ws snapshot + checksum), okx.
#include <catch2/catch.hpp>

#include "feed_harness.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("books converge to the simulator's truth and stay equal", "[feed][integration]") {
  const core::venue v = GENERATE(core::venue::binance, core::venue::kraken, core::venue::okx);
  INFO(core::to_string(v));
  sim_server srv({.venue = v, .symbols = 3});
  feed_fixture fx(srv);
  fx.fd->start();
  REQUIRE(fx.run_until([&] { return fx.all_live(); }, ms(8000)));
  for (int round = 0; round < 3; ++round) {
    fx.run_for(ms(400));
    CHECK(fx.compare_all() == "");
  }
  CHECK(fx.fd->stats().connections_opened == 1);
  CHECK(fx.fd->stats().disconnects == 0);
  CHECK(fx.fd->stats().frames_rejected == 0);
  for (const auto& b : fx.fd->books()) {
    CHECK(b->state.count(feed::transition_reason::synced) == 1);
    CHECK(b->state.count(feed::transition_reason::failed) == 0);
  }
  // One log line per transition, never per message: three books, one "synced" each.
  CHECK(fx.rec.lines_containing("(synced)") == 3);
  if (v == core::venue::binance) {
    CHECK(fx.fd->stats().snapshot_requests == 3);
    CHECK(fx.fd->snapshot_depth() == 1000);
  }
}
