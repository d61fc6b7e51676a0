// Fault matrix, crossed update on one symbol: on every venue the book that the update leaves
// crossed leaves live at once (never published crossed), the other books and the connection are
// untouched, and the book comes back equal to the truth: resynced (REST snapshot or
// resubscribe), replaced by the next snapshot (Hyperliquid), or, on OKX, which documents
// crossed books (call auctions), held until the venue's next update uncrosses it.
#include <catch2/catch.hpp>

#include "matrix_rig.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("matrix: a crossed update never goes live and the book recovers", "[feed][integration][matrix]") {
  matrix m({core::all_venues.begin(), core::all_venues.end()});
  check_symbol_fault(m, sim::fault_kind::crossed, [](core::venue) { return symbol_fault_expect{}; });
  for (auto& r : m.rigs) {
    INFO(r->name());
    // OKX holds the crossed book (transition `crossed`); everyone else fails it and resyncs.
    if (r->v == core::venue::okx) CHECK(r->book(0).state.count(feed::transition_reason::crossed) >= 1);
    else CHECK(r->book(0).state.count(feed::transition_reason::failed) >= 1);
    CHECK(r->book(0).book->counters.crossed >= 1);
  }
}
