// Bybit sync: snapshot/delta, u continuity, restarts, resets, truncation, coverage and every
// failure path leading to the documented recovery.
#include "venues/bybit/sync.hpp"

#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace depthmon;
using bybit_test::delta;
using bybit_test::harness;
using bybit_test::lvl;
using bybit_test::snap;
using core::side;
using venues::request;

namespace {

const std::string k_b = R"([["100","1"],["99","2"],["98","3"]])";
const std::string k_a = R"([["101","1"],["102","2"],["103","3"]])";

// The book's levels as text, both sides, for "untouched" comparisons.
std::string dump(const book::tracked_book& tb) {
  std::string out = std::string(book::to_string(tb.status)) + "|";
  for (side s : {side::bid, side::ask})
    for (std::size_t i = 0; i < tb.book.size(s); ++i) out += lvl(tb, s, i) + ",";
  return out + "|" + (tb.last_update_id ? std::to_string(*tb.last_update_id) : "-");
}

void require_resubscribe(harness& h, core::errc why) {
  auto r = h.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].what == request::kind::resubscribe);
  CHECK(r[0].symbol == "BTCUSDT");
  CHECK(r[0].reason == why);
}

}  // namespace

TEST_CASE("bybit: snapshot then the documentation's delta", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(bybit_test::k_doc_snapshot).ok());
  auto& tb = h.tb();
  CHECK(tb.live());
  CHECK(tb.counters.snapshots == 1);
  REQUIRE(h.frame(R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT","b":[["30247.20","30.028"],["30245.40","0.224"],["30242.10","1.593"],["30240.30","1.305"],["30240.00","0"]],"a":[["30248.70","0"],["30249.30","0.892"],["30249.50","1.778"],["30249.60","0"],["30251.90","2.947"],["30252.20","0.659"],["30252.50","4.591"]],"u":177400507,"seq":66544703342},"cts":1687940967464})")
              .ok());
  CHECK(tb.live());
  CHECK(tb.counters.updates_applied == 1);
  CHECK(*tb.last_update_id == 177400507);
  CHECK(tb.last_event_time == core::from_millis(1687940967464));
  REQUIRE(tb.book.size(side::bid) == 5);
  REQUIRE(tb.book.size(side::ask) == 6);
  CHECK(lvl(tb, side::bid, 0) == "30247.2/30.028");
  CHECK(lvl(tb, side::bid, 1) == "30245.4/0.224");
  CHECK(lvl(tb, side::bid, 2) == "30242.1/1.593");
  CHECK(lvl(tb, side::bid, 3) == "30240.3/1.305");
  CHECK(lvl(tb, side::bid, 4) == "30239/4");
  CHECK(lvl(tb, side::ask, 0) == "30249.3/0.892");
  CHECK(lvl(tb, side::ask, 1) == "30249.5/1.778");
  CHECK(lvl(tb, side::ask, 2) == "30251.9/2.947");
  CHECK(lvl(tb, side::ask, 3) == "30252.2/0.659");
  CHECK(lvl(tb, side::ask, 4) == "30252.5/4.591");
  CHECK(lvl(tb, side::ask, 5) == "30253/8");
  CHECK(h.take().empty());
}

TEST_CASE("bybit: deltas before any snapshot are dropped", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(delta(10, k_b, k_a)).ok());
  CHECK(h.tb().status == book::book_status::syncing);
  CHECK(h.tb().counters.dropped == 1);
  CHECK(h.tb().book.empty());
  REQUIRE(h.frame(snap(11, k_b, k_a)).ok());
  REQUIRE(h.frame(delta(12, R"([["100","5"]])", "[]")).ok());
  CHECK(h.tb().live());
  CHECK(lvl(h.tb(), side::bid, 0) == "100/5");
  CHECK(h.take().empty());
}

