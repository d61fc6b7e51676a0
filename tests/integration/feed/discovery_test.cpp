// Instrument discovery that does not answer (the simulator has no OKX instruments endpoint)
// is logged once and is not fatal: the books go live on what the settings and the feed know.
#include <catch2/catch.hpp>

#include "feed_harness.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("instrument discovery that does not answer is logged once, not fatal", "[feed][integration]") {
  sim_server srv({.venue = core::venue::okx, .symbols = 2});
  auto cfg = config_for(srv);
  // Swaps without a ctval setting need discovery; the simulator has no instruments endpoint.
  cfg.symbols.push_back("BTC-USDT-SWAP");
  cfg.symbols.push_back("ETH-USDT-SWAP");
  feed_fixture fx(srv, cfg);
  fx.fd->start();
  REQUIRE(fx.run_until([&] {
    return fx.fd->find(cfg.symbols[0])->publishable() && fx.fd->find(cfg.symbols[1])->publishable();
  }, ms(8000)));
  CHECK(fx.fd->stats().metadata_requests == 2);
  CHECK(fx.fd->stats().metadata_failures == 2);
  CHECK(fx.rec.lines_containing("instrument metadata did not answer") == 1);
  CHECK(fx.fd->stats().connections_opened == 1);
}
