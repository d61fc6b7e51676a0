#include "venues/binance/sync.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace depthmon;
using venues::request;

namespace {

struct harness {
  std::unique_ptr<venues::venue_protocol> p;
  core::padded_buffer buf;
  explicit harness(core::venue v = core::venue::binance, std::vector<std::string> syms = {"BNBBTC"}) {
    venues::protocol_options o;
    o.symbols = std::move(syms);
    o.max_buffered = 4;
    p = std::move(venues::make_protocol(v, o)).value();
  }
  core::status frame(const std::string& s) { return p->on_frame(buf.assign(s), 0); }
  core::status snapshot(const std::string& s, const std::string& sym = "BNBBTC") {
    return p->on_snapshot(sym, buf.assign(s), 0);
  }
  book::tracked_book& tb() { return *p->books().front(); }
  std::vector<request> take() {
    auto r = std::move(p->requests());
    p->requests().clear();
    return r;
  }
};

std::string spot(std::uint64_t U, std::uint64_t u, const std::string& b = "[]", const std::string& a = "[]",
                 const std::string& sym = "BNBBTC") {
  return R"({"e":"depthUpdate","E":1,"s":")" + sym + R"(","U":)" + std::to_string(U) + R"(,"u":)" +
         std::to_string(u) + R"(,"b":)" + b + R"(,"a":)" + a + "}";
}
std::string fut(std::uint64_t U, std::uint64_t u, std::uint64_t pu, const std::string& b = "[]",
                const std::string& a = "[]") {
  return R"({"e":"depthUpdate","E":1,"T":1,"s":"BNBBTC","U":)" + std::to_string(U) + R"(,"u":)" +
         std::to_string(u) + R"(,"pu":)" + std::to_string(pu) + R"(,"b":)" + b + R"(,"a":)" + a + "}";
}
std::string ticker(std::uint64_t u, const char* b, const char* B, const char* a, const char* A) {
  return std::string(R"({"u":)") + std::to_string(u) + R"(,"s":"BNBBTC","b":")" + b + R"(","B":")" + B +
         R"(","a":")" + a + R"(","A":")" + A + R"("})";
}
const std::string k_snap =
    R"({"lastUpdateId":100,"bids":[["10","1"],["9","2"]],"asks":[["11","1"],["12","2"]]})";

}  // namespace

TEST_CASE("spot: buffer, align to snapshot, apply in sequence", "[binance][sync]") {
  harness h;
  REQUIRE(h.frame(spot(95, 99, R"([["9","5"]])")).ok());   // older than the snapshot
  REQUIRE(h.frame(spot(100, 102, R"([["10","3"]])")).ok()); // straddles 101
  CHECK(h.tb().status == book::book_status::syncing);
  REQUIRE(h.snapshot(k_snap).ok());
  auto& tb = h.tb();
  CHECK(tb.status == book::book_status::live);
  CHECK(tb.counters.dropped == 1);
  CHECK(tb.counters.updates_applied == 1);
  CHECK(*tb.last_update_id == 102);
  CHECK(tb.book.best(core::side::bid)->qty == 3);
  REQUIRE(h.frame(spot(103, 103, "[]", R"([["11","0"]])")).ok());
  CHECK(tb.book.best(core::side::ask)->price == 12);
  // A duplicate / old event is dropped, not applied twice.
  REQUIRE(h.frame(spot(103, 103, "[]", R"([["11","7"]])")).ok());
  CHECK(tb.book.best(core::side::ask)->price == 12);
  CHECK(tb.counters.dropped == 2);
  CHECK(h.take().empty());
}