TEST_CASE("bybit: a gap in u invalidates and resubscribes; a snapshot recovers", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(snap(100, k_b, k_a)).ok());
  REQUIRE(h.frame(delta(101, R"([["100","4"]])", "[]")).ok());
  REQUIRE(h.frame(delta(103, R"([["100","9"]])", "[]")).ok());  // 102 missing
  auto& tb = h.tb();
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.counters.gaps == 1);
  CHECK(tb.counters.resyncs == 1);
  CHECK(tb.book.empty());
  CHECK(tb.last_error.code == core::errc::sequence_gap);
  require_resubscribe(h, core::errc::sequence_gap);
  // Later deltas cannot help: dropped until the fresh snapshot.
  REQUIRE(h.frame(delta(104, R"([["100","9"]])", "[]")).ok());
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.counters.dropped == 1);
  CHECK(h.take().empty());
  REQUIRE(h.frame(snap(500, k_b, k_a)).ok());
  CHECK(tb.live());
  REQUIRE(h.frame(delta(501, "[]", R"([["101","0"]])")).ok());
  CHECK(tb.live());
  CHECK(lvl(tb, side::ask, 0) == "102/2");
}

TEST_CASE("bybit: duplicate and out-of-order deltas invalidate the book", "[bybit][sync]") {
  SECTION("duplicate u") {
    harness h;
    REQUIRE(h.frame(snap(100, k_b, k_a)).ok());
    REQUIRE(h.frame(delta(101, R"([["100","4"]])", "[]")).ok());
    REQUIRE(h.frame(delta(101, R"([["100","4"]])", "[]")).ok());
    CHECK(h.tb().status == book::book_status::invalid);
    CHECK(h.tb().counters.gaps == 1);
    require_resubscribe(h, core::errc::sequence_gap);
  }
  SECTION("older u") {
    harness h;
    REQUIRE(h.frame(snap(100, k_b, k_a)).ok());
    REQUIRE(h.frame(delta(99, R"([["100","4"]])", "[]")).ok());
    CHECK(h.tb().status == book::book_status::invalid);
    require_resubscribe(h, core::errc::sequence_gap);
  }
}

TEST_CASE("bybit: u == 1 is a service restart that overwrites the book", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(snap(7000, k_b, k_a)).ok());
  REQUIRE(h.frame(delta(7001, R"([["97","1"]])", "[]")).ok());
  SECTION("restart snapshot") {
    REQUIRE(h.frame(snap(1, R"([["50","1"]])", R"([["51","1"]])")).ok());
  }
  SECTION("restart as a delta with u == 1 still overwrites") {
    REQUIRE(h.frame(delta(1, R"([["50","1"]])", R"([["51","1"]])")).ok());
  }
  auto& tb = h.tb();
  CHECK(tb.live());
  CHECK(tb.counters.gaps == 0);
  CHECK(tb.counters.resyncs == 0);
  CHECK(*tb.last_update_id == 1);
  CHECK(tb.book.size(side::bid) == 1);
  CHECK(tb.book.size(side::ask) == 1);
  CHECK(lvl(tb, side::bid, 0) == "50/1");
  REQUIRE(h.frame(delta(2, R"([["49","3"]])", "[]")).ok());
  CHECK(tb.live());
  CHECK(tb.book.size(side::bid) == 2);
  CHECK(h.take().empty());
}

TEST_CASE("bybit: any later snapshot resets the book", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(snap(100, k_b, k_a)).ok());
  REQUIRE(h.frame(delta(101, R"([["97","1"]])", R"([["104","1"]])")).ok());
  CHECK(h.tb().book.size(side::bid) == 4);
  // A re-sent snapshot (Bybit does so on internal issues), u unrelated to the previous one.
  REQUIRE(h.frame(snap(90, R"([["100","7"]])", R"([["101","8"]])")).ok());
  auto& tb = h.tb();
  CHECK(tb.live());
  CHECK(tb.book.size(side::bid) == 1);
  CHECK(tb.book.size(side::ask) == 1);
  CHECK(lvl(tb, side::bid, 0) == "100/7");
  CHECK(tb.counters.snapshots == 2);
  CHECK(tb.counters.gaps == 0);
  REQUIRE(h.frame(delta(91, R"([["99","1"]])", "[]")).ok());
  CHECK(tb.live());
  CHECK(h.take().empty());
}

TEST_CASE("bybit: level 1 re-pushes snapshots with the same u", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(snap(72212457, R"([["63705.3","2.045546"]])", R"([["63705.4","2.334566"]])", 1)).ok());
  REQUIRE(h.frame(snap(72212457, R"([["63705.3","2.045546"]])", R"([["63705.4","2.334566"]])", 1)).ok());
  REQUIRE(h.frame(snap(72212458, R"([["63705.3","2.014151"]])", R"([["63705.4","2.334566"]])", 1)).ok());
  auto& tb = h.tb();
  CHECK(tb.live());
  CHECK(tb.counters.snapshots == 3);
  CHECK(tb.counters.gaps == 0);
  CHECK(tb.counters.resyncs == 0);
  CHECK(lvl(tb, side::bid, 0) == "63705.3/2.014151");
  CHECK(h.take().empty());
}

