// Kraken book maintenance (sync.hpp) through the venue_protocol interface: the documented
// sequences, and a hand-made sequence for every failure path with its recovery.
#include "venues/kraken/sync.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "core/frame.hpp"
#include "support/run.hpp"
#include "venues/kraken/checksum.hpp"
#include "venues/kraken/v1_codec.hpp"
#include "venues/kraken/v2_codec.hpp"

namespace {
using namespace depthmon;
using venues::request;
using levels = std::vector<std::pair<std::string, std::string>>;

struct harness {
  std::unique_ptr<venues::venue_protocol> p;
  core::padded_buffer buf;

  explicit harness(core::venue v, venues::protocol_options opt = {}) {
    auto r = venues::make_protocol(v, opt);
    REQUIRE(r);
    p = std::move(r).value();
  }
  core::status feed(std::string_view s) { return p->on_frame(buf.assign(s), 1000); }
  void feed_ok(std::string_view s) {
    INFO(s);
    REQUIRE(feed(s));
  }
  book::tracked_book& book(std::string_view sym) {
    auto* b = p->find_book(sym);
    REQUIRE(b != nullptr);
    return *b;
  }
  std::vector<request> take() {
    auto r = std::move(p->requests());
    p->requests().clear();
    return r;
  }
};

std::string json_levels(const levels& ls) {
  std::string out = "[";
  for (std::size_t i = 0; i < ls.size(); ++i) {
    if (i) out += ',';
    out += "{\"price\":" + ls[i].first + ",\"qty\":" + ls[i].second + "}";
  }
  return out + "]";
}

std::string v2(std::string_view type, std::string_view sym, const levels& bids, const levels& asks,
               std::uint32_t checksum) {
  return std::string("{\"channel\":\"book\",\"type\":\"") + std::string(type) +
         "\",\"data\":[{\"symbol\":\"" + std::string(sym) + "\",\"bids\":" + json_levels(bids) +
         ",\"asks\":" + json_levels(asks) + ",\"checksum\":" + std::to_string(checksum) +
         ",\"timestamp\":\"2023-10-06T17:35:55.440295Z\"}]}";
}

std::string v1_levels(const levels& ls) {
  std::string out = "[";
  for (std::size_t i = 0; i < ls.size(); ++i) {
    if (i) out += ',';
    out += "[\"" + ls[i].first + "\",\"" + ls[i].second + "\",\"1618678133.365913\"]";
  }
  return out + "]";
}

std::string v1_snapshot(std::string_view pair, const levels& bids, const levels& asks,
                        std::string_view channel = "book-10") {
  return "[7,{\"as\":" + v1_levels(asks) + ",\"bs\":" + v1_levels(bids) + "},\"" +
         std::string(channel) + "\",\"" + std::string(pair) + "\"]";
}

std::string v1_update(std::string_view pair, const levels& bids, const levels& asks,
                      std::uint32_t c, std::string_view channel = "book-10") {
  std::string body;
  if (!asks.empty()) body += "\"a\":" + v1_levels(asks) + ",";
  if (!bids.empty()) body += "\"b\":" + v1_levels(bids) + ",";
  return "[7,{" + body + "\"c\":\"" + std::to_string(c) + "\"},\"" + std::string(channel) +
         "\",\"" + std::string(pair) + "\"]";
}

// The checksum Kraken would send for a book holding these levels (applied in order).
std::uint32_t crc_after(const std::vector<std::pair<const levels*, const levels*>>& steps,
                        unsigned pp, unsigned qp, std::size_t depth = 10) {
  book::l2_book b;
  for (const auto& [bids, asks] : steps) {
    for (const auto& [p, q] : *bids)
      REQUIRE(b.set(core::side::bid, *core::parse_decimal(p), *core::parse_decimal(q)));
    for (const auto& [p, q] : *asks)
      REQUIRE(b.set(core::side::ask, *core::parse_decimal(p), *core::parse_decimal(q)));
    b.truncate(depth);
  }
  auto c = venues::kraken::book_checksum(b, pp, qp);
  REQUIRE(c);
  return *c;
}

const levels k_none;
// A small two-sided v2 book with 2 price / 8 qty precision, as JSON numbers.
const levels k_bids = {{"100.25", "1.5"}, {"100.2", "2.12345678"}, {"100.1", "3"}};
const levels k_asks = {{"100.3", "0.5"}, {"100.35", "1.25"}, {"100.5", "4"}};
const levels k_bid_a = {{"100.27", "0.75"}};     // update A: new best bid
const levels k_bid_b = {{"100.21", "9"}};    // update B: another new bid

std::string snapshot_msg(std::string_view sym = "T/USD") {
  return v2("snapshot", sym, k_bids, k_asks, crc_after({{&k_bids, &k_asks}}, 2, 8));
}
std::uint32_t crc_a() { return crc_after({{&k_bids, &k_asks}, {&k_bid_a, &k_none}}, 2, 8); }
std::uint32_t crc_ab() {
  return crc_after({{&k_bids, &k_asks}, {&k_bid_a, &k_none}, {&k_bid_b, &k_none}}, 2, 8);
}

bool price_is(const book::tracked_book& b, core::side s, std::string_view want) {
  const auto best = b.book.best(s);
  const auto d = core::parse_decimal(want);
  return best && d && core::compare_scaled(best->price, b.book.price_scale(), d->mantissa, d->scale) == 0;
}

void require_resubscribe(harness& h, std::string_view sym, core::errc why) {
  const auto reqs = h.take();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].what == request::kind::resubscribe);
  CHECK(reqs[0].symbol == sym);
  CHECK(reqs[0].reason == why);
  // The frames come from the connection contract, not from the request.
  const auto frames = h.p->spec().subscribe_one(reqs[0].symbol);
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].find(std::string(sym)) != std::string::npos);
  CHECK(frames[0].find("subscribe") != std::string::npos);
}

}  // namespace

