// venues/okx/sync: seqId chains, legacy checksums, snapshot channels, and every failure path
// ending in the documented recovery (invalid + resubscribe; a later snapshot recovers).
#include "venues/okx/sync.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "venues/okx/crc32.hpp"

using namespace depthmon;
using venues::request;
using core::errc;
using book::book_status;

namespace {

using kv = std::map<std::string, std::string>;

struct harness {
  std::unique_ptr<venues::venue_protocol> p;
  core::padded_buffer buf;
  explicit harness(std::map<std::string, std::string> settings = {},
                   std::vector<std::string> syms = {"BTC-USDT"}) {
    venues::protocol_options o;
    o.symbols = std::move(syms);
    o.settings = std::move(settings);
    auto r = venues::make_protocol(core::venue::okx, o);
    REQUIRE(r.ok());
    p = std::move(r).value();
  }
  core::status frame(const std::string& s) { return p->on_frame(buf.assign(s), 0); }
  book::tracked_book& tb(std::size_t i = 0) { return *p->books().at(i); }
  std::vector<request> take() {
    auto r = std::move(p->requests());
    p->requests().clear();
    return r;
  }
  std::string best(core::side s) {
    auto l = tb().book.best(s);
    if (!l) return "-";
    const unsigned ps = tb().book.price_scale(), qs = tb().book.qty_scale();
    return core::to_canonical_string(l->price, ps) + "@" + core::to_canonical_string(l->qty, qs);
  }
};

// A `books` message with seqIds.
std::string books(const char* action, long long prev, long long seq, const std::string& bids = "[]",
                  const std::string& asks = "[]", long long checksum = 0,
                  const char* inst = "BTC-USDT") {
  return std::string(R"({"arg":{"channel":"books","instId":")") + inst + R"("},"action":")" +
         action + R"(","data":[{"asks":)" + asks + R"(,"bids":)" + bids +
         R"(,"ts":"1597026383085","checksum":)" + std::to_string(checksum) +
         R"(,"prevSeqId":)" + std::to_string(prev) + R"(,"seqId":)" + std::to_string(seq) + "}]}";
}
// A historical (2022) `books` message: checksum, no seqIds.
std::string legacy(const char* action, const std::string& bids, const std::string& asks,
                   long long checksum) {
  return std::string(R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":")") + action +
         R"(","data":[{"asks":)" + asks + R"(,"bids":)" + bids +
         R"(,"ts":"1652459225381","checksum":)" + std::to_string(checksum) + "}]}";
}
std::string snap5(const char* ch, const std::string& bids, const std::string& asks,
                  long long seq, const char* inst = "BTC-USDT") {
  return std::string(R"({"arg":{"channel":")") + ch + R"(","instId":")" + inst +
         R"("},"data":[{"asks":)" + asks + R"(,"bids":)" + bids + R"(,"instId":")" + inst +
         R"(","ts":"1786538744703","seqId":)" + std::to_string(seq) + "}]}";
}
long long okx_crc(const char* text) {
  return static_cast<std::int32_t>(venues::okx::crc32_of(text));
}

const std::string k_bids = R"([["10","1","0","1"],["9","2","0","1"]])";
const std::string k_asks = R"([["11","1","0","1"],["12","2","0","1"]])";

void require_resubscribe(harness& h, errc why, const char* sym = "BTC-USDT") {
  const auto reqs = h.take();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].what == request::kind::resubscribe);
  CHECK(reqs[0].symbol == sym);
  CHECK(reqs[0].reason == why);
}

// After a failure: updates are dropped until a fresh snapshot, which recovers the book.
void require_recovery(harness& h) {
  auto& tb = h.tb();
  CHECK(tb.status == book_status::invalid);
  CHECK(tb.book.empty());
  CHECK_FALSE(tb.last_update_id.has_value());
  const auto dropped = tb.counters.dropped;
  REQUIRE(h.frame(books("update", 40, 41, R"([["10","5"]])")).ok());
  CHECK(tb.counters.dropped == dropped + 1);
  CHECK(tb.status == book_status::invalid);
  REQUIRE(h.frame(books("snapshot", -1, 100, k_bids, k_asks)).ok());
  CHECK(tb.status == book_status::live);
  REQUIRE(h.frame(books("update", 100, 101, R"([["10","4","0","1"]])")).ok());
  CHECK(tb.status == book_status::live);
  CHECK(h.best(core::side::bid) == "10@4");
  CHECK(*tb.last_update_id == 101);
  CHECK(h.take().empty());
}

}  // namespace

