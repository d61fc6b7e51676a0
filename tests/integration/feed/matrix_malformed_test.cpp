// Fault matrix, malformed frame: a truncated copy of one symbol's next update arrives before the
// update itself. Every venue's client rejects it (counted) and loses nothing, since the intact
// update follows: no book leaves live, nothing is resynced, the connection stays, and every
// book equals the truth. (Leaving live would be wrong here: no information was lost.)
#include <catch2/catch.hpp>

#include "matrix_rig.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("matrix: a malformed frame is rejected and nothing else changes", "[feed][integration][matrix]") {
  matrix m({core::all_venues.begin(), core::all_venues.end()});
  check_symbol_fault(m, sim::fault_kind::malformed, [](core::venue) {
    symbol_fault_expect e;
    e.victim_leaves_live = false;
    return e;
  });
  for (auto& r : m.rigs) {
    INFO(r->name());
    CHECK(r->fd->stats().frames_rejected >= 1);
  }
}