TEST_CASE("v2: the documented MATIC/USD sequence verifies both checksums", "[kraken][sync][v2]") {
  venues::protocol_options opt;
  SECTION("precision from the wire digits") {}
  SECTION("precision from the precision.MATIC/USD setting") {
    opt.settings["precision.MATIC/USD"] = "4:8";
  }
  harness h(core::venue::kraken, opt);
  for (const auto& l : test::read_lines(test::data_path("kraken/v2_doc_book_channel_maticusd.jsonl")))
    h.feed_ok(l);
  auto& b = h.book("MATIC/USD");
  CHECK(b.live());
  CHECK(b.counters.checksums_passed == 2);
  CHECK(b.counters.checksums_failed == 0);
  CHECK(b.counters.snapshots == 1);
  CHECK(b.counters.updates_applied == 1);
  CHECK(b.counters.messages == 2);
  CHECK(b.last_event_time == 1696613755440295000LL);
  CHECK(b.book.size(core::side::bid) == 10);
  CHECK(b.book.size(core::side::ask) == 10);
  // Depth 10 (the ack's): known only to the 10th level.
  CHECK(b.book.get_coverage(core::side::bid).k == book::coverage::kind::to_nth_level);
  CHECK(b.book.get_coverage(core::side::bid).n == 10);
  CHECK(b.book.coverage_key(core::side::bid).has_value());
  CHECK(h.p->books().size() == 1);  // the ALGO/USD ack alone creates no book
  CHECK(h.p->requests().empty());
  CHECK(h.p->counters().control == 3);
  CHECK(h.p->counters().book_messages == 2);
}

