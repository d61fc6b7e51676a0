// Fault matrix, steady market: for every venue, the books converge to the simulator's truth and
// stay equal (every level in the client's coverage, at least the top 50, the mid and every
// complete band), and no book is ever live while it differs from the truth.
#include <catch2/catch.hpp>

#include "matrix_rig.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("matrix: every venue's books converge and stay equal", "[feed][integration][matrix]") {
  matrix m({core::all_venues.begin(), core::all_venues.end()});
  m.start();
  REQUIRE(m.run_until([&] { return m.all_live(); }, ms(10'000)));
  m.run_for(ms(3000));
  CHECK(m.compare_all() == "");
  CHECK(violations_text(m) == "");
  CHECK(m.samples >= 5);
  for (auto& r : m.rigs) {
    INFO(r->name());
    CHECK(r->fd->stats().disconnects == 0);
    CHECK(r->fd->stats().frames_rejected == 0);
    for (const auto& b : r->fd->books()) {
      INFO(b->symbol);
      CHECK(b->state.count(feed::transition_reason::synced) == 1);
      CHECK(r->rec.books[b->symbol].dark_after_live == 0);
    }
  }
}
