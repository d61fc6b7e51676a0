// Fault matrix, disconnect: the simulator drops every connection (TCP, no close frame). On
// every venue every book leaves live at once (transition `disconnected`), the feed reconnects
// with its back-off and every book comes back equal to the truth.
#include <catch2/catch.hpp>

#include "matrix_rig.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("matrix: a dropped connection takes its books out of live and back", "[feed][integration][matrix]") {
  matrix m({core::all_venues.begin(), core::all_venues.end()});
  REQUIRE(m.start_live());
  for (auto& r : m.rigs) REQUIRE(r->inject(make_fault(sim::fault_kind::disconnect)));
  REQUIRE(m.run_until([&] {
    for (auto& r : m.rigs)
      if (r->fd->stats().disconnects < 1 || r->fd->stats().connections_opened < 2 || !r->all_live()) return false;
    return true;
  }, ms(8000)));
  for (auto& r : m.rigs) {
    INFO(r->name());
    CHECK(r->fd->stats().disconnects == 1);
    for (const auto& b : r->fd->books()) {
      INFO(b->symbol);
      CHECK(b->state.count(feed::transition_reason::disconnected) == 1);
      CHECK(r->rec.books[b->symbol].went_dark == 1);
    }
  }
  m.run_for(ms(800));
  CHECK(m.compare_all() == "");
  CHECK(violations_text(m) == "");
}
