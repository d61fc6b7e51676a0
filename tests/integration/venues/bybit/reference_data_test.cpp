// Bybit reference data (tests/data/bybit/) through the replay pipeline the CLI uses.
#include <catch2/catch.hpp>

#include "unit/venues/bybit/harness.hpp"
#include "replay/replay.hpp"
#include "support/run.hpp"

using namespace depthmon;
using core::side;

namespace {

std::unique_ptr<replay::replay_session> session(std::map<std::string, std::string> settings = {}) {
  replay::replay_options o;
  o.venue = core::venue::bybit;
  o.protocol.settings = std::move(settings);
  auto s = replay::replay_session::create(std::move(o));
  REQUIRE(s.ok());
  return std::move(s).value();
}

}  // namespace

TEST_CASE("bybit real spot orderbook.1 frames: each snapshot replaces the book", "[bybit][reference]") {
  auto s = session();
  for (const auto& l : test::read_lines(test::data_path("bybit/v5_spot_orderbook1_btcusdt_ccxt_2026.jsonl")))
    REQUIRE(s->feed_line(l).ok());
  REQUIRE(s->protocol().books().size() == 1);
  const auto& tb = *s->protocol().books()[0];
  CHECK(tb.symbol == "BTCUSDT");
  CHECK(tb.live());
  CHECK(tb.counters.snapshots == 2);
  CHECK(tb.counters.updates_applied == 0);
  CHECK(tb.counters.gaps == 0);
  CHECK(*tb.last_update_id == 72212458);
  CHECK(bybit_test::lvl(tb, side::bid, 0) == "63705.3/2.014151");
  CHECK(bybit_test::lvl(tb, side::ask, 0) == "63705.4/2.334566");
  CHECK(tb.book.size(side::bid) == 1);
  CHECK(tb.book.size(side::ask) == 1);
  // One level per side shown: a ±2 % band reaches beyond it, so it is incomplete.
  const auto dv = s->depth_of(tb);
  REQUIRE(dv.has_mid);
  for (std::size_t b = 0; b < dv.band_count; ++b)
    for (side sd : {side::bid, side::ask}) CHECK_FALSE(dv.bands[b][sd].complete);
  CHECK(s->protocol().counters().control == 1);
}

TEST_CASE("bybit documentation examples: every line understood", "[bybit][reference]") {
  auto s = session();
  const auto lines = test::read_lines(test::data_path("bybit/v5_doc_examples.jsonl"));
  REQUIRE(lines.size() == 8);
  for (const auto& l : lines) REQUIRE(s->feed_line(l).ok());
  CHECK(s->protocol().counters().control == 7);
  // The delta example has no snapshot before it: dropped, the book stays syncing.
  REQUIRE(s->protocol().books().size() == 1);
  CHECK(s->protocol().books()[0]->status == book::book_status::syncing);
  CHECK(s->protocol().books()[0]->counters.dropped == 1);
}

TEST_CASE("bybit documentation delta applied to a snapshot holding its prices", "[bybit][reference]") {
  auto s = session();
  REQUIRE(s->feed_line(bybit_test::k_doc_snapshot).ok());
  for (const auto& l : test::read_lines(test::data_path("bybit/v5_doc_examples.jsonl"))) REQUIRE(s->feed_line(l).ok());
  const auto& tb = *s->protocol().books()[0];
  CHECK(tb.live());
  CHECK(tb.counters.updates_applied == 1);
  CHECK(*tb.last_update_id == 177400507);
  CHECK(bybit_test::lvl(tb, side::bid, 0) == "30247.2/30.028");
  CHECK(bybit_test::lvl(tb, side::ask, 0) == "30249.3/0.892");
  CHECK(tb.book.size(side::bid) == 5);
  CHECK(tb.book.size(side::ask) == 6);
}