TEST_CASE("spot: a gap invalidates the book and asks for a snapshot", "[binance][sync]") {
  harness h;
  REQUIRE(h.snapshot(k_snap).ok());
  REQUIRE(h.frame(spot(101, 101)).ok());
  REQUIRE(h.frame(spot(103, 104)).ok());  // 102 missing
  auto& tb = h.tb();
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.counters.gaps == 1);
  CHECK(tb.counters.resyncs == 1);
  CHECK(tb.book.empty());
  auto reqs = h.take();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].what == request::kind::fetch_snapshot);
  CHECK(reqs[0].symbol == "BNBBTC");
  CHECK(reqs[0].reason == core::errc::sequence_gap);
  // Events keep buffering; a fresh snapshot realigns them.
  REQUIRE(h.frame(spot(105, 106, R"([["10","4"]])")).ok());
  REQUIRE(h.snapshot(R"({"lastUpdateId":104,"bids":[["10","1"]],"asks":[["11","1"]]})").ok());
  CHECK(tb.status == book::book_status::live);
  CHECK(*tb.last_update_id == 106);
  CHECK(tb.book.best(core::side::bid)->qty == 4);
}

TEST_CASE("spot: a snapshot older than the stream is refetched", "[binance][sync]") {
  harness h;
  REQUIRE(h.frame(spot(200, 205)).ok());
  REQUIRE(h.snapshot(k_snap).ok());  // lastUpdateId 100 < 199
  CHECK(h.tb().status == book::book_status::invalid);
  auto reqs = h.take();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].reason == core::errc::stale_snapshot);
  REQUIRE(h.snapshot(R"({"lastUpdateId":202,"bids":[["10","1"]],"asks":[["11","1"]]})").ok());
  CHECK(h.tb().status == book::book_status::live);
  CHECK(*h.tb().last_update_id == 205);
}

TEST_CASE("spot: the buffer is bounded", "[binance][sync]") {
  harness h;  // max_buffered = 4
  for (int i = 0; i < 10; ++i) REQUIRE(h.frame(spot(101 + i, 101 + i)).ok());
  CHECK(h.tb().counters.dropped == 6);  // 101..106 gone, 107..110 kept
  REQUIRE(h.snapshot(R"({"lastUpdateId":106,"bids":[["10","1"]],"asks":[["11","1"]]})").ok());
  CHECK(h.tb().status == book::book_status::live);
  CHECK(*h.tb().last_update_id == 110);
}

TEST_CASE("spot: a crossed book is invalid", "[binance][sync]") {
  harness h;
  REQUIRE(h.snapshot(k_snap).ok());
  REQUIRE(h.frame(spot(101, 101, R"([["11.5","1"]])")).ok());
  CHECK(h.tb().status == book::book_status::invalid);
  CHECK(h.tb().counters.crossed == 1);
  CHECK(h.take().at(0).reason == core::errc::crossed_book);
}

TEST_CASE("bookTicker cross-checks in either arrival order", "[binance][sync]") {
  harness h;
  REQUIRE(h.snapshot(k_snap).ok());
  // Ticker first, then the event with the same final id.
  REQUIRE(h.frame(ticker(101, "10", "5", "11", "1")).ok());
  REQUIRE(h.frame(spot(101, 101, R"([["10","5"]])")).ok());
  CHECK(h.tb().counters.bbo_checks_passed == 1);
  // Event first, ticker later.
  REQUIRE(h.frame(spot(102, 102, "[]", R"([["11","2.5"]])")).ok());
  REQUIRE(h.frame(ticker(102, "10.000", "5", "11", "2.50000000")).ok());
  CHECK(h.tb().counters.bbo_checks_passed == 2);
  // A ticker id that no event ends on is not compared.
  REQUIRE(h.frame(ticker(150, "1", "1", "2", "2")).ok());
  REQUIRE(h.frame(spot(103, 160)).ok());
  CHECK(h.tb().counters.bbo_checks_passed == 2);
  CHECK(h.tb().counters.bbo_checks_failed == 0);
  // A mismatch on spot proves the book wrong.
  REQUIRE(h.frame(ticker(161, "10", "6", "11", "2.5")).ok());
  REQUIRE(h.frame(spot(161, 161)).ok());
  CHECK(h.tb().counters.bbo_checks_failed == 1);
  CHECK(h.tb().status == book::book_status::invalid);
}

