// Fault matrix, sequence gap on one symbol: where the protocol detects a lost update per symbol
// (Binance and USD-M update ids, OKX seqId, Bybit u, Kraken v2 and v1 checksums) the book of
// that symbol leaves live and resyncs alone while the connection and every other book stay
// live; every book then equals the truth.
//
// Not the same on every venue, and why:
//   coinbase (Advanced Trade): sequence_num counts every message of the connection, so a loss
//     cannot be attributed to one product: every book of the connection resyncs (checked).
//   kraken, kraken-v1: a checksum of the top 10 is the only signal and quantities are absolute:
//     when the next update rewrites every level the lost one changed, the loss is healed before
//     it can be seen (the book equals the truth, the checksum rightly passes); otherwise the
//     checksum fails and the book resyncs alone. Both outcomes are accepted, the sampler proves
//     the book equal in the first.
//   hyperliquid: every l2Book message is a whole snapshot without a sequence; a lost one is
//     undetectable and harmless: the next one replaces the book (checked: the book stays live
//     and the sampled invariant holds once the next message arrived).
//   coinbase-exchange (level2_batch) and bitstamp (diff_order_book): no sequence number and no
//     checksum; no client can detect a lost diff, so the fault does not apply (not injected).
#include <catch2/catch.hpp>

#include "matrix_rig.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("matrix: a gap on one symbol resyncs that symbol only", "[feed][integration][matrix]") {
  std::vector<core::venue> vs;
  for (core::venue v : core::all_venues)
    if (v != core::venue::coinbase_exchange && v != core::venue::bitstamp) vs.push_back(v);
  for (core::venue v : {core::venue::coinbase_exchange, core::venue::bitstamp}) {
    INFO(core::to_string(v) << ": " << traits_of(v).gap_note);
    CHECK_FALSE(traits_of(v).gap_per_symbol);
  }
  matrix m(vs);
  check_symbol_fault(m, sim::fault_kind::gap, [](core::venue v) {
    symbol_fault_expect e;
    if (v == core::venue::hyperliquid) e.victim_leaves_live = false;
    if (v == core::venue::coinbase) e.others_untouched = e.same_connection = false;
    e.may_heal = traits_of(v).checksum;
    return e;
  });
  for (auto& r : m.rigs) {
    INFO(r->name());
    if (traits_of(r->v).gap_per_symbol && !traits_of(r->v).checksum) CHECK(r->book(0).book->counters.gaps + r->book(0).book->counters.checksums_failed >= 1);
  }
}