TEST_CASE("v2: precision from the instrument channel; a wrong setting fails", "[kraken][sync][v2]") {
  const auto lines = test::read_lines(test::data_path("kraken/v2_doc_book_channel_maticusd.jsonl"));
  SECTION("instrument channel") {
    harness h(core::venue::kraken);
    h.feed_ok(R"({"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[{"symbol":"MATIC/USD","price_precision":4,"qty_precision":8}]}})");
    for (const auto& l : lines) h.feed_ok(l);
    auto* kb = dynamic_cast<venues::kraken::protocol&>(*h.p).kraken_book_for("MATIC/USD");
    REQUIRE(kb);
    CHECK(kb->source == venues::kraken::precision_source::instrument);
    CHECK(kb->live());
    CHECK(kb->counters.checksums_passed == 2);
  }
  SECTION("a setting finer than the pair's: mismatch, invalid, resubscribe") {
    venues::protocol_options opt;
    opt.settings["precision.MATIC/USD"] = "5:8";
    harness h(core::venue::kraken, opt);
    for (std::size_t i = 0; i < 4; ++i) h.feed_ok(lines[i]);
    auto& b = h.book("MATIC/USD");
    CHECK(b.status == book::book_status::invalid);
    CHECK(b.counters.checksums_failed == 1);
    CHECK(b.last_error.code == core::errc::checksum_mismatch);
    require_resubscribe(h, "MATIC/USD", core::errc::checksum_mismatch);
  }
  SECTION("a setting coarser than the wire values: precision_loss, invalid") {
    venues::protocol_options opt;
    opt.settings["precision.MATIC/USD"] = "3:8";
    harness h(core::venue::kraken, opt);
    for (std::size_t i = 0; i < 4; ++i) h.feed_ok(lines[i]);
    auto& b = h.book("MATIC/USD");
    CHECK(b.status == book::book_status::invalid);
    CHECK(b.counters.checksums_failed == 1);
    CHECK(b.last_error.code == core::errc::precision_loss);
    require_resubscribe(h, "MATIC/USD", core::errc::precision_loss);
  }
}

TEST_CASE("v2: the checksum guide's string-valued BTC/USD snapshot", "[kraken][sync][v2]") {
  harness h(core::venue::kraken);
  h.feed_ok(test::read_lines(test::data_path("kraken/v2_doc_checksum_guide_btcusd.jsonl")).at(0));
  auto& b = h.book("BTC/USD");
  CHECK(b.live());
  CHECK(b.counters.checksums_passed == 1);
}

TEST_CASE("v2: JSON numbers hide trailing zeros; a finer precision is probed", "[kraken][sync][v2]") {
  // Every price has 1 decimal on the wire, but the pair's precision is 2: 10.5 -> "10.50".
  const levels bids = {{"10.4", "1"}, {"10.3", "2.5"}};
  const levels asks = {{"10.5", "1.25"}, {"10.6", "3"}};
  const std::uint32_t crc = crc_after({{&bids, &asks}}, 2, 8);
  REQUIRE(crc != crc_after({{&bids, &asks}}, 1, 2));
  harness h(core::venue::kraken);
  h.feed_ok(v2("snapshot", "P/USD", bids, asks, crc));
  auto* kb = dynamic_cast<venues::kraken::protocol&>(*h.p).kraken_book_for("P/USD");
  REQUIRE(kb);
  CHECK(kb->live());
  CHECK(kb->source == venues::kraken::precision_source::probed);
  CHECK(kb->precision() == venues::kraken::pair_precisions{2, 8});
  // Kept for later messages.
  const levels upd = {{"10.45", "0.1"}};
  h.feed_ok(v2("update", "P/USD", upd, k_none, crc_after({{&bids, &asks}, {&upd, &k_none}}, 2, 8)));
  CHECK(kb->live());
  CHECK(kb->counters.checksums_passed == 2);
}

TEST_CASE("v2: checksum mismatch invalidates, later snapshot recovers", "[kraken][sync][v2]") {
  harness h(core::venue::kraken);
  h.feed_ok(snapshot_msg());
  auto& b = h.book("T/USD");
  REQUIRE(b.live());
  h.feed_ok(v2("update", "T/USD", k_bid_a, k_none, crc_a() ^ 1U));  // wrong checksum
  CHECK(b.status == book::book_status::invalid);
  CHECK(b.counters.checksums_failed == 1);
  CHECK(b.counters.resyncs == 1);
  CHECK(b.book.empty());
  CHECK(b.last_error.code == core::errc::checksum_mismatch);
  require_resubscribe(h, "T/USD", core::errc::checksum_mismatch);
  // Updates until the new snapshot are dropped, not applied.
  h.feed_ok(v2("update", "T/USD", k_bid_a, k_none, crc_a()));
  CHECK(b.status == book::book_status::invalid);
  CHECK(b.counters.dropped == 1);
  CHECK(b.book.empty());
  CHECK(h.take().empty());
  // The resubscription's snapshot makes it live again.
  h.feed_ok(snapshot_msg());
  CHECK(b.live());
  CHECK(b.counters.snapshots == 2);
  h.feed_ok(v2("update", "T/USD", k_bid_a, k_none, crc_a()));
  CHECK(b.live());
  CHECK(b.counters.checksums_passed == 3);
  CHECK(price_is(b, core::side::bid, "100.27"));
}

