// Fault matrix, slow start: lib/sim has no fault kind for it (sim/fault.hpp), so it is made by
// freezing every market before the feeds connect: connections open and subscriptions are
// answered (websocket snapshots of the frozen book), but no update flows for 2 s, so Binance's
// books, which wait for a first diff before their snapshot, cannot start, while Bitstamp's,
// snapshotted once bts:subscription_succeeded confirms the pair, start on a quiet market. No
// book may be live while it differs from the truth meanwhile, and every book is live and equal
// soon after the market starts.
#include <catch2/catch.hpp>

#include "matrix_rig.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("matrix: a slow start leaves no book stuck or wrong", "[feed][integration][matrix]") {
  matrix m({core::all_venues.begin(), core::all_venues.end()});
  for (auto& r : m.rigs) r->srv->pause();
  m.start();
  // Frozen: sample by hand (the sampler itself resumes the markets).
  test::run_until(m.ioc, [] { return false; }, ms(2000));
  for (auto& r : m.rigs) {
    INFO(r->name());
    for (const auto& b : r->fd->books()) {
      INFO(b->symbol);
      if (r->v == core::venue::bitstamp) CHECK(b->publishable());
      else if (traits_of(r->v).rest_snapshot) CHECK_FALSE(b->publishable());
      if (b->publishable()) CHECK(compare_book(*r->srv, *b, r->bands_of(*b)) == "");
    }
    r->srv->resume();
  }
  REQUIRE(m.run_until([&] { return m.all_live(); }, ms(6000)));
  m.run_for(ms(800));
  CHECK(m.compare_all() == "");
  CHECK(violations_text(m) == "");
  for (auto& r : m.rigs) CHECK(r->fd->stats().disconnects == 0);
}
