// Fault matrix, bad checksum on one symbol: Kraken v2 and v1 (the only venues whose feed carries
// a live checksum) detect it, resync that book alone by unsubscribe + subscribe on the same
// connection, and every book then equals the truth.
//
// Not applicable elsewhere, and why (the simulator refuses the fault there too, checked):
// Binance, USD-M, Coinbase (both), Bybit, Hyperliquid and Bitstamp send no checksum; OKX's is
// deprecated and always 0 (protocols.md §4.4), so there is nothing to corrupt.
#include <catch2/catch.hpp>

#include "matrix_rig.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("matrix: a bad checksum resyncs that book only", "[feed][integration][matrix]") {
  for (core::venue v : core::all_venues) {
    INFO(core::to_string(v));
    CHECK(sim_accepts(v, sim::fault_kind::bad_checksum) == traits_of(v).checksum);
  }
  matrix m({core::venue::kraken, core::venue::kraken_v1});
  check_symbol_fault(m, sim::fault_kind::bad_checksum, [](core::venue) { return symbol_fault_expect{}; });
  for (auto& r : m.rigs) {
    INFO(r->name());
    CHECK(r->book(0).book->counters.checksums_failed >= 1);
    CHECK(r->fd->stats().resubscribes >= 1);
  }
}