TEST_CASE("v2: crossed or locked book", "[kraken][sync][v2]") {
  harness h(core::venue::kraken);
  h.feed_ok(snapshot_msg());
  auto& b = h.book("T/USD");
  SECTION("crossed: a bid above the best ask, with a matching checksum") {
    const levels x = {{"100.4", "1"}};
    h.feed_ok(v2("update", "T/USD", x, k_none, crc_after({{&k_bids, &k_asks}, {&x, &k_none}}, 2, 8)));
    CHECK(b.counters.checksums_passed == 2);
  }
  SECTION("locked: a bid at the best ask") {
    const levels x = {{"100.3", "1"}};
    h.feed_ok(v2("update", "T/USD", x, k_none, crc_after({{&k_bids, &k_asks}, {&x, &k_none}}, 2, 8)));
  }
  CHECK(b.status == book::book_status::invalid);
  CHECK(b.counters.crossed == 1);
  CHECK(b.last_error.code == core::errc::crossed_book);
  require_resubscribe(h, "T/USD", core::errc::crossed_book);
  h.feed_ok(snapshot_msg());
  CHECK(b.live());
}

TEST_CASE("v2: out-of-order and duplicate messages", "[kraken][sync][v2]") {
  harness h(core::venue::kraken);
  h.feed_ok(snapshot_msg());
  auto& b = h.book("T/USD");
  SECTION("B before A: B's checksum (after A and B) does not match") {
    h.feed_ok(v2("update", "T/USD", k_bid_b, k_none, crc_ab()));
    CHECK(b.status == book::book_status::invalid);
    CHECK(b.counters.checksums_failed == 1);
    require_resubscribe(h, "T/USD", core::errc::checksum_mismatch);
    h.feed_ok(v2("update", "T/USD", k_bid_a, k_none, crc_a()));  // late A: dropped
    CHECK(b.counters.dropped == 1);
    CHECK_FALSE(b.live());
  }
  SECTION("A twice in a row: absolute sizes make it harmless, and its checksum still matches") {
    h.feed_ok(v2("update", "T/USD", k_bid_a, k_none, crc_a()));
    h.feed_ok(v2("update", "T/USD", k_bid_a, k_none, crc_a()));
    CHECK(b.live());
    CHECK(b.counters.checksums_passed == 3);
    CHECK(price_is(b, core::side::bid, "100.27"));
  }
  SECTION("A again after B (a stale replay): mismatch") {
    h.feed_ok(v2("update", "T/USD", k_bid_a, k_none, crc_a()));
    h.feed_ok(v2("update", "T/USD", k_bid_b, k_none, crc_ab()));
    REQUIRE(b.live());
    h.feed_ok(v2("update", "T/USD", k_bid_a, k_none, crc_a()));
    // The book after A, B, A differs from after A alone (100.21 is still there).
    CHECK(b.status == book::book_status::invalid);
    CHECK(b.counters.checksums_failed == 1);
    require_resubscribe(h, "T/USD", core::errc::checksum_mismatch);
  }
}

