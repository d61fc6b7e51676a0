// Bitstamp sync: buffering, microtimestamp alignment, stale snapshots, ordering, crossed books,
// coverage, reconnect requests.
#include "venues/bitstamp/sync.hpp"

#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace depthmon;
using bts_test::diff;
using bts_test::harness;
using bts_test::lvl;
using bts_test::rest;
using core::side;
using venues::request;

namespace {

const std::string k_b = R"([["100","1"],["99","2"],["98","3"]])";
const std::string k_a = R"([["101","1"],["102","2"],["103","3"]])";

void require_fetch(harness& h, core::errc why) {
  auto r = h.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].what == request::kind::fetch_snapshot);
  CHECK(r[0].symbol == "tstusd");
  CHECK(r[0].reason == why);
}

}  // namespace

TEST_CASE("bitstamp: diffs buffer until the snapshot, then align by microtimestamp", "[bitstamp][sync]") {
  harness h;
  REQUIRE(h.frame(diff(90, R"([["100","5"]])", "[]")).ok());    // contained in the snapshot
  REQUIRE(h.frame(diff(100, R"([["100","6"]])", "[]")).ok());   // == snapshot: contained too
  REQUIRE(h.frame(diff(110, R"([["99","0"]])", R"([["101.5","4"]])")).ok());
  auto& tb = h.tb();
  CHECK(tb.status == book::book_status::syncing);
  CHECK(tb.book.empty());
  REQUIRE(h.snapshot(rest(100, k_b, k_a)).ok());
  CHECK(tb.live());
  CHECK(tb.counters.snapshots == 1);
  CHECK(tb.counters.dropped == 2);
  CHECK(tb.counters.updates_applied == 1);
  CHECK(*tb.last_update_id == 110);
  CHECK(tb.last_event_time == core::from_micros(110));
  CHECK(lvl(tb, side::bid, 0) == "100/1");
  CHECK(lvl(tb, side::bid, 1) == "98/3");  // 99 deleted by "0"
  CHECK(lvl(tb, side::ask, 0) == "101/1");
  CHECK(lvl(tb, side::ask, 1) == "101.5/4");
  CHECK(tb.book.get_coverage(side::bid).k == book::coverage::kind::full);
  REQUIRE(h.frame(diff(120, R"([["97","0"]])", R"([["101","0.00000000"]])")).ok());  // absent level: no-op
  CHECK(lvl(tb, side::ask, 0) == "101.5/4");
  CHECK(tb.counters.updates_applied == 2);
  CHECK(h.take().empty());
}

TEST_CASE("bitstamp: a snapshot older than the oldest buffered diff is stale", "[bitstamp][sync]") {
  harness h;
  REQUIRE(h.frame(diff(200, R"([["100","5"]])", "[]")).ok());
  REQUIRE(h.frame(diff(210, R"([["100","6"]])", "[]")).ok());
  REQUIRE(h.snapshot(rest(150, k_b, k_a)).ok());
  auto& tb = h.tb();
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.last_error.code == core::errc::stale_snapshot);
  CHECK(tb.counters.snapshots == 0);
  require_fetch(h, core::errc::stale_snapshot);
  // The buffer survived: a newer snapshot aligns it.
  REQUIRE(h.frame(diff(220, R"([["100","7"]])", "[]")).ok());
  REQUIRE(h.snapshot(rest(205, k_b, k_a)).ok());
  CHECK(tb.live());
  CHECK(tb.counters.dropped == 1);          // 200
  CHECK(tb.counters.updates_applied == 2);  // 210, 220
  CHECK(lvl(tb, side::bid, 0) == "100/7");
  CHECK(h.take().empty());
}

TEST_CASE("bitstamp: buffer overflow discards the oldest and tightens alignment", "[bitstamp][sync]") {
  harness h({"tstusd"}, 2);
  REQUIRE(h.frame(diff(10, R"([["100","5"]])", "[]")).ok());
  REQUIRE(h.frame(diff(20, R"([["100","6"]])", "[]")).ok());
  REQUIRE(h.frame(diff(30, R"([["100","7"]])", "[]")).ok());  // 10 is discarded
  auto& tb = h.tb();
  CHECK(tb.counters.dropped == 1);
  SECTION("snapshot older than a discarded diff: stale") {
    REQUIRE(h.snapshot(rest(5, k_b, k_a)).ok());
    CHECK(tb.status == book::book_status::invalid);
    require_fetch(h, core::errc::stale_snapshot);
  }
  SECTION("snapshot containing every discarded diff: aligned") {
    REQUIRE(h.snapshot(rest(12, k_b, k_a)).ok());
    CHECK(tb.live());
    CHECK(tb.counters.updates_applied == 2);
    CHECK(lvl(tb, side::bid, 0) == "100/7");
  }
}

