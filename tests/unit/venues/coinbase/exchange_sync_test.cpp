// Exchange (level2_batch) sync: snapshot + crossed check are the only integrity signals; every
// failure path ends in the documented recovery.
#include "venues/coinbase/exchange_sync.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace depthmon;
using core::side;
using venues::request;

namespace {

std::string snap(const char* product, const char* bids, const char* asks) {
  return std::string(R"({"type":"snapshot","product_id":")") + product + R"(","asks":)" + asks +
         R"(,"bids":)" + bids + "}";
}
std::string upd(const char* product, const char* changes) {
  return std::string(R"({"type":"l2update","product_id":")") + product + R"(","changes":)" + changes +
         R"(,"time":"2021-04-17T16:43:37.075687Z"})";
}
const char* k_bids = R"([["100","1"],["99","2"],["98","3"]])";
const char* k_asks = R"([["101","1"],["102","2"]])";

struct harness {
  venues::coinbase::exchange_protocol p;
  core::padded_buffer buf;
  explicit harness(std::vector<std::string> syms = {"BTC-USD", "ETH-USD"}) : p(opts(std::move(syms))) {}
  static venues::protocol_options opts(std::vector<std::string> syms) {
    venues::protocol_options o;
    o.symbols = std::move(syms);
    return o;
  }
  core::status frame(const std::string& s) { return p.on_frame(buf.assign(s), 0); }
  book::tracked_book& btc() { return *p.find_book("BTC-USD"); }
  book::tracked_book& eth() { return *p.find_book("ETH-USD"); }
  std::vector<request> take() {
    auto r = std::move(p.requests());
    p.requests().clear();
    return r;
  }
  void start() {
    REQUIRE(frame(snap("BTC-USD", k_bids, k_asks)).ok());
    REQUIRE(frame(snap("ETH-USD", R"([["10","1"]])", R"([["11","1"]])")).ok());
    REQUIRE(btc().live());
    REQUIRE(eth().live());
  }
};

std::string px(const book::tracked_book& tb, side s) {
  return core::to_canonical_string(tb.book.best(s)->price, tb.book.price_scale());
}
std::string qty(const book::tracked_book& tb, side s) {
  return core::to_canonical_string(tb.book.best(s)->qty, tb.book.qty_scale());
}

}  // namespace

TEST_CASE("Exchange: snapshot then l2updates", "[coinbase][exchange][sync]") {
  harness h;
  h.start();
  auto& b = h.btc();
  CHECK(b.book.size(side::bid) == 3);
  CHECK(b.book.size(side::ask) == 2);
  CHECK(b.book.get_coverage(side::bid).k == book::coverage::kind::full);
  CHECK(b.counters.snapshots == 1);
  REQUIRE(h.frame(upd("BTC-USD", R"([["sell","101","0"],["buy","100.5","4"],["buy","98","0"]])")).ok());
  CHECK(px(b, side::bid) == "100.5");
  CHECK(qty(b, side::bid) == "4");
  CHECK(px(b, side::ask) == "102");
  CHECK(b.book.size(side::bid) == 3);
  CHECK(b.counters.updates_applied == 1);
  CHECK(b.last_event_time == 1618677817075687000LL);
  CHECK(!b.last_update_id);
  CHECK(b.live());
  // Control and ignored messages leave books alone.
  REQUIRE(h.frame(R"({"type":"heartbeat","last_trade_id":20,"product_id":"BTC-USD","sequence":90,"time":"2021-04-17T16:43:38Z"})").ok());
  REQUIRE(h.frame(R"({"type":"ticker","sequence":1,"product_id":"BTC-USD","price":"100","best_bid":"1000","best_ask":"1"})").ok());
  REQUIRE(h.frame(R"({"type":"subscriptions","channels":[]})").ok());
  CHECK(h.p.counters().control == 2);
  CHECK(h.p.counters().ignored == 1);
  CHECK(b.counters.messages == 4);
  CHECK(px(b, side::bid) == "100.5");
  CHECK(h.take().empty());
  // A second snapshot replaces the book.
  REQUIRE(h.frame(snap("BTC-USD", R"([["50","1"]])", R"([["60","1"]])")).ok());
  CHECK(b.book.size(side::bid) == 1);
  CHECK(b.counters.snapshots == 2);
}

TEST_CASE("Exchange: l2update before snapshot is dropped, never a live book", "[coinbase][exchange][sync]") {
  harness h;
  REQUIRE(h.frame(upd("BTC-USD", R"([["buy","100","1"],["sell","101","1"]])")).ok());
  CHECK(h.btc().status == book::book_status::syncing);
  CHECK(h.btc().book.empty());
  CHECK(h.btc().counters.dropped == 1);
  CHECK(h.btc().counters.updates_applied == 0);
  CHECK(h.take().empty());
  REQUIRE(h.frame(snap("BTC-USD", k_bids, k_asks)).ok());
  CHECK(h.btc().live());
  // Replay mode: the book exists after such an update, but syncing.
  venues::protocol_options o;
  venues::coinbase::exchange_protocol q(o);
  core::padded_buffer buf;
  REQUIRE(q.on_frame(buf.assign(upd("SOL-USD", R"([["buy","1","1"]])")), 0).ok());
  REQUIRE(q.books().size() == 1);
  CHECK(q.books()[0]->status == book::book_status::syncing);
  CHECK(q.books()[0]->counters.dropped == 1);
}

TEST_CASE("Exchange: crossed or locked -> invalid + resubscribe, snapshot recovers", "[coinbase][exchange][sync]") {
  harness h;
  h.start();
  REQUIRE(h.frame(upd("BTC-USD", R"([["buy","101","1"]])")).ok());  // locked
  CHECK(h.btc().status == book::book_status::invalid);
  CHECK(h.btc().counters.crossed == 1);
  CHECK(h.btc().counters.resyncs == 1);
  CHECK(h.btc().book.empty());
  CHECK(h.eth().live());
  auto r = h.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].what == request::kind::resubscribe);
  CHECK(r[0].symbol == "BTC-USD");
  CHECK(r[0].reason == core::errc::crossed_book);
  REQUIRE(h.frame(upd("BTC-USD", R"([["buy","90","1"]])")).ok());
  CHECK(h.btc().book.empty());
  CHECK(h.btc().counters.dropped == 1);
  REQUIRE(h.frame(snap("BTC-USD", k_bids, k_asks)).ok());
  CHECK(h.btc().live());
  // A crossed message that un-crosses within itself is fine (checked after the whole message).
  REQUIRE(h.frame(upd("BTC-USD", R"([["buy","105","1"],["buy","105","0"]])")).ok());
  CHECK(h.btc().live());
  // A crossed snapshot.
  REQUIRE(h.frame(snap("ETH-USD", R"([["12","1"]])", R"([["11","1"]])")).ok());
  CHECK(h.eth().status == book::book_status::invalid);
  CHECK(h.eth().counters.crossed == 1);
}