TEST_CASE("v2: undecodable messages leave every book untouched", "[kraken][sync][v2]") {
  venues::protocol_options opt;
  opt.symbols = {"T/USD"};
  harness h(core::venue::kraken, opt);
  h.feed_ok(snapshot_msg());
  auto& b = h.book("T/USD");
  REQUIRE(b.live());
  const auto crc_before = venues::kraken::book_checksum(b.book, 2, 8);
  REQUIRE(crc_before);
  const auto msgs_before = b.counters.messages;

  struct bad_case {
    std::string json;
    core::errc code;
  };
  const std::string full = v2("update", "T/USD", k_bid_a, k_none, crc_a());
  const std::vector<bad_case> cases = {
      {full.substr(0, full.size() / 2), core::errc::malformed_json},  // truncated frame
      {full.substr(0, full.size() - 1), core::errc::malformed_json},
      {R"({"channel":"book","type":"update","data":[{"symbol":"T/USD","bids":[{"price":"100.27","qty":[1]}],"asks":[],"checksum":1}]})", core::errc::wrong_type},
      {R"({"channel":"book","type":"update","data":[{"symbol":"T/USD","bids":[{"price":100.27,"qty":12345678901234567890}],"asks":[],"checksum":1}]})", core::errc::number_overflow},
      {R"({"channel":"book","type":"update","data":[{"symbol":"T/USD","bids":[{"price":100.27,"qty":1}],"asks":[{"price":1e-30,"qty":1}],"checksum":1}]})", core::errc::number_overflow},
      {R"({"channel":"orderbook","type":"update","data":[]})", core::errc::unknown_message},
      {R"({"hello":"world"})", core::errc::unknown_message},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    auto st = h.feed(c.json);
    REQUIRE_FALSE(st);
    CHECK(st.code() == c.code);
    CHECK(b.live());
    CHECK(b.counters.messages == msgs_before);
    auto crc_now = venues::kraken::book_checksum(b.book, 2, 8);
    REQUIRE(crc_now);
    CHECK(*crc_now == *crc_before);
  }
  CHECK(h.p->counters().malformed == 5);
  CHECK(h.p->counters().unknown == 2);
  CHECK(h.take().empty());

  SECTION("the next checksum catches the update that was lost to a truncated frame") {
    h.feed_ok(v2("update", "T/USD", k_bid_b, k_none, crc_ab()));  // A never applied
    CHECK(b.status == book::book_status::invalid);
    require_resubscribe(h, "T/USD", core::errc::checksum_mismatch);
    h.feed_ok(snapshot_msg());
    CHECK(b.live());
  }
  SECTION("a message for a symbol not configured is understood and ignored") {
    h.feed_ok(snapshot_msg("OTHER/USD"));
    CHECK(h.p->find_book("OTHER/USD") == nullptr);
    CHECK(h.p->books().size() == 1);
    CHECK(h.p->counters().unknown_symbol == 1);
    CHECK(b.live());
  }
}