TEST_CASE("bitstamp: out-of-order diffs invalidate and refetch; equal times apply", "[bitstamp][sync]") {
  harness h;
  REQUIRE(h.snapshot(rest(100, k_b, k_a)).ok());
  REQUIRE(h.frame(diff(120, R"([["100","2"]])", "[]")).ok());
  REQUIRE(h.frame(diff(120, R"([["100","3"]])", "[]")).ok());  // same µs: applied
  auto& tb = h.tb();
  CHECK(tb.live());
  CHECK(lvl(tb, side::bid, 0) == "100/3");
  REQUIRE(h.frame(diff(110, R"([["100","9"]])", "[]")).ok());  // older than 120, newer than the snapshot
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.counters.gaps == 1);
  require_fetch(h, core::errc::sequence_gap);
  REQUIRE(h.frame(diff(130, R"([["100","4"]])", "[]")).ok());
  REQUIRE(h.snapshot(rest(125, k_b, k_a)).ok());
  // The buffered out-of-order diff (110) is older than the new snapshot: dropped; 130 applies.
  CHECK(tb.live());
  CHECK(lvl(tb, side::bid, 0) == "100/4");
}

TEST_CASE("bitstamp: crossed after a diff (or in the snapshot) refetches", "[bitstamp][sync]") {
  harness h;
  SECTION("diff") {
    REQUIRE(h.snapshot(rest(100, k_b, k_a)).ok());
    REQUIRE(h.frame(diff(110, R"([["101","1"]])", "[]")).ok());  // locked
  }
  SECTION("snapshot") { REQUIRE(h.snapshot(rest(100, R"([["105","1"]])", k_a)).ok()); }
  auto& tb = h.tb();
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.counters.crossed == 1);
  CHECK(tb.book.empty());
  require_fetch(h, core::errc::crossed_book);
  REQUIRE(h.frame(diff(300, R"([["99","9"]])", "[]")).ok());
  CHECK(tb.status == book::book_status::invalid);  // buffered
  REQUIRE(h.snapshot(rest(300, k_b, k_a)).ok());
  CHECK(tb.live());
  CHECK(lvl(tb, side::bid, 1) == "99/2");  // the 300 diff is contained in the snapshot
}

TEST_CASE("bitstamp: malformed frames and bodies touch no book", "[bitstamp][sync]") {
  harness h;
  REQUIRE(h.snapshot(rest(100, k_b, k_a)).ok());
  auto& tb = h.tb();
  const std::string bad[] = {
      diff(110, R"([["100","2"]])", "[]").substr(0, 50),
      R"({"data":{"microtimestamp":"110","bids":[["100",2]],"asks":[[]]},"channel":"diff_order_book_tstusd","event":"data"})",
      R"({"data":{"microtimestamp":"110","bids":[["100","1e99"]],"asks":[]},"channel":"diff_order_book_tstusd","event":"data"})",
      R"({"data":{"microtimestamp":"x","bids":[["100","2"]],"asks":[]},"channel":"diff_order_book_tstusd","event":"data"})",
      R"({"event":"bts:surprise"})",
  };
  for (const auto& f : bad) {
    INFO(f);
    CHECK_FALSE(h.frame(f).ok());
    CHECK(tb.live());
    CHECK(lvl(tb, side::bid, 0) == "100/1");
    CHECK(*tb.last_update_id == 100);
  }
  CHECK(h.p->counters().malformed == 4);
  CHECK(h.p->counters().unknown == 1);
  CHECK_FALSE(h.snapshot(R"({"microtimestamp": "200", "bids": [["1", "1"]]})").ok());
  CHECK_FALSE(h.snapshot(R"({"microtimestamp": "200", "bids": [["1", "1"]], "asks": [["0.5", "-1"]]})").ok());
  CHECK(h.snapshot(R"({"status": "error", "reason": "Too many requests"})").code() == core::errc::unknown_message);
  CHECK(lvl(tb, side::bid, 0) == "100/1");
  CHECK(tb.live());
  CHECK(h.snapshot(rest(200, k_b, k_a), "otherpair").code() == core::errc::unknown_symbol);
  REQUIRE(h.frame(diff(150, "[]", "[]", "otherpair")).ok());
  CHECK(h.p->counters().unknown_symbol == 1);
  CHECK(h.take().empty());
}

TEST_CASE("bitstamp: unsolicited snapshots, reconnect notices, disconnect", "[bitstamp][sync]") {
  harness h;
  REQUIRE(h.snapshot(rest(100, k_b, k_a)).ok());
  REQUIRE(h.frame(diff(150, R"([["100","2"]])", "[]")).ok());
  auto& tb = h.tb();
  REQUIRE(h.snapshot(rest(120, k_b, k_a)).ok());  // older than the live book: ignored
  CHECK(tb.live());
  CHECK(tb.counters.snapshots == 1);
  CHECK(lvl(tb, side::bid, 0) == "100/2");
  REQUIRE(h.snapshot(rest(160, R"([["100","8"]])", k_a)).ok());  // newer: replaces
  CHECK(tb.counters.snapshots == 2);
  CHECK(lvl(tb, side::bid, 0) == "100/8");
  REQUIRE(h.frame(diff(155, R"([["100","1"]])", "[]")).ok());
  CHECK(lvl(tb, side::bid, 0) == "100/8");

  REQUIRE(h.frame(R"({"event":"bts:request_reconnect","channel":"","data":""})").ok());
  auto r = h.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].what == request::kind::reconnect);
  h.p->on_disconnect();
  CHECK(tb.status == book::book_status::syncing);
  CHECK(tb.book.empty());
  CHECK_FALSE(tb.last_update_id.has_value());
}