TEST_CASE("USD-M: pu chains events, ids are not contiguous", "[binance][sync]") {
  harness h(core::venue::binance_usdm);
  REQUIRE(h.frame(fut(90, 95, 80)).ok());
  REQUIRE(h.frame(fut(96, 120, 95, R"([["10","7"]])")).ok());  // contains 100
  REQUIRE(h.snapshot(k_snap).ok());
  auto& tb = h.tb();
  CHECK(tb.status == book::book_status::live);
  CHECK(tb.counters.dropped == 1);
  CHECK(*tb.last_update_id == 120);
  REQUIRE(h.frame(fut(140, 150, 120)).ok());  // U jumps, pu continues: fine
  CHECK(tb.status == book::book_status::live);
  // Ticker mismatch on USD-M is counted only.
  REQUIRE(h.frame(ticker(160, "1", "1", "2", "2")).ok());
  REQUIRE(h.frame(fut(151, 160, 150)).ok());
  CHECK(tb.counters.bbo_checks_failed == 1);
  CHECK(tb.status == book::book_status::live);
  REQUIRE(h.frame(fut(170, 180, 165)).ok());  // pu != 160
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.counters.gaps == 1);
}

TEST_CASE("unknown symbols, malformed frames and disconnects", "[binance][sync]") {
  harness h;
  REQUIRE(h.snapshot(k_snap).ok());
  REQUIRE(h.frame(spot(101, 101)).ok());
  CHECK(h.frame(spot(1, 2, "[]", "[]", "ETHBTC")).ok());  // understood, not ours
  CHECK(h.p->counters().unknown_symbol == 1);
  CHECK(h.frame(R"({"e":"depthUpdate","s":"BNBBTC","U":102,"u":)").code() != core::errc::ok);
  CHECK(h.frame(R"({"e":"depthUpdate","E":1,"s":"BNBBTC","U":102,"u":102,"b":[["x","1"]],"a":[]})").code() == core::errc::bad_number);
  CHECK(h.p->counters().malformed == 2);
  CHECK(h.tb().status == book::book_status::live);  // untouched by bad frames
  CHECK(h.tb().book.best(core::side::bid)->price == 10);
  CHECK(h.frame(R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}})").ok());
  CHECK(h.take().at(0).what == request::kind::reconnect);
  h.p->on_disconnect();
  CHECK(h.tb().status == book::book_status::syncing);
  CHECK(h.tb().book.empty());
  CHECK(h.snapshot("{}").code() == core::errc::unknown_message);
  CHECK(h.snapshot(k_snap, "XYZ").code() == core::errc::unknown_symbol);
}

TEST_CASE("snapshot coverage follows the requested limit", "[binance][sync]") {
  venues::protocol_options o;
  o.symbols = {"BNBBTC"};
  o.snapshot_limit = 3;
  auto p = std::move(venues::make_protocol(core::venue::binance, o)).value();
  core::padded_buffer buf;
  // 2 bids < limit 3: the whole bid side; 3 asks == limit: known down to the 3rd ask.
  REQUIRE(p->on_snapshot("BNBBTC", buf.assign(R"({"lastUpdateId":1,"bids":[["10","1"],["9","1"]],"asks":[["11","1"],["12","1"],["13","1"]]})"), 0).ok());
  auto& b = p->books().front()->book;
  CHECK_FALSE(b.coverage_key(core::side::bid));
  CHECK(*b.coverage_key(core::side::ask) == -13);
}