TEST_CASE("v2: updates need a snapshot; depth truncation; acks; disconnect", "[kraken][sync][v2]") {
  harness h(core::venue::kraken);
  SECTION("an update before any snapshot is dropped") {
    h.feed_ok(v2("update", "T/USD", k_bid_a, k_none, crc_a()));
    auto& b = h.book("T/USD");
    CHECK(b.status == book::book_status::syncing);
    CHECK(b.counters.dropped == 1);
    CHECK(b.book.empty());
  }
  SECTION("truncation to the subscribed depth before the checksum") {
    levels bids, asks;
    for (int i = 0; i < 12; ++i) {
      bids.push_back({std::to_string(50 - i), "1"});
      asks.push_back({std::to_string(60 + i), "2"});
    }
    h.feed_ok(v2("snapshot", "D/USD", bids, asks, crc_after({{&bids, &asks}}, 0, 0)));
    auto& b = h.book("D/USD");
    CHECK(b.live());
    CHECK(b.book.size(core::side::bid) == 10);
    CHECK(b.book.size(core::side::ask) == 10);
    // A better bid pushes the 10th out; Kraken sends no delete for it.
    const levels better = {{"55", "1"}};
    h.feed_ok(v2("update", "D/USD", better, k_none,
                 crc_after({{&bids, &asks}, {&better, &k_none}}, 0, 0)));
    CHECK(b.live());
    CHECK(b.book.size(core::side::bid) == 10);
    CHECK(core::compare_scaled(b.book.nth(core::side::bid, 9).price, b.book.price_scale(), 42, 0) == 0);
    // Deleting a level leaves 9 until Kraken sends the level that moves into scope.
    const levels del = {{"55", "0"}};
    h.feed_ok(v2("update", "D/USD", del, k_none,
                 crc_after({{&bids, &asks}, {&better, &k_none}, {&del, &k_none}}, 0, 0)));
    CHECK(b.book.size(core::side::bid) == 9);
    CHECK_FALSE(b.book.coverage_key(core::side::bid).has_value());  // fewer than N: complete
    CHECK(b.book.coverage_key(core::side::ask).has_value());
  }
  SECTION("the ack's depth is the book's depth") {
    h.feed_ok(R"({"method":"subscribe","result":{"channel":"book","depth":25,"snapshot":true,"symbol":"D/USD"},"success":true})");
    levels bids, asks;
    for (int i = 0; i < 30; ++i) {
      bids.push_back({std::to_string(50 - i), "1"});
      asks.push_back({std::to_string(60 + i), "2"});
    }
    h.feed_ok(v2("snapshot", "D/USD", bids, asks, crc_after({{&bids, &asks}}, 0, 0, 25)));
    auto& b = h.book("D/USD");
    CHECK(b.live());
    CHECK(b.book.size(core::side::bid) == 25);
    CHECK(b.book.get_coverage(core::side::ask).n == 25);
  }
  SECTION("a disconnect sends every book back to syncing") {
    h.feed_ok(snapshot_msg());
    auto& b = h.book("T/USD");
    REQUIRE(b.live());
    h.p->on_disconnect();
    CHECK(b.status == book::book_status::syncing);
    CHECK(b.book.empty());
    h.feed_ok(v2("update", "T/USD", k_bid_a, k_none, crc_a()));
    CHECK(b.counters.dropped == 1);
    h.feed_ok(snapshot_msg());
    CHECK(b.live());
  }
  SECTION("REST snapshots are not Kraken's way") {
    core::padded_buffer pb;
    auto st = h.p->on_snapshot("T/USD", pb.assign("{}"), 0);
    REQUIRE_FALSE(st);
    CHECK(st.code() == core::errc::invalid_argument);
  }
  SECTION("one message may carry several books") {
    const std::string two =
        R"({"channel":"book","type":"snapshot","data":[{"symbol":"A/USD","bids":[{"price":1,"qty":1}],"asks":[{"price":2,"qty":1}],"checksum":)" +
        std::to_string(venues::kraken::crc32("2111")) +
        R"(},{"symbol":"B/USD","bids":[{"price":3,"qty":1}],"asks":[{"price":4,"qty":1}],"checksum":)" +
        std::to_string(venues::kraken::crc32("4131")) + "}]}";
    h.feed_ok(two);
    CHECK(h.book("A/USD").live());
    CHECK(h.book("B/USD").live());
  }
}

