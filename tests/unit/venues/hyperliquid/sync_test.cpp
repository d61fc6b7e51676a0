// Hyperliquid sync: full replacement, empty books, ordering by time, coverage, crossed books.
#include "venues/hyperliquid/sync.hpp"

#include <catch2/catch.hpp>

#include "depth/band_tracker.hpp"
#include "harness.hpp"

using namespace depthmon;
using core::side;
using hl_test::harness;
using hl_test::l2;
using hl_test::lvl;
using hl_test::side_json;
using venues::request;

namespace {

// n levels from `start` moving away from the touch by `step_tenths` / 10 each.
std::string ladder(side s, int n, int start, int step_tenths, const char* sz = "1") {
  std::string out = "[";
  for (int i = 0; i < n; ++i) {
    if (i) out += ",";
    const int tenths = start * 10 + (s == side::bid ? -1 : 1) * i * step_tenths;
    out += R"({"px":")" + std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) +
           R"(","sz":")" + sz + R"(","n":1})";
  }
  return out + "]";
}

}  // namespace

TEST_CASE("hyperliquid: every message replaces the whole book", "[hyperliquid][sync]") {
  harness h;
  REQUIRE(h.frame(l2("BTC", 1000, side_json({{"100", "1"}, {"99", "2"}, {"98", "3"}}), side_json({{"101", "1"}, {"102", "2"}}))).ok());
  auto& tb = h.tb();
  CHECK(tb.symbol == "BTC");
  CHECK(tb.live());
  CHECK(tb.book.size(side::bid) == 3);
  REQUIRE(h.frame(l2("BTC", 1500, side_json({{"100.5", "4"}}), side_json({{"101", "9"}}))).ok());
  CHECK(tb.live());
  CHECK(tb.book.size(side::bid) == 1);
  CHECK(tb.book.size(side::ask) == 1);
  CHECK(lvl(tb, side::bid, 0) == "100.5/4");
  CHECK(lvl(tb, side::ask, 0) == "101/9");
  CHECK(tb.counters.snapshots == 2);
  CHECK(*tb.last_update_id == 1500);
  CHECK(tb.last_event_time == core::from_millis(1500));
  CHECK(h.take().empty());
}

TEST_CASE("hyperliquid: empty sides are valid, no mid, no crash", "[hyperliquid][sync]") {
  harness h;
  depth::band_tracker* tracker = nullptr;
  REQUIRE(h.frame(l2("SHIA", 1, "[]", "[]")).ok());
  auto& tb = h.tb();
  CHECK(tb.live());
  CHECK(tb.book.empty());
  depth::band_tracker t(tb.book, depth::default_bands());
  tracker = &t;
  auto dv = tracker->compute();
  CHECK_FALSE(dv.has_mid);
  // One side only: still no mid.
  REQUIRE(h.frame(l2("SHIA", 2, side_json({{"0.001", "5"}}), "[]")).ok());
  dv = tracker->compute();
  CHECK_FALSE(dv.has_mid);
  CHECK(tb.live());
  REQUIRE(h.frame(l2("SHIA", 3, side_json({{"0.001", "5"}}), side_json({{"0.002", "5"}}))).ok());
  dv = tracker->compute();
  CHECK(dv.has_mid);
  REQUIRE(h.frame(l2("SHIA", 4, "[]", "[]")).ok());
  dv = tracker->compute();
  CHECK_FALSE(dv.has_mid);
}

TEST_CASE("hyperliquid: out-of-order messages are dropped, duplicates replace", "[hyperliquid][sync]") {
  harness h;
  REQUIRE(h.frame(l2("ETH", 2000, side_json({{"10", "1"}}), side_json({{"11", "1"}}))).ok());
  REQUIRE(h.frame(l2("ETH", 1999, side_json({{"9", "1"}}), side_json({{"12", "1"}}))).ok());
  auto& tb = h.tb();
  CHECK(tb.live());
  CHECK(tb.counters.dropped == 1);
  CHECK(lvl(tb, side::bid, 0) == "10/1");
  REQUIRE(h.frame(l2("ETH", 2000, side_json({{"10", "1"}}), side_json({{"11", "1"}}))).ok());
  CHECK(tb.counters.snapshots == 2);
  CHECK(tb.live());
  CHECK(h.take().empty());
}

// Regression (issue 6): every crossed message queued a resubscribe, a storm at 2 messages/s while
// a book stays crossed; every l2Book message is the whole book, so the next one recovers.
TEST_CASE("hyperliquid: crossed or locked invalidates, the next full message recovers", "[hyperliquid][sync][regression]") {
  harness h;
  REQUIRE(h.frame(l2("BTC", 1, side_json({{"100", "1"}}), side_json({{"101", "1"}}))).ok());
  SECTION("crossed") { REQUIRE(h.frame(l2("BTC", 2, side_json({{"102", "1"}}), side_json({{"101", "1"}}))).ok()); }
  SECTION("locked") { REQUIRE(h.frame(l2("BTC", 2, side_json({{"101", "1"}}), side_json({{"101", "1"}}))).ok()); }
  auto& tb = h.tb();
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.counters.crossed == 1);
  CHECK(tb.counters.resyncs == 1);
  CHECK(tb.book.empty());
  CHECK(tb.last_error.code == core::errc::crossed_book);
  CHECK(h.take().empty());  // nothing to request
  for (int t = 3; t < 13; ++t)  // stays crossed for ten more messages: still no request
    REQUIRE(h.frame(l2("BTC", t, side_json({{"102", "1"}}), side_json({{"101", "1"}}))).ok());
  CHECK(h.take().empty());
  CHECK(tb.counters.crossed == 11);
  REQUIRE(h.frame(l2("BTC", 13, side_json({{"100", "2"}}), side_json({{"101", "2"}}))).ok());
  CHECK(tb.live());
  CHECK(lvl(tb, side::bid, 0) == "100/2");
}