// Regression: the cross-check ring wrote at its next slot but looked up slots [0, count), and a
// resync reset only the count. After a resync a late bookTicker was then either not checked at
// all (its event sat past the scanned slots) or compared with an entry from before the resync.
TEST_CASE("bookTicker after a resync: checked against the new book, not a stale entry", "[binance][sync]") {
  SECTION("a late ticker is checked") {
    harness h;
    REQUIRE(h.snapshot(k_snap).ok());
    for (std::uint64_t u = 101; u <= 105; ++u) REQUIRE(h.frame(spot(u, u)).ok());
    REQUIRE(h.frame(spot(107, 107)).ok());  // 106 missing: resync
    REQUIRE(h.tb().status == book::book_status::invalid);
    REQUIRE(h.snapshot(R"({"lastUpdateId":110,"bids":[["10","1"]],"asks":[["11","1"]]})").ok());
    REQUIRE(h.frame(spot(111, 111, R"([["10","2"]])")).ok());
    REQUIRE(h.tb().live());
    REQUIRE(h.frame(ticker(111, "10", "2", "11", "1")).ok());  // after its event
    CHECK(h.tb().counters.bbo_checks_passed == 1);
    CHECK(h.tb().counters.bbo_checks_failed == 0);
  }
  SECTION("a ticker for an event before the resync is not compared") {
    harness h;
    REQUIRE(h.snapshot(k_snap).ok());
    REQUIRE(h.frame(spot(101, 101, R"([["10","5"]])")).ok());
    for (std::uint64_t u = 102; u <= 104; ++u) REQUIRE(h.frame(spot(u, u)).ok());
    REQUIRE(h.frame(spot(106, 106)).ok());  // gap: resync
    REQUIRE(h.snapshot(R"({"lastUpdateId":200,"bids":[["10","1"]],"asks":[["11","1"]]})").ok());
    REQUIRE(h.frame(spot(201, 201)).ok());
    REQUIRE(h.tb().live());
    // Differs from the pre-resync book at 101 (bid qty 5); the new book knows nothing of 101.
    REQUIRE(h.frame(ticker(101, "10", "1", "11", "1")).ok());
    CHECK(h.tb().counters.bbo_checks_failed == 0);
    CHECK(h.tb().live());
  }
  SECTION("after a disconnect") {
    harness h;
    REQUIRE(h.snapshot(k_snap).ok());
    for (std::uint64_t u = 101; u <= 103; ++u) REQUIRE(h.frame(spot(u, u)).ok());
    h.p->on_disconnect();
    REQUIRE(h.snapshot(R"({"lastUpdateId":300,"bids":[["10","1"]],"asks":[["11","1"]]})").ok());
    REQUIRE(h.frame(spot(301, 301, "[]", R"([["11","4"]])")).ok());
    REQUIRE(h.frame(ticker(301, "10", "1", "11", "4")).ok());
    CHECK(h.tb().counters.bbo_checks_passed == 1);
  }
}

namespace {
std::string partial(std::uint64_t id, const std::string& b, const std::string& a,
                    const std::string& stream = "bnbbtc@depth20@100ms") {
  return R"({"stream":")" + stream + R"(","data":{"lastUpdateId":)" + std::to_string(id) +
         R"(,"bids":)" + b + R"(,"asks":)" + a + "}}";
}
// k_snap's book: bids 10/1, 9/2; asks 11/1, 12/2.
const std::string k_snap_bids = R"([["10","1"],["9","2"]])";
const std::string k_snap_asks = R"([["11","1"],["12","2"]])";
}  // namespace

TEST_CASE("partial depth cross-checks in either arrival order", "[binance][sync][partial]") {
  harness h;
  REQUIRE(h.snapshot(k_snap).ok());
  // Partial first, then the event with the same final id (the order the 2026 capture shows).
  REQUIRE(h.frame(partial(101, R"([["10","5"],["9","2"]])", k_snap_asks)).ok());
  CHECK(h.tb().counters.partial_checks_passed == 0);
  REQUIRE(h.frame(spot(101, 101, R"([["10","5"]])")).ok());
  CHECK(h.tb().counters.partial_checks_passed == 1);
  // Event first, partial later (written with other trailing zeros: compared as decimals).
  REQUIRE(h.frame(spot(102, 102, "[]", R"([["11.5","3"]])")).ok());
  REQUIRE(h.frame(partial(102, R"([["10.0","5.000"],["9","2"]])",
                          R"([["11","1"],["11.50","3"],["12","2"]])")).ok());
  CHECK(h.tb().counters.partial_checks_passed == 2);
  // An id no event ends on is not compared.
  REQUIRE(h.frame(spot(103, 110)).ok());
  REQUIRE(h.frame(partial(105, "[]", "[]")).ok());
  REQUIRE(h.frame(partial(90, "[]", "[]")).ok());  // older than the snapshot
  CHECK(h.tb().counters.partial_checks_passed == 2);
  CHECK(h.tb().counters.partial_checks_failed == 0);
  CHECK(h.tb().counters.messages == 8);  // the snapshot, 3 events, 4 partials
  CHECK(h.tb().live());
}