TEST_CASE("bybit: crossed or locked after a message invalidates; snapshot recovers", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(snap(100, k_b, k_a)).ok());
  SECTION("crossed by a delta") { REQUIRE(h.frame(delta(101, R"([["102","1"]])", "[]")).ok()); }
  SECTION("locked by a delta") { REQUIRE(h.frame(delta(101, R"([["101","1"]])", "[]")).ok()); }
  SECTION("crossed snapshot") { REQUIRE(h.frame(snap(101, R"([["105","1"]])", R"([["104","1"]])")).ok()); }
  auto& tb = h.tb();
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.counters.crossed == 1);
  CHECK(tb.book.empty());
  require_resubscribe(h, core::errc::crossed_book);
  REQUIRE(h.frame(delta(102, "[]", "[]")).ok());
  CHECK(tb.status == book::book_status::invalid);
  REQUIRE(h.frame(snap(200, k_b, k_a)).ok());
  CHECK(tb.live());
}

TEST_CASE("bybit: truncation to the topic's depth and top_n coverage", "[bybit][sync]") {
  harness h;
  // 60 bid levels 1000..941 on an orderbook.50 topic: Bybit never shows more than 50.
  std::string bids = "[";
  for (int i = 0; i < 60; ++i) bids += (i ? "," : "") + std::string("[\"") + std::to_string(1000 - i) + "\",\"1\"]";
  bids += "]";
  REQUIRE(h.frame(snap(1000, bids, R"([["1001","1"]])")).ok());
  auto& tb = h.tb();
  CHECK(tb.book.size(side::bid) == 50);
  CHECK(lvl(tb, side::bid, 49) == "951/1");
  CHECK(tb.book.get_coverage(side::bid).k == book::coverage::kind::to_nth_level);
  CHECK(tb.book.get_coverage(side::bid).n == 50);
  // The bid side shows 50 levels: known down to the 50th; the ask side (1 level) is complete.
  REQUIRE(tb.book.coverage_key(side::bid).has_value());
  CHECK(*tb.book.coverage_key(side::bid) == 951 * core::pow10_i64(tb.book.price_scale()));
  CHECK_FALSE(tb.book.coverage_key(side::ask).has_value());
  // A delta inserting a better bid pushes the 50th level out.
  REQUIRE(h.frame(delta(1001, R"([["1000.5","1"]])", "[]")).ok());
  CHECK(tb.book.size(side::bid) == 50);
  CHECK(lvl(tb, side::bid, 0) == "1000.5/1");
  CHECK(lvl(tb, side::bid, 49) == "952/1");
}

TEST_CASE("bybit: depth comes from the topic; other depths of the symbol are ignored", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(snap(10, R"([["100","1"],["99","1"]])", R"([["101","1"],["102","1"]])", 1)).ok());
  auto& tb = h.tb();
  CHECK(tb.book.size(side::bid) == 1);  // orderbook.1: one level per side
  CHECK(tb.book.get_coverage(side::ask).n == 1);
  REQUIRE(h.frame(snap(500, k_b, k_a, 50)).ok());
  CHECK(h.p->counters().ignored == 1);
  CHECK(tb.counters.snapshots == 1);
  CHECK(tb.book.size(side::bid) == 1);

  harness fixed({"BTCUSDT"}, {{"depth", "50"}});
  REQUIRE(fixed.frame(snap(10, k_b, k_a, 1)).ok());
  CHECK(fixed.tb().status == book::book_status::syncing);
  CHECK(fixed.p->counters().ignored == 1);
  REQUIRE(fixed.frame(snap(11, k_b, k_a, 50)).ok());
  CHECK(fixed.tb().live());
}