TEST_CASE("seqId chain from the documentation: snapshot, update, keep-alive, reset", "[okx][sync]") {
  harness h;
  auto& tb = h.tb();
  CHECK(tb.status == book_status::syncing);
  REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks)).ok());
  CHECK(tb.status == book_status::live);
  CHECK(tb.counters.snapshots == 1);
  CHECK(*tb.last_update_id == 10);
  REQUIRE(h.frame(books("update", 10, 15, R"([["10","3","0","2"]])", R"([["11","0","0","0"]])")).ok());
  CHECK(h.best(core::side::bid) == "10@3");
  CHECK(h.best(core::side::ask) == "12@2");
  REQUIRE(h.frame(books("update", 15, 15)).ok());  // keep-alive: no change, chain intact
  CHECK(*tb.last_update_id == 15);
  REQUIRE(h.frame(books("update", 15, 3, R"([["9","0","0","0"]])")).ok());  // reset: accepted
  CHECK(*tb.last_update_id == 3);
  REQUIRE(h.frame(books("update", 3, 5, "[]", R"([["11.5","1","0","1"]])")).ok());
  CHECK(tb.status == book_status::live);
  CHECK(*tb.last_update_id == 5);
  CHECK(tb.counters.updates_applied == 4);
  CHECK(tb.counters.messages == 5);
  CHECK(tb.counters.gaps == 0);
  CHECK(tb.book.size(core::side::bid) == 1);
  CHECK(h.best(core::side::ask) == "11.5@1");
  CHECK(h.take().empty());
  // Coverage: `books` shows 400 levels.
  CHECK(tb.book.get_coverage(core::side::bid).k == book::coverage::kind::to_nth_level);
  CHECK(tb.book.get_coverage(core::side::ask).n == 400);
  CHECK_FALSE(tb.book.coverage_key(core::side::bid).has_value());  // < 400 levels: all shown
}

TEST_CASE("failure: sequence gap", "[okx][sync][failure]") {
  harness h;
  REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks)).ok());
  REQUIRE(h.frame(books("update", 10, 15)).ok());
  REQUIRE(h.frame(books("update", 16, 20, R"([["10","9"]])")).ok());  // 15 -> 16 missing
  CHECK(h.tb().counters.gaps == 1);
  CHECK(h.tb().counters.resyncs == 1);
  CHECK(h.tb().last_error.code == errc::sequence_gap);
  require_resubscribe(h, errc::sequence_gap);
  require_recovery(h);
}

TEST_CASE("failure: duplicate and out-of-order messages", "[okx][sync][failure]") {
  SECTION("duplicate") {
    harness h;
    REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks)).ok());
    const auto upd = books("update", 10, 15, R"([["10","3"]])");
    REQUIRE(h.frame(upd).ok());
    REQUIRE(h.frame(upd).ok());  // prevSeqId 10 != last 15
    CHECK(h.tb().counters.gaps == 1);
    require_resubscribe(h, errc::sequence_gap);
    require_recovery(h);
  }
  SECTION("out of order") {
    harness h;
    REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks)).ok());
    REQUIRE(h.frame(books("update", 15, 20)).ok());  // arrives before (10,15)
    CHECK(h.tb().status == book_status::invalid);
    require_resubscribe(h, errc::sequence_gap);
    REQUIRE(h.frame(books("update", 10, 15)).ok());  // the late one is dropped, not applied
    CHECK(h.tb().counters.dropped == 1);
    require_recovery(h);
  }
  SECTION("keep-alive that does not continue the chain") {
    harness h;
    REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks)).ok());
    REQUIRE(h.frame(books("update", 12, 12)).ok());
    require_resubscribe(h, errc::sequence_gap);
    require_recovery(h);
  }
  SECTION("an update without seqIds on a sequenced book") {
    harness h;
    REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks)).ok());
    REQUIRE(h.frame(legacy("update", R"([["10","3"]])", "[]", 0)).ok());
    require_resubscribe(h, errc::sequence_gap);
    require_recovery(h);
  }
}

TEST_CASE("updates before the first snapshot are dropped", "[okx][sync]") {
  harness h;
  REQUIRE(h.frame(books("update", 10, 15, R"([["10","3"]])")).ok());
  CHECK(h.tb().status == book_status::syncing);
  CHECK(h.tb().book.empty());
  CHECK(h.tb().counters.dropped == 1);
  CHECK(h.take().empty());  // the subscription's snapshot is on its way
}