TEST_CASE("bitstamp: coverage is the full book unless a snapshot limit applies", "[bitstamp][sync]") {
  harness limited({"tstusd"}, 100, 3);
  REQUIRE(limited.snapshot(rest(100, k_b, R"([["101","1"]])")).ok());
  auto& tb = limited.tb();
  // Bids returned 3 = the limit: known down to 98. Asks returned fewer: the whole side.
  CHECK(tb.book.get_coverage(side::bid).k == book::coverage::kind::to_price);
  CHECK(tb.book.get_coverage(side::bid).price == 98 * core::pow10_i64(tb.book.price_scale()));
  CHECK(tb.book.get_coverage(side::ask).k == book::coverage::kind::full);
  harness full;
  REQUIRE(full.snapshot(rest(100, k_b, k_a)).ok());
  CHECK(full.tb().book.get_coverage(side::bid).k == book::coverage::kind::full);
  CHECK(full.tb().book.get_coverage(side::ask).k == book::coverage::kind::full);
}

// Regression (issue 6): every failure to apply a diff or load a snapshot was reported as
// precision_loss. A size too large for the book's size scale is number_overflow.
TEST_CASE("bitstamp: a failure keeps its real reason", "[bitstamp][sync][regression]") {
  harness h;
  REQUIRE(h.snapshot(rest(100, R"([["100","0.0000000001"]])", R"([["101","1"]])")).ok());
  auto& tb = h.tb();
  REQUIRE(tb.live());
  REQUIRE(h.frame(diff(110, "[]", R"([["102","1000000000"]])")).ok());
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.last_error.code == core::errc::number_overflow);
  CHECK(tb.counters.resyncs_for(book::resync_reason::number_overflow) == 1);
  require_fetch(h, core::errc::number_overflow);
}

// A stale snapshot completes the fetch that was pending: the refetch it needs is queued (the
// one-pending-recovery rule must not swallow it).
TEST_CASE("bitstamp: a stale snapshot queues the next fetch", "[bitstamp][sync]") {
  harness h;
  REQUIRE(h.snapshot(rest(100, k_b, k_a)).ok());
  REQUIRE(h.frame(diff(120, R"([["100","2"]])", "[]")).ok());
  REQUIRE(h.frame(diff(110, R"([["100","9"]])", "[]")).ok());  // out of order
  require_fetch(h, core::errc::sequence_gap);
  REQUIRE(h.frame(diff(200, R"([["100","5"]])", "[]")).ok());
  REQUIRE(h.snapshot(rest(105, k_b, k_a)).ok());  // older than the buffered 110
  require_fetch(h, core::errc::stale_snapshot);
  REQUIRE(h.snapshot(rest(150, k_b, k_a)).ok());
  CHECK(h.tb().live());
  CHECK(h.take().empty());
}

TEST_CASE("bitstamp: a subscription ack confirms the pair, an unsubscription or restart clears it",
          "[bitstamp][sync]") {
  // The feed snapshots a quiet pair (no diff for minutes) once its subscription is confirmed.
  harness h({"tstusd", "ethusd"});
  CHECK_FALSE(h.p->subscription_confirmed("tstusd"));
  REQUIRE(h.frame(R"({"event":"bts:subscription_succeeded","channel":"diff_order_book_tstusd","data":{}})").ok());
  CHECK(h.p->subscription_confirmed("tstusd"));
  CHECK_FALSE(h.p->subscription_confirmed("ethusd"));  // another pair's ack is not this one's
  REQUIRE(h.frame(R"({"event":"bts:subscription_succeeded","channel":"live_trades_ethusd","data":{}})").ok());
  CHECK_FALSE(h.p->subscription_confirmed("ethusd"));  // a trades channel is not the book's
  REQUIRE(h.frame(R"({"event":"bts:unsubscription_succeeded","channel":"diff_order_book_tstusd","data":{}})").ok());
  CHECK_FALSE(h.p->subscription_confirmed("tstusd"));
  REQUIRE(h.frame(R"({"event":"bts:subscription_succeeded","channel":"diff_order_book_tstusd","data":{}})").ok());
  h.p->on_disconnect();
  CHECK_FALSE(h.p->subscription_confirmed("tstusd"));  // the new connection must confirm again
}