TEST_CASE("Exchange: malformed, wrong types, huge numbers, unknown touch no book", "[coinbase][exchange][sync]") {
  harness h;
  h.start();
  const std::string good = upd("BTC-USD", R"([["buy","100","7"]])");
  const std::vector<std::string> bad{
      good.substr(0, good.size() - 2),
      upd("BTC-USD", R"([["buy","100","7"],["hold","100","7"]])"),
      upd("BTC-USD", R"([["buy","100","7"],["buy","100",7.5e999]])"),
      upd("BTC-USD", R"([["buy","100","7"],["buy","100","123456789012345678901"]])"),
      upd("BTC-USD", R"([["buy","100","7"],["buy","100"]])"),
      upd("BTC-USD", R"({"buy":"100"})"),
      R"({"type":"l2update","product_id":["BTC-USD"],"changes":[]})",
      R"({"type":"mystery","product_id":"BTC-USD"})",
      "[]",
  };
  for (const auto& f : bad) {
    INFO(f);
    auto st = h.frame(f);
    CHECK(!st.ok());
    CHECK(core::condition_of(st.code()) == core::condition::drop_message);
    CHECK(qty(h.btc(), side::bid) == "1");
    CHECK(h.btc().live());
  }
  CHECK(h.p.counters().malformed + h.p.counters().unknown == bad.size());
  CHECK(h.p.counters().unknown == 1);
  CHECK(h.take().empty());
  REQUIRE(h.frame(good).ok());
  CHECK(qty(h.btc(), side::bid) == "7");
}

TEST_CASE("Exchange: a value the book cannot hold invalidates only that book", "[coinbase][exchange][sync]") {
  harness h;
  h.start();
  REQUIRE(h.frame(upd("BTC-USD", R"([["sell","150","999999999999999999"]])")).ok());
  REQUIRE(h.frame(upd("BTC-USD", R"([["buy","100","0.5"]])")).ok());
  CHECK(h.btc().status == book::book_status::invalid);
  CHECK(h.btc().last_error.code == core::errc::precision_loss);
  CHECK(h.eth().live());
  auto r = h.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].what == request::kind::resubscribe);
}

TEST_CASE("Exchange: disconnect, unknown symbols, options, subscribe frames", "[coinbase][exchange]") {
  harness h({"BTC-USD"});
  REQUIRE(h.frame(snap("BTC-USD", k_bids, k_asks)).ok());
  REQUIRE(h.frame(snap("ETH-USD", k_bids, k_asks)).ok());
  CHECK(h.p.counters().unknown_symbol == 1);
  CHECK(h.p.books().size() == 1);
  h.p.on_disconnect();
  CHECK(h.btc().status == book::book_status::syncing);
  CHECK(h.btc().book.empty());
  REQUIRE(h.frame(upd("BTC-USD", R"([["buy","100","1"]])")).ok());
  CHECK(h.btc().counters.dropped == 1);

  venues::protocol_options o;
  o.symbols = {"BTC-USD", "ETH-USD"};
  auto p = std::move(venues::make_protocol(core::venue::coinbase_exchange, o)).value();
  CHECK(p->venue() == core::venue::coinbase_exchange);
  const auto subs = p->subscribe_messages();
  REQUIRE(subs.size() == 1);
  CHECK(subs[0] == R"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channels":["level2_batch","heartbeat"]})");
  CHECK(p->unsubscribe_messages("ETH-USD")[0] ==
        R"({"type":"unsubscribe","product_ids":["ETH-USD"],"channels":["level2_batch","heartbeat"]})");
  core::padded_buffer buf;
  CHECK(p->on_snapshot("BTC-USD", buf.assign("{}"), 0).code() == core::errc::invalid_argument);
  CHECK(!venues::uses_rest_snapshot(core::venue::coinbase_exchange));
  o.settings.emplace("x", "y");
  CHECK(venues::make_protocol(core::venue::coinbase_exchange, o).code() == core::errc::invalid_argument);
}