TEST_CASE("partial depth: N levels per side, or the whole side where it shows fewer", "[binance][sync][partial]") {
  harness h;
  REQUIRE(h.snapshot(R"({"lastUpdateId":100,"bids":[["10","1"],["9","1"],["8","1"]],"asks":[["11","1"]]})").ok());
  REQUIRE(h.frame(spot(101, 101)).ok());
  SECTION("a depth5 partial of a 3-level side shows all 3") {
    REQUIRE(h.frame(partial(101, R"([["10","1"],["9","1"],["8","1"]])", R"([["11","1"]])", "bnbbtc@depth5")).ok());
    CHECK(h.tb().counters.partial_checks_passed == 1);
  }
  SECTION("cut at its depth: the best 2 of 3") {
    REQUIRE(h.frame(partial(101, R"([["10","1"],["9","1"]])", R"([["11","1"]])", "bnbbtc@depth2")).ok());
    CHECK(h.tb().counters.partial_checks_passed == 1);
  }
  SECTION("fewer than its depth and fewer than the book: the book has a level the venue has not") {
    REQUIRE(h.frame(partial(101, R"([["10","1"],["9","1"]])", R"([["11","1"]])")).ok());
    CHECK(h.tb().counters.partial_checks_failed == 1);
    CHECK(h.tb().status == book::book_status::invalid);
    auto reqs = h.take();
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].what == request::kind::fetch_snapshot);
    CHECK(reqs[0].reason == core::errc::checksum_mismatch);
  }
  SECTION("more levels than the book holds") {
    REQUIRE(h.frame(partial(101, R"([["10","1"],["9","1"],["8","1"],["7","1"]])", R"([["11","1"]])")).ok());
    CHECK(h.tb().counters.partial_checks_failed == 1);
  }
  SECTION("a different size") {
    REQUIRE(h.frame(partial(101, R"([["10","1"],["9","1"],["8","2"]])", R"([["11","1"]])")).ok());
    CHECK(h.tb().counters.partial_checks_failed == 1);
    CHECK_FALSE(h.tb().live());
  }
}

TEST_CASE("partial depth at the snapshot's id is checked against the snapshot", "[binance][sync][partial]") {
  SECTION("arriving before the snapshot") {
    harness h;
    REQUIRE(h.frame(partial(99, "[]", "[]")).ok());  // predates the snapshot: never compared
    REQUIRE(h.frame(partial(100, k_snap_bids, k_snap_asks)).ok());
    REQUIRE(h.frame(spot(100, 102, R"([["10","3"]])")).ok());
    REQUIRE(h.frame(partial(102, R"([["10","3"],["9","2"]])", k_snap_asks)).ok());
    REQUIRE(h.snapshot(k_snap).ok());
    CHECK(h.tb().counters.partial_checks_passed == 2);  // 100 at the snapshot, 102 after its event
    CHECK(h.tb().counters.partial_checks_failed == 0);
    CHECK(h.tb().live());
  }
  SECTION("arriving after the snapshot") {
    harness h;
    REQUIRE(h.snapshot(k_snap).ok());
    REQUIRE(h.frame(partial(100, k_snap_bids, k_snap_asks)).ok());
    CHECK(h.tb().counters.partial_checks_passed == 1);
  }
  SECTION("a spot mismatch at the snapshot keeps the buffered events for the next one") {
    harness h;
    REQUIRE(h.frame(partial(100, R"([["10","7"]])", k_snap_asks)).ok());
    REQUIRE(h.frame(spot(101, 103, R"([["10","4"]])")).ok());
    REQUIRE(h.snapshot(k_snap).ok());
    CHECK(h.tb().counters.partial_checks_failed == 1);
    CHECK(h.tb().status == book::book_status::invalid);
    CHECK(h.take().at(0).reason == core::errc::checksum_mismatch);
    REQUIRE(h.snapshot(R"({"lastUpdateId":102,"bids":[["10","1"]],"asks":[["11","1"]]})").ok());
    CHECK(h.tb().live());
    CHECK(*h.tb().last_update_id == 103);
    CHECK(h.tb().book.best(core::side::bid)->qty == 4);
  }
}