TEST_CASE("v1: checksum mismatch, crossed book, recovery; depth from book-N", "[kraken][sync][v1]") {
  harness h(core::venue::kraken_v1);
  const levels bids = {{"1.00100", "2.00000000"}, {"1.00000", "1.00000000"}};
  const levels asks = {{"1.00200", "0.50000000"}, {"1.00300", "3.00000000"}};
  h.feed_ok(v1_snapshot("AB/EUR", bids, asks));
  auto& b = h.book("AB/EUR");
  CHECK(b.live());
  CHECK(b.counters.snapshots == 1);
  CHECK(b.counters.checksums_passed == 0);  // v1 snapshots carry no checksum

  const levels u1 = {{"1.00150", "1.00000000"}};
  const std::uint32_t good = crc_after({{&bids, &asks}, {&u1, &k_none}}, 5, 8);
  SECTION("a good update") {
    h.feed_ok(v1_update("AB/EUR", u1, k_none, good));
    CHECK(b.live());
    CHECK(b.counters.checksums_passed == 1);
    CHECK(b.counters.updates_applied == 1);
  }
  SECTION("mismatch -> invalid -> resubscribe (v1 frame) -> snapshot recovers") {
    h.feed_ok(v1_update("AB/EUR", u1, k_none, good + 1));
    CHECK(b.status == book::book_status::invalid);
    CHECK(b.counters.checksums_failed == 1);
    const auto reqs = h.take();
    REQUIRE(reqs.size() == 1);
    CHECK(reqs[0].what == request::kind::resubscribe);
    CHECK(h.p->spec().subscribe_one(reqs[0].symbol) ==
          std::vector<std::string>{
              R"({"event":"subscribe","pair":["AB/EUR"],"subscription":{"name":"book","depth":10}})"});
    h.feed_ok(v1_update("AB/EUR", u1, k_none, good));
    CHECK(b.counters.dropped == 1);
    h.feed_ok(v1_snapshot("AB/EUR", bids, asks));
    CHECK(b.live());
    h.feed_ok(v1_update("AB/EUR", u1, k_none, good));
    CHECK(b.live());
    CHECK(b.counters.checksums_passed == 1);
  }
  SECTION("crossed") {
    const levels x = {{"1.00250", "1.00000000"}};
    h.feed_ok(v1_update("AB/EUR", x, k_none, crc_after({{&bids, &asks}, {&x, &k_none}}, 5, 8)));
    CHECK(b.status == book::book_status::invalid);
    CHECK(b.counters.crossed == 1);
    CHECK(b.counters.checksums_passed == 1);
  }
  SECTION("a and b in one message, with a republished level") {
    const levels nb = {{"1.00100", "5.00000000"}};
    const levels na = {{"1.00200", "0"}};
    const std::string msg =
        R"([7,{"a":[["1.00200","0.00000000","1618678133.1"]]},{"b":[["1.00100","5.00000000","1618678133.2","r"]],"c":")" +
        std::to_string(crc_after({{&bids, &asks}, {&nb, &na}}, 5, 8)) +
        R"("},"book-10","AB/EUR"])";
    h.feed_ok(msg);
    CHECK(b.live());
    CHECK(price_is(b, core::side::ask, "1.003"));
    CHECK(b.last_event_time == 1618678133200000000LL);
  }
  SECTION("book-N decides the truncation depth") {
    levels many_b, many_a;
    for (int i = 0; i < 30; ++i) {
      many_b.push_back({std::to_string(100 - i) + ".0", "1.0"});
      many_a.push_back({std::to_string(200 + i) + ".0", "1.0"});
    }
    h.feed_ok(v1_snapshot("N/USD", many_b, many_a, "book-25"));
    auto& nb = h.book("N/USD");
    CHECK(nb.book.size(core::side::bid) == 25);
    CHECK(nb.book.get_coverage(core::side::bid).n == 25);
  }
}

// Regression (issue 6): v1 took each frame's "book-N" as the book's depth, so a connection
// carrying book-10 and book-1000 for one pair mixed both views into one book (the book-10
// snapshot replaced the deep book and truncated it to 10 levels). The first depth seen now fixes
// the book's depth, as on Bybit and OKX; frames of another depth are ignored.
TEST_CASE("v1: one depth per book, another book-N of the same pair is ignored",
          "[kraken][sync][v1][regression]") {
  levels deep_b, deep_a, top_b, top_a;
  for (int i = 0; i < 30; ++i) {
    deep_b.push_back({std::to_string(100 - i) + ".0", "1.0"});
    deep_a.push_back({std::to_string(200 + i) + ".0", "1.0"});
  }
  top_b = {{"100.0", "7.0"}};
  top_a = {{"200.0", "8.0"}};
  SECTION("depth from the first frame") {
    harness h(core::venue::kraken_v1);
    h.feed_ok(v1_snapshot("N/USD", deep_b, deep_a, "book-1000"));
    auto& b = h.book("N/USD");
    REQUIRE(b.book.size(core::side::bid) == 30);
    const auto ignored = h.p->counters().ignored;
    h.feed_ok(v1_snapshot("N/USD", top_b, top_a, "book-10"));
    CHECK(h.p->counters().ignored == ignored + 1);
    CHECK(b.book.size(core::side::bid) == 30);  // not replaced by the 10-level view
    CHECK(b.counters.snapshots == 1);
    CHECK(b.book.get_coverage(core::side::bid).n == 1000);
    CHECK(b.live());
  }
  SECTION("depth from the setting") {
    venues::protocol_options opt;
    opt.settings["depth"] = "25";
    harness h(core::venue::kraken_v1, opt);
    h.feed_ok(v1_snapshot("N/USD", top_b, top_a, "book-10"));  // not our subscription
    CHECK(h.p->find_book("N/USD") != nullptr);
    CHECK(h.book("N/USD").counters.snapshots == 0);
    h.feed_ok(v1_snapshot("N/USD", deep_b, deep_a, "book-25"));
    auto& b = h.book("N/USD");
    CHECK(b.counters.snapshots == 1);
    CHECK(b.book.size(core::side::bid) == 25);
  }
}