TEST_CASE("legacy checksum: verified whenever non-zero", "[okx][sync][checksum]") {
  harness h;
  auto& tb = h.tb();
  // Book "10:1:11:1:9:2:12:2" (bid1, ask1, bid2, ask2).
  REQUIRE(h.frame(legacy("snapshot", k_bids, k_asks, okx_crc("10:1:11:1:9:2:12:2"))).ok());
  CHECK(tb.status == book_status::live);
  CHECK(tb.counters.checksums_passed == 1);
  REQUIRE(h.frame(legacy("update", R"([["10","1.5","0","1"]])", R"([["12","0","0","0"]])",
                         okx_crc("10:1.5:11:1:9:2"))).ok());
  CHECK(tb.counters.checksums_passed == 2);
  CHECK(tb.status == book_status::live);
  // checksum 0 means "not provided" (today's OKX): nothing to verify.
  REQUIRE(h.frame(legacy("update", R"([["9","3"]])", "[]", 0)).ok());
  CHECK(tb.counters.checksums_passed == 2);
  CHECK(tb.counters.checksums_failed == 0);
  CHECK(tb.status == book_status::live);

  SECTION("mismatch on an update") {
    REQUIRE(h.frame(legacy("update", R"([["9","4"]])", "[]", 12345)).ok());
    CHECK(tb.counters.checksums_failed == 1);
    CHECK(tb.last_error.code == errc::checksum_mismatch);
    require_resubscribe(h, errc::checksum_mismatch);
    require_recovery(h);
  }
  SECTION("mismatch on a snapshot (also with seqIds)") {
    REQUIRE(h.frame(books("snapshot", -1, 7, k_bids, k_asks, -5)).ok());
    CHECK(tb.counters.checksums_failed == 1);
    require_resubscribe(h, errc::checksum_mismatch);
    require_recovery(h);
  }
}

// Regression (issue 6): a crossed or locked OKX book was invalidated and resubscribed on every
// such message; OKX documents that its books cross in call auctions, so that stormed the venue.
// Now the book is held as `crossed`: counted, not published, nothing requested, content and
// seqId chain kept, and live again once a complete message uncrosses it.
TEST_CASE("crossed or locked at the venue: held, counted, recovers by itself",
          "[okx][sync][crossed][regression]") {
  harness h;
  auto& tb = h.tb();
  SECTION("updates cross, stay crossed, then uncross") {
    REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks)).ok());
    REQUIRE(h.frame(books("update", 10, 11, R"([["11.5","1"]])")).ok());
    CHECK(tb.status == book_status::crossed);
    CHECK_FALSE(tb.live());
    CHECK(tb.counters.crossed == 1);
    CHECK(tb.counters.resyncs == 0);
    CHECK(tb.book.size(core::side::bid) == 3);  // content kept
    CHECK(*tb.last_update_id == 11);
    REQUIRE(h.frame(books("update", 11, 12, R"([["11.6","1"]])")).ok());  // still crossed
    REQUIRE(h.frame(books("update", 12, 13, "[]", R"([["11","0"],["11.55","1"]])")).ok());
    CHECK(tb.status == book_status::crossed);
    CHECK(tb.counters.crossed == 3);
    CHECK(tb.counters.updates_applied == 3);
    // The auction's book uncrosses: the bids above the asks go.
    REQUIRE(h.frame(books("update", 13, 14, R"([["11.5","0"],["11.6","0"]])")).ok());
    CHECK(tb.status == book_status::live);
    CHECK(h.best(core::side::bid) == "10@1");
    CHECK(h.best(core::side::ask) == "11.55@1");
    CHECK(h.take().empty());  // never a resubscribe
  }
  SECTION("locked") {
    REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks)).ok());
    REQUIRE(h.frame(books("update", 10, 11, "[]", R"([["10","1"]])")).ok());
    CHECK(tb.status == book_status::crossed);
    CHECK(tb.counters.crossed == 1);
    CHECK(h.take().empty());
  }
  SECTION("a crossed snapshot") {
    REQUIRE(h.frame(books("snapshot", -1, 10, R"([["13","1"]])", k_asks)).ok());
    CHECK(tb.status == book_status::crossed);
    CHECK(h.take().empty());
    REQUIRE(h.frame(books("update", 10, 11, R"([["13","0"],["10","1"]])")).ok());
    CHECK(tb.status == book_status::live);
  }
  SECTION("a gap while crossed still resyncs") {
    REQUIRE(h.frame(books("snapshot", -1, 10, R"([["13","1"]])", k_asks)).ok());
    REQUIRE(h.frame(books("update", 12, 13, "[]", "[]")).ok());
    CHECK(tb.status == book_status::invalid);
    require_resubscribe(h, errc::sequence_gap);
    require_recovery(h);
  }
}