TEST_CASE("bybit: unknown symbols and malformed frames leave every book untouched", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(snap(100, k_b, k_a)).ok());
  const std::string before = bybit_test::lvl(h.tb(), side::bid, 0);
  const std::string state = dump(h.tb());
  REQUIRE(h.frame(snap(1, k_b, k_a, 50, "ETHUSDT")).ok());
  CHECK(h.p->counters().unknown_symbol == 1);
  CHECK(h.p->books().size() == 1);
  const std::string bad[] = {
      delta(101, R"([["100","4"]])", "[]").substr(0, 60),                                    // truncated
      R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["100",4]],"a":[],"u":"101"}})",  // wrong type
      R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["100","99999999999999999999"]],"a":[],"u":101}})",  // huge
      R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["100","-4"]],"a":[],"u":101}})",
      R"({"topic":"orderbook.50.BTCUSDT","type":"resync","data":{"b":[],"a":[],"u":101}})",  // unknown
      R"({"topic":"secret.BTCUSDT","data":{}})",
  };
  for (const auto& f : bad) {
    INFO(f);
    CHECK_FALSE(h.frame(f).ok());
    CHECK(dump(h.tb()) == state);
  }
  CHECK(h.p->counters().malformed == 4);
  CHECK(h.p->counters().unknown == 2);
  CHECK(h.take().empty());
  // The sequence continues where it was: the bad frames consumed no u.
  REQUIRE(h.frame(delta(101, R"([["100","4"]])", "[]")).ok());
  CHECK(h.tb().live());
  CHECK(lvl(h.tb(), side::bid, 0) == "100/4");
  CHECK(before == "100/1");
}

TEST_CASE("bybit: values the book cannot hold exactly invalidate instead of rounding", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(snap(100, R"([["123456789012345678","1"]])", R"([["123456789012345679","1"]])")).ok());
  CHECK(h.tb().live());
  // 18 decimals would need 10^18 × 1.2e17: not representable, so the book cannot follow.
  REQUIRE(h.frame(delta(101, R"([["0.000000000000000001","1"]])", "[]")).ok());
  CHECK(h.tb().status == book::book_status::invalid);
  require_resubscribe(h, core::errc::precision_loss);
}

TEST_CASE("bybit: empty sides are valid and have no mid", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(snap(5, "[]", "[]")).ok());
  CHECK(h.tb().live());
  CHECK(h.tb().book.empty());
  REQUIRE(h.frame(delta(6, R"([["100","1"]])", "[]")).ok());
  CHECK(h.tb().live());
  CHECK_FALSE(h.tb().book.best(side::ask).has_value());
}

TEST_CASE("bybit: disconnect, REST snapshots, counters", "[bybit][sync]") {
  harness h;
  REQUIRE(h.frame(snap(100, k_b, k_a)).ok());
  REQUIRE(h.frame(R"({"success":true,"ret_msg":"pong","conn_id":"x","op":"ping"})").ok());
  REQUIRE(h.frame(R"({"topic":"publicTrade.BTCUSDT","ts":1,"type":"snapshot","data":[]})").ok());
  CHECK(h.p->counters().control == 1);
  CHECK(h.p->counters().ignored == 1);
  CHECK(h.p->counters().book_messages == 1);
  core::padded_buffer b;
  CHECK(h.p->on_snapshot("BTCUSDT", b.assign("{}"), 0).code() == core::errc::invalid_argument);
  h.p->on_disconnect();
  CHECK(h.tb().status == book::book_status::syncing);
  CHECK(h.tb().book.empty());
  REQUIRE(h.frame(delta(101, R"([["100","4"]])", "[]")).ok());
  CHECK(h.tb().status == book::book_status::syncing);  // needs a new snapshot
  REQUIRE(h.frame(snap(7, k_b, k_a)).ok());
  CHECK(h.tb().live());
}

// Regression (issue 6): every failure to apply levels was reported as precision_loss. A size too
// large for the book's size scale (grown by a dust size) is number_overflow, and is counted so.
TEST_CASE("bybit: a failure keeps its real reason", "[bybit][sync][regression]") {
  harness h;
  REQUIRE(h.frame(snap(100, R"([["100","0.0000000001"]])", R"([["101","1"]])")).ok());
  REQUIRE(h.tb().live());
  REQUIRE(h.frame(delta(101, "[]", R"([["102","1000000000"]])")).ok());
  CHECK(h.tb().status == book::book_status::invalid);
  CHECK(h.tb().last_error.code == core::errc::number_overflow);
  CHECK(h.tb().counters.resyncs_for(book::resync_reason::number_overflow) == 1);
  CHECK(h.tb().counters.resyncs_for(book::resync_reason::precision_loss) == 0);
  require_resubscribe(h, core::errc::number_overflow);
}