// Regression (tests/data/kraken/v2_book25_minagbp_resync_depthcharge_20260818: unsubscribe, then
// resubscribe on one connection): after the unsubscribe ack Kraken maintains nothing for the
// book, so it must not stay live on its old content until the re-snapshot.
TEST_CASE("v2: an unsubscribe ack takes the book out of live until the new snapshot",
          "[kraken][sync][v2]") {
  venues::protocol_options opt;
  opt.symbols = {"MINA/GBP"};
  harness h(core::venue::kraken, opt);
  const auto lines = test::read_lines(
      test::data_path("kraken/v2_book25_minagbp_resync_depthcharge_20260818.jsonl"));
  REQUIRE(lines.size() == 96);
  REQUIRE(lines.at(51).starts_with(R"({"method":"unsubscribe")"));
  REQUIRE(lines.at(54).starts_with(R"({"channel":"book","type":"snapshot")"));
  for (std::size_t i = 0; i < 51; ++i) h.feed_ok(lines[i]);
  auto& b = h.book("MINA/GBP");
  REQUIRE(b.live());
  const auto resyncs = b.counters.resyncs;
  h.feed_ok(lines[51]);  // the unsubscribe ack
  CHECK(b.status == book::book_status::syncing);
  CHECK_FALSE(b.have_snapshot);
  CHECK(b.book.empty());
  CHECK(b.counters.resyncs == resyncs);  // our own request, not a failure
  CHECK(h.take().empty());               // nothing to recover: the resubscribe is under way
  h.feed_ok(lines[52]);                  // heartbeat
  h.feed_ok(lines[53]);                  // the new subscription's ack
  CHECK_FALSE(b.live());
  h.feed_ok(lines[54]);  // its snapshot
  CHECK(b.live());
  CHECK(b.counters.snapshots == 2);
  for (std::size_t i = 55; i < lines.size(); ++i) h.feed_ok(lines[i]);
  CHECK(b.live());
  CHECK(b.counters.checksums_failed == 0);
}

TEST_CASE("v1 and v2 codecs: book unsubscribe acks", "[kraken][codec]") {
  venues::kraken::v2_codec v2c;
  venues::kraken::v1_codec v1c;
  venues::kraken::message m;
  core::padded_buffer buf;
  REQUIRE(v2c.parse(buf.assign(R"({"method":"unsubscribe","result":{"channel":"book","depth":25,"symbol":"MINA/GBP"},"success":true,"time_in":"2026-08-18T20:44:29.766514Z","time_out":"2026-08-18T20:44:29.766559Z"})"), m));
  CHECK(m.kind == venues::kraken::msg_kind::unsubscribed);
  CHECK(m.symbol == "MINA/GBP");
  // A failed unsubscribe changes nothing: control.
  REQUIRE(v2c.parse(buf.assign(R"({"error":"Subscription Not Found","method":"unsubscribe","success":false,"symbol":"MINA/GBP"})"), m));
  CHECK(m.kind == venues::kraken::msg_kind::control);
  REQUIRE(v1c.parse(buf.assign(R"({"channelID":10001,"channelName":"book-25","event":"subscriptionStatus","pair":"XBT/EUR","status":"unsubscribed","subscription":{"depth":25,"name":"book"}})"), m));
  CHECK(m.kind == venues::kraken::msg_kind::unsubscribed);
  CHECK(m.symbol == "XBT/EUR");
}