TEST_CASE("failure: truncated, mistyped, oversized and unknown frames leave books untouched",
          "[okx][sync][failure]") {
  const std::string full = books("update", 10, 15, R"([["10","3"]])");
  const std::string bad[] = {
      // truncated frames
      full.substr(0, 80),
      full.substr(0, full.size() - 1),
      full.substr(0, full.size() - 2),
      // wrong types
      R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[["10","3"]],"prevSeqId":10,"seqId":"15"}]})",
      R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[[10,{"x":3}]],"prevSeqId":10,"seqId":15}]})",
      R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":{"asks":[],"bids":[]}})",
      // huge numbers
      books("update", 10, 15, R"([["10","123456789012345678901234567890"]])"),
      R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[["10","3"]],"prevSeqId":10,"seqId":123456789012345678901234567890}]})",
      // unknown messages
      R"({"foo":1})",
      R"({"event":"surprise","arg":{"channel":"books","instId":"BTC-USDT"}})",
      R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"replace","data":[{"asks":[],"bids":[]}]})",
      "not json at all",
  };
  for (const auto& text : bad) {
    INFO(text);
    harness h;
    auto& tb = h.tb();
    REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks)).ok());
    const auto st = h.frame(text);
    CHECK_FALSE(st.ok());
    CHECK(core::condition_of(st.code()) == core::condition::drop_message);
    CHECK(h.p->counters().malformed + h.p->counters().unknown == 1);
    // Untouched: still live with the snapshot's levels, nothing requested.
    CHECK(tb.status == book_status::live);
    CHECK(h.best(core::side::bid) == "10@1");
    CHECK(*tb.last_update_id == 10);
    CHECK(tb.counters.messages == 1);
    CHECK(h.take().empty());
    // The lost message shows up as a gap at the next one: invalid + resubscribe.
    REQUIRE(h.frame(books("update", 15, 16)).ok());
    CHECK(tb.counters.gaps == 1);
    require_resubscribe(h, errc::sequence_gap);
    require_recovery(h);
  }
}

TEST_CASE("failure: a value the book cannot hold exactly", "[okx][sync][failure]") {
  harness h;
  REQUIRE(h.frame(books("snapshot", -1, 10, R"([["10000000000","1"]])", R"([["10000000001","1"]])")).ok());
  // 18 decimals on top of 11 integer digits overflows the book's int64 ticks.
  REQUIRE(h.frame(books("update", 10, 11, R"([["0.000000000000000001","1"]])")).ok());
  CHECK(h.tb().status == book_status::invalid);
  require_resubscribe(h, errc::precision_loss);
  require_recovery(h);
}

TEST_CASE("only the affected book is invalidated", "[okx][sync]") {
  harness h(kv{}, {"BTC-USDT", "ETH-USDT"});
  REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks, 0, "BTC-USDT")).ok());
  REQUIRE(h.frame(books("snapshot", -1, 70, k_bids, k_asks, 0, "ETH-USDT")).ok());
  REQUIRE(h.frame(books("update", 11, 12, "[]", "[]", 0, "ETH-USDT")).ok());
  CHECK(h.tb(0).status == book_status::live);
  CHECK(h.tb(1).status == book_status::invalid);
  require_resubscribe(h, errc::sequence_gap, "ETH-USDT");
  REQUIRE(h.frame(books("update", 10, 11, R"([["10","7"]])", "[]", 0, "BTC-USDT")).ok());
  CHECK(h.best(core::side::bid) == "10@7");
  // A symbol we do not keep: understood, counted, no book created.
  REQUIRE(h.frame(books("snapshot", -1, 1, k_bids, k_asks, 0, "SOL-USDT")).ok());
  CHECK(h.p->counters().unknown_symbol == 1);
  CHECK(h.p->books().size() == 2);
}

TEST_CASE("several entries in one message are applied in order", "[okx][sync]") {
  harness h;
  REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks)).ok());
  REQUIRE(h.frame(R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[["10","2"]],"prevSeqId":10,"seqId":11},{"asks":[],"bids":[["10","3"]],"prevSeqId":11,"seqId":12}]})").ok());
  CHECK(h.best(core::side::bid) == "10@3");
  CHECK(*h.tb().last_update_id == 12);
  CHECK(h.tb().counters.updates_applied == 2);
}