TEST_CASE("partial depth: late partials after a resync see only the new book", "[binance][sync][partial]") {
  harness h;
  REQUIRE(h.snapshot(k_snap).ok());
  REQUIRE(h.frame(partial(101, k_snap_bids, k_snap_asks)).ok());
  REQUIRE(h.frame(spot(101, 101)).ok());
  REQUIRE(h.frame(spot(101 + 2, 104)).ok());  // 102 missing: resync
  REQUIRE(h.snapshot(R"({"lastUpdateId":200,"bids":[["10","1"]],"asks":[["11","1"]]})").ok());
  REQUIRE(h.frame(spot(201, 201)).ok());
  // Matches the book before the resync at 101, but that book is gone: not compared.
  REQUIRE(h.frame(partial(101, k_snap_bids, k_snap_asks)).ok());
  REQUIRE(h.frame(partial(201, R"([["10","1"]])", R"([["11","1"]])")).ok());
  CHECK(h.tb().counters.partial_checks_passed == 2);
  CHECK(h.tb().counters.partial_checks_failed == 0);
  CHECK(h.tb().live());
}

TEST_CASE("partial depth on USD-M: never a diff event, a mismatch is counted only", "[binance][sync][partial]") {
  harness h(core::venue::binance_usdm);
  REQUIRE(h.snapshot(k_snap).ok());
  REQUIRE(h.frame(fut(96, 120, 95, R"([["10","7"]])")).ok());
  const auto fut_partial = [](std::uint64_t u, const std::string& b) {
    return R"({"stream":"bnbbtc@depth20@100ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BNBBTC","U":1,"u":)" +
           std::to_string(u) + R"(,"pu":0,"b":)" + b + R"(,"a":[["11","1"],["12","2"]]}})";
  };
  REQUIRE(h.frame(fut_partial(120, R"([["10","7"],["9","2"]])")).ok());
  CHECK(h.tb().counters.partial_checks_passed == 1);
  REQUIRE(h.frame(fut(121, 130, 120)).ok());
  REQUIRE(h.frame(fut_partial(130, R"([["10","8"],["9","2"]])")).ok());
  CHECK(h.tb().counters.partial_checks_failed == 1);
  CHECK(h.tb().live());
  CHECK(h.tb().counters.updates_applied == 2);  // the partials were not applied as events
  CHECK(h.tb().counters.gaps == 0);
}

TEST_CASE("partial depth for other symbols and without a stream name", "[binance][sync][partial]") {
  harness h;
  REQUIRE(h.snapshot(k_snap).ok());
  REQUIRE(h.frame(partial(100, "[]", "[]", "ethbtc@depth20@100ms")).ok());
  CHECK(h.p->counters().unknown_symbol == 1);
  REQUIRE(h.frame(R"({"lastUpdateId":100,"bids":[],"asks":[]})").ok());
  CHECK(h.p->counters().ignored == 1);
  CHECK(h.tb().counters.partial_checks_passed + h.tb().counters.partial_checks_failed == 0);
}

TEST_CASE("partial depth: top levels are kept once partials flow", "[binance][sync][partial]") {
  harness h;
  REQUIRE(h.snapshot(k_snap).ok());
  REQUIRE(h.frame(spot(101, 101)).ok());
  REQUIRE(h.frame(spot(102, 102)).ok());
  // The book's first partial, two events late: the state at 101 kept no levels to compare.
  REQUIRE(h.frame(partial(101, k_snap_bids, k_snap_asks)).ok());
  CHECK(h.tb().counters.partial_checks_passed == 0);
  // From now on every state keeps them.
  REQUIRE(h.frame(spot(103, 103)).ok());
  REQUIRE(h.frame(spot(104, 104)).ok());
  REQUIRE(h.frame(partial(103, k_snap_bids, k_snap_asks)).ok());
  CHECK(h.tb().counters.partial_checks_passed == 1);
  CHECK(h.tb().counters.partial_checks_failed == 0);
}