// Regression (issue 6): a load failure was relabelled precision_loss whatever it was.
TEST_CASE("hyperliquid: a failure keeps its real reason", "[hyperliquid][sync][regression]") {
  harness h;
  // A dust size grows the size scale to 10 digits; 1e9 at that scale does not fit int64.
  REQUIRE(h.frame(l2("BTC", 1, side_json({{"100", "0.0000000001"}, {"99", "1000000000"}}),
                     side_json({{"101", "1"}}))).ok());
  auto& tb = h.tb();
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.last_error.code == core::errc::number_overflow);
  CHECK(tb.counters.resyncs_for(book::resync_reason::number_overflow) == 1);
  CHECK(h.take().empty());
}

TEST_CASE("hyperliquid: coverage is the levels shown (20, or the levels setting)", "[hyperliquid][sync]") {
  // 20 bid levels 0.5 apart from 1000 reach only 990.5: a ±2 % band (edge ≈ 980.5) lies
  // beyond the 20th level, so it is incomplete; asks with fewer than 20 levels show the whole
  // side.
  harness h;
  REQUIRE(h.frame(l2("BTC", 1, ladder(side::bid, 20, 1000, 5), ladder(side::ask, 3, 1001, 5))).ok());
  auto& tb = h.tb();
  depth::band_tracker t(tb.book, *depth::parse_bands("0.5,2"));
  auto dv = t.compute();
  REQUIRE(dv.has_mid);
  CHECK(dv.bands[0][side::bid].complete);   // 0.5 %: edge ≈ 995.5, inside 20 levels
  CHECK_FALSE(dv.bands[1][side::bid].complete);
  CHECK(dv.bands[1][side::ask].complete);
  CHECK(tb.book.get_coverage(side::bid).n == 20);

  harness five({}, {{"fast", "true"}});
  REQUIRE(five.frame(l2("BTC", 1, ladder(side::bid, 5, 1000, 10), ladder(side::ask, 5, 1001, 10))).ok());
  CHECK(five.tb().book.get_coverage(side::bid).n == 5);
  REQUIRE(five.tb().book.coverage_key(side::bid).has_value());

  // Aggregated buckets (nSigFigs): 20 buckets of 10 cover ±2 % — levels count as received.
  harness agg({}, {{"nsigfigs", "3"}});
  REQUIRE(agg.frame(l2("BTC", 1, ladder(side::bid, 20, 1000, 100), ladder(side::ask, 20, 1010, 100))).ok());
  depth::band_tracker ta(agg.tb().book, *depth::parse_bands("2"));
  dv = ta.compute();
  CHECK(dv.bands[0][side::bid].complete);
  CHECK(dv.bands[0][side::ask].complete);
  // mid 1005: bids >= 984.9 are 1000 and 990; asks <= 1025.1 are 1010 and 1020.
  CHECK(dv.bands[0][side::bid].qty == 2);
  CHECK(dv.bands[0][side::ask].qty == 2);
}

TEST_CASE("hyperliquid: malformed and unknown frames touch no book", "[hyperliquid][sync]") {
  harness h({"BTC"});
  REQUIRE(h.frame(l2("BTC", 10, side_json({{"100", "1"}}), side_json({{"101", "1"}}))).ok());
  auto& tb = h.tb();
  const std::string bad[] = {
      l2("BTC", 11, side_json({{"99", "1"}}), side_json({{"101", "1"}})).substr(0, 70),      // truncated
      R"({"channel":"l2Book","data":{"coin":"BTC","time":11,"levels":[[{"px":99,"sz":true}],[]]}})",  // wrong type
      R"({"channel":"l2Book","data":{"coin":"BTC","time":11,"levels":[[{"px":"99","sz":"123456789012345678901"}],[]]}})",
      R"({"channel":"l2Book","data":{"coin":"BTC","time":11,"levels":[[{"px":"99","sz":"1"}]]}})",
      R"({"channel":"l2Book","data":{"coin":"BTC","time":11,"levels":[[{"px":"-99","sz":"1"}],[]]}})",
      R"({"channel":"orderBookL4","data":{}})",  // unknown
  };
  for (const auto& f : bad) {
    INFO(f);
    CHECK_FALSE(h.frame(f).ok());
    CHECK(tb.live());
    CHECK(lvl(tb, side::bid, 0) == "100/1");
    CHECK(*tb.last_update_id == 10);
  }
  CHECK(h.p->counters().malformed == 5);
  CHECK(h.p->counters().unknown == 1);
  REQUIRE(h.frame(l2("ETH", 11, "[]", "[]")).ok());
  CHECK(h.p->counters().unknown_symbol == 1);
  CHECK(h.p->books().size() == 1);
  CHECK(h.take().empty());
  h.p->on_disconnect();
  CHECK(tb.status == book::book_status::syncing);
  CHECK(tb.book.empty());
  // A new connection's first message is accepted whatever its time.
  REQUIRE(h.frame(l2("BTC", 5, side_json({{"100", "2"}}), side_json({{"101", "2"}}))).ok());
  CHECK(tb.live());
}