TEST_CASE("control traffic and notice 64008", "[okx][sync]") {
  harness h;
  REQUIRE(h.frame(R"({"id":"1512","event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"})").ok());
  REQUIRE(h.frame(R"({"id":"1512","event":"error","code":"60012","msg":"Invalid request","connId":"a4d3ae55"})").ok());
  REQUIRE(h.frame("pong").ok());
  REQUIRE(h.frame(R"({"event":"notice","code":"64009","msg":"something else"})").ok());
  CHECK(h.take().empty());
  CHECK(h.p->counters().control == 4);
  REQUIRE(h.frame(R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a4d3ae55"})").ok());
  CHECK(h.p->counters().control == 5);
  const auto reqs = h.take();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].what == request::kind::reconnect);
  CHECK(h.tb().counters.messages == 0);  // acks are not book messages
  // Trades etc.: known, ignored.
  REQUIRE(h.frame(R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"px":"1","sz":"1"}]})").ok());
  CHECK(h.p->counters().ignored == 1);
}

TEST_CASE("disconnect: books go back to syncing until the next snapshot", "[okx][sync]") {
  harness h;
  REQUIRE(h.frame(books("snapshot", -1, 10, k_bids, k_asks)).ok());
  h.p->on_disconnect();
  CHECK(h.tb().status == book_status::syncing);
  CHECK(h.tb().book.empty());
  REQUIRE(h.frame(books("update", 10, 11, R"([["10","7"]])")).ok());
  CHECK(h.tb().counters.dropped == 1);
  REQUIRE(h.frame(books("snapshot", -1, 50, k_bids, k_asks)).ok());
  CHECK(h.tb().status == book_status::live);
}

TEST_CASE("books5 and bbo-tbt: every message replaces the book", "[okx][sync][snapshot-channel]") {
  harness h(kv{{"channel", "books5"}});
  auto& tb = h.tb();
  const std::string five_b = R"([["10","1","0","1"],["9","1","0","1"],["8","1","0","1"],["7","1","0","1"],["6","1","0","1"]])";
  const std::string five_a = R"([["11","1","0","1"],["12","1","0","1"],["13","1","0","1"],["14","1","0","1"],["15","1","0","1"]])";
  REQUIRE(h.frame(snap5("books5", five_b, five_a, 100)).ok());
  CHECK(tb.status == book_status::live);
  CHECK(tb.book.size(core::side::bid) == 5);
  CHECK(tb.book.get_coverage(core::side::bid).n == 5);
  CHECK(tb.book.coverage_key(core::side::bid).has_value());  // 5 of 5 shown: deeper unknown
  // Next frame replaces everything (levels not repeated are gone).
  REQUIRE(h.frame(snap5("books5", R"([["10","2"]])", R"([["11.5","3"]])", 101)).ok());
  CHECK(tb.book.size(core::side::bid) == 1);
  CHECK(tb.book.size(core::side::ask) == 1);
  CHECK(h.best(core::side::ask) == "11.5@3");
  CHECK_FALSE(tb.book.coverage_key(core::side::bid).has_value());  // fewer than 5: all shown
  CHECK(tb.counters.snapshots == 2);
  CHECK(tb.counters.updates_applied == 0);
  CHECK(*tb.last_update_id == 101);
  // `books` pushes for the same instrument are another view: never mixed in.
  REQUIRE(h.frame(books("snapshot", -1, 5, k_bids, k_asks)).ok());
  CHECK(tb.book.size(core::side::bid) == 1);
  CHECK(h.p->counters().ignored == 1);
  // A crossed frame is the venue's own (held, no resubscribe): the next frame recovers.
  REQUIRE(h.frame(snap5("books5", R"([["12","2"]])", R"([["11","3"]])", 102)).ok());
  CHECK(tb.status == book_status::crossed);
  CHECK(tb.counters.crossed == 1);
  CHECK(h.take().empty());
  REQUIRE(h.frame(snap5("books5", five_b, five_a, 103)).ok());
  CHECK(tb.status == book_status::live);
  CHECK(tb.book.size(core::side::ask) == 5);

  harness b(kv{{"channel", "bbo-tbt"}});
  REQUIRE(b.frame(snap5("bbo-tbt", R"([["10","2"]])", R"([["11","3"]])", 7)).ok());
  CHECK(b.tb().status == book_status::live);
  CHECK(b.tb().book.get_coverage(core::side::ask).n == 1);
  CHECK(b.tb().book.coverage_key(core::side::ask).has_value());
  REQUIRE(b.frame(snap5("bbo-tbt", R"([["10.1","1"]])", R"([["11","4"]])", 8)).ok());
  CHECK(b.best(core::side::bid) == "10.1@1");
  CHECK(b.tb().book.size(core::side::bid) == 1);
  CHECK(b.tb().counters.snapshots == 2);
}
