// Advanced Trade sync: every failure path ends in the documented recovery, never a crash or a
// silently wrong book.
#include "venues/coinbase/advanced_trade_sync.hpp"

#include <catch2/catch.hpp>

#include "venues/registry.hpp"

#include <string>

using namespace depthmon;
using core::side;
using venues::request;

namespace {

std::string lv(const char* s, const char* price, const char* qty) {
  return std::string(R"({"side":")") + s + R"(","event_time":"2023-02-09T20:32:50Z","price_level":")" + price +
         R"(","new_quantity":")" + qty + R"("})";
}
std::string ev(const char* type, const char* product, const std::vector<std::string>& levels) {
  std::string u;
  for (const auto& l : levels) u += (u.empty() ? "" : ",") + l;
  return std::string(R"({"type":")") + type + R"(","product_id":")" + product + R"(","updates":[)" + u + "]}";
}
std::string l2(std::uint64_t seq, const std::vector<std::string>& events) {
  std::string e;
  for (const auto& x : events) e += (e.empty() ? "" : ",") + x;
  return R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":)" +
         std::to_string(seq) + R"(,"events":[)" + e + "]}";
}
std::string hb(std::uint64_t seq) {
  return R"({"channel":"heartbeats","timestamp":"2023-06-23T20:31:26Z","sequence_num":)" + std::to_string(seq) +
         R"(,"events":[{"current_time":"x","heartbeat_counter":)" + std::to_string(seq) + "}]}";
}

// BTC: bids 100/99, asks 101/102. ETH: bids 10, asks 11.
std::string btc_snap() {
  return ev("snapshot", "BTC-USD", {lv("offer", "102", "2"), lv("bid", "99", "2"), lv("offer", "101", "1"), lv("bid", "100", "1")});
}
std::string eth_snap() { return ev("snapshot", "ETH-USD", {lv("bid", "10", "5"), lv("offer", "11", "6")}); }

struct harness {
  venues::coinbase::advanced_trade_protocol p;
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
  // Both books live at sequence 1.
  void start() {
    REQUIRE(frame(l2(0, {btc_snap()})).ok());
    REQUIRE(frame(l2(1, {eth_snap()})).ok());
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

TEST_CASE("AT: snapshot (unsorted) then updates with absolute sizes", "[coinbase][at][sync]") {
  harness h;
  h.start();
  auto& b = h.btc();
  CHECK(b.book.size(side::bid) == 2);
  CHECK(b.book.size(side::ask) == 2);
  CHECK(px(b, side::bid) == "100");
  CHECK(px(b, side::ask) == "101");
  CHECK(b.book.get_coverage(side::bid).k == book::coverage::kind::full);
  CHECK(b.book.get_coverage(side::ask).k == book::coverage::kind::full);
  CHECK(b.counters.snapshots == 1);
  // Unsorted update: add 100.5 bid, delete 101 ask, set 99 to 7, in one event.
  REQUIRE(h.frame(l2(2, {ev("update", "BTC-USD", {lv("offer", "101", "0"), lv("bid", "99", "7"), lv("bid", "100.5", "3")})})).ok());
  CHECK(px(b, side::bid) == "100.5");
  CHECK(qty(b, side::bid) == "3");
  CHECK(px(b, side::ask) == "102");
  CHECK(b.book.size(side::bid) == 3);
  CHECK(b.counters.updates_applied == 1);
  CHECK(*b.last_update_id == 2);
  CHECK(b.live());
  // Deleting an absent level is harmless.
  REQUIRE(h.frame(l2(3, {ev("update", "BTC-USD", {lv("offer", "150", "0")})})).ok());
  CHECK(b.book.size(side::ask) == 1);
  // Several events for several products in one frame.
  REQUIRE(h.frame(l2(4, {ev("update", "ETH-USD", {lv("bid", "10", "1")}), ev("update", "BTC-USD", {lv("offer", "103", "1")})})).ok());
  CHECK(qty(h.eth(), side::bid) == "1");
  CHECK(h.btc().book.size(side::ask) == 2);
  CHECK(h.btc().counters.messages == 4);
  CHECK(h.eth().counters.messages == 2);
  CHECK(h.take().empty());
  CHECK(h.p.counters().book_messages == 5);
}

TEST_CASE("AT: a snapshot replaces the whole book", "[coinbase][at][sync]") {
  harness h;
  h.start();
  REQUIRE(h.frame(l2(2, {ev("snapshot", "BTC-USD", {lv("bid", "50", "1"), lv("offer", "60", "1")})})).ok());
  CHECK(h.btc().book.size(side::bid) == 1);
  CHECK(h.btc().book.size(side::ask) == 1);
  CHECK(px(h.btc(), side::bid) == "50");
  CHECK(h.btc().counters.snapshots == 2);
  // Repeated price inside a snapshot: the last size wins, as in wire order.
  REQUIRE(h.frame(l2(3, {ev("snapshot", "BTC-USD", {lv("bid", "50", "1"), lv("bid", "49", "1"), lv("bid", "50", "4"), lv("offer", "60", "1")})})).ok());
  CHECK(qty(h.btc(), side::bid) == "4");
  CHECK(h.btc().book.size(side::bid) == 2);
}

TEST_CASE("AT: connection-level sequence gap invalidates every book, asks to reconnect", "[coinbase][at][sync]") {
  harness h;
  h.start();
  REQUIRE(h.frame(hb(2)).ok());
  // 3 and 4 are lost; 5 is an ETH update: BTC (no data of its own skipped) is invalid too.
  REQUIRE(h.frame(l2(5, {ev("update", "ETH-USD", {lv("bid", "10", "9")})})).ok());
  CHECK(h.p.sequence().gaps == 1);
  CHECK(h.p.sequence().lost == 2);
  for (auto* tb : {&h.btc(), &h.eth()}) {
    CHECK(tb->status == book::book_status::invalid);
    CHECK(tb->counters.gaps == 1);
    CHECK(tb->counters.resyncs == 1);
    CHECK(tb->book.empty());
    CHECK(tb->last_error.code == core::errc::sequence_gap);
  }
  CHECK(h.eth().counters.dropped == 1);  // the update in the frame that showed the gap
  auto r = h.take();
  REQUIRE(r.size() == 1);  // one reconnect for the connection, not one per book
  CHECK(r[0].what == request::kind::reconnect);
  CHECK(r[0].reason == core::errc::sequence_gap);
  // Updates stay dropped until a snapshot; the sequence continues from the new baseline.
  REQUIRE(h.frame(l2(6, {ev("update", "BTC-USD", {lv("bid", "100", "1")})})).ok());
  CHECK(h.btc().status == book::book_status::invalid);
  CHECK(h.btc().book.empty());
  REQUIRE(h.frame(l2(7, {btc_snap()})).ok());
  CHECK(h.btc().live());
  CHECK(h.eth().status == book::book_status::invalid);
  CHECK(h.p.sequence().gaps == 1);
  CHECK(h.take().empty());
  // The owner reconnects: a new connection counts from 0 again.
  h.p.on_disconnect();
  CHECK(h.btc().status == book::book_status::syncing);
  CHECK(!h.p.last_sequence());
  REQUIRE(h.frame(l2(0, {btc_snap(), eth_snap()})).ok());
  CHECK(h.btc().live());
  CHECK(h.eth().live());
  CHECK(h.p.sequence().gaps == 1);
  CHECK(h.p.sequence().stale == 0);
}

TEST_CASE("AT: a gap before any snapshot only asks to reconnect", "[coinbase][at][sync]") {
  harness h;
  REQUIRE(h.frame(hb(0)).ok());
  REQUIRE(h.frame(hb(2)).ok());  // 1 (maybe BTC's snapshot) lost
  CHECK(h.btc().status == book::book_status::syncing);
  CHECK(h.btc().counters.resyncs == 0);
  auto r = h.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].what == request::kind::reconnect);
}

TEST_CASE("AT: duplicate and out-of-order frames are counted, never applied", "[coinbase][at][sync]") {
  harness h;
  h.start();
  const std::string upd = l2(2, {ev("update", "BTC-USD", {lv("bid", "100", "5")})});
  REQUIRE(h.frame(upd).ok());
  REQUIRE(h.frame(hb(3)).ok());
  // Same frame again, and an older one with different content.
  REQUIRE(h.frame(upd).ok());
  REQUIRE(h.frame(l2(1, {ev("update", "BTC-USD", {lv("bid", "100", "9"), lv("offer", "101", "0")})})).ok());
  REQUIRE(h.frame(hb(3)).ok());
  CHECK(qty(h.btc(), side::bid) == "5");
  CHECK(px(h.btc(), side::ask) == "101");
  CHECK(h.btc().counters.updates_applied == 1);
  CHECK(h.btc().counters.dropped == 2);
  CHECK(h.p.sequence().stale == 3);
  CHECK(h.p.sequence().gaps == 0);
  CHECK(*h.p.last_sequence() == 3);
  CHECK(h.btc().live());
  CHECK(h.take().empty());
  // The stream goes on at 4.
  REQUIRE(h.frame(l2(4, {ev("update", "BTC-USD", {lv("bid", "100", "6")})})).ok());
  CHECK(qty(h.btc(), side::bid) == "6");
}

TEST_CASE("AT: crossed or locked after a complete message -> that book resubscribes", "[coinbase][at][sync]") {
  harness h;
  h.start();
  // Crossed in the middle of the frame but not at its end: fine.
  REQUIRE(h.frame(l2(2, {ev("update", "BTC-USD", {lv("bid", "101.5", "1")}), ev("update", "BTC-USD", {lv("bid", "101.5", "0")})})).ok());
  CHECK(h.btc().live());
  CHECK(h.btc().counters.crossed == 0);
  // Locked at the end of the frame; ETH in the same frame stays live.
  REQUIRE(h.frame(l2(3, {ev("update", "ETH-USD", {lv("bid", "10", "2")}), ev("update", "BTC-USD", {lv("bid", "101", "1")})})).ok());
  CHECK(h.btc().status == book::book_status::invalid);
  CHECK(h.btc().counters.crossed == 1);
  CHECK(h.btc().counters.resyncs == 1);
  CHECK(h.btc().last_error.code == core::errc::crossed_book);
  CHECK(h.eth().live());
  CHECK(qty(h.eth(), side::bid) == "2");
  auto r = h.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].what == request::kind::resubscribe);
  CHECK(r[0].symbol == "BTC-USD");
  CHECK(r[0].reason == core::errc::crossed_book);
  // What the owner sends for it: the connection contract's frames.
  CHECK(venues::make_spec(core::venue::coinbase, {}).value()->unsubscribe_one("BTC-USD") ==
        std::vector<std::string>{R"({"type":"unsubscribe","product_ids":["BTC-USD"],"channel":"level2"})"});
  // Updates are dropped until the fresh snapshot, which makes it live again.
  REQUIRE(h.frame(l2(4, {ev("update", "BTC-USD", {lv("bid", "90", "1")})})).ok());
  CHECK(h.btc().book.empty());
  REQUIRE(h.frame(l2(5, {btc_snap()})).ok());
  CHECK(h.btc().live());
  CHECK(px(h.btc(), side::bid) == "100");
  // A crossed snapshot is not trusted either.
  REQUIRE(h.frame(l2(6, {ev("snapshot", "ETH-USD", {lv("bid", "12", "1"), lv("offer", "11", "1")})})).ok());
  CHECK(h.eth().status == book::book_status::invalid);
  CHECK(h.eth().counters.crossed == 1);
}

TEST_CASE("AT: update before snapshot never makes a live book", "[coinbase][at][sync]") {
  harness h;
  REQUIRE(h.frame(l2(0, {ev("update", "BTC-USD", {lv("bid", "100", "1"), lv("offer", "101", "1")})})).ok());
  CHECK(h.btc().status == book::book_status::syncing);
  CHECK(h.btc().book.empty());
  CHECK(h.btc().counters.dropped == 1);
  CHECK(h.btc().counters.updates_applied == 0);
  CHECK(h.take().empty());
  // Replay mode (no configured symbols): the book is created, but syncing.
  venues::protocol_options o;
  venues::coinbase::advanced_trade_protocol q(o);
  core::padded_buffer buf;
  REQUIRE(q.on_frame(buf.assign(l2(0, {ev("update", "SOL-USD", {lv("bid", "1", "1")})})), 0).ok());
  REQUIRE(q.books().size() == 1);
  CHECK(q.books()[0]->status == book::book_status::syncing);
  CHECK(q.books()[0]->counters.dropped == 1);
}

TEST_CASE("AT: truncated frame is dropped; the hole it leaves triggers recovery", "[coinbase][at][sync]") {
  harness h;
  h.start();
  const std::string f = l2(2, {ev("update", "BTC-USD", {lv("bid", "100", "8")})});
  for (std::size_t cut : {f.size() - 1, f.size() / 2, std::size_t(10)}) {
    INFO(cut);
    auto st = h.frame(f.substr(0, cut));
    CHECK(!st.ok());
    CHECK(core::condition_of(st.code()) == core::condition::drop_message);
  }
  CHECK(h.p.counters().malformed == 3);
  CHECK(qty(h.btc(), side::bid) == "1");  // untouched
  CHECK(h.btc().live());
  CHECK(h.take().empty());
  // Frame 2 never got through: 3 shows the loss.
  REQUIRE(h.frame(hb(3)).ok());
  CHECK(h.btc().status == book::book_status::invalid);
  CHECK(h.eth().status == book::book_status::invalid);
  auto r = h.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].what == request::kind::reconnect);
}

TEST_CASE("AT: wrong types and huge numbers touch no book", "[coinbase][at][sync]") {
  harness h;
  h.start();
  const std::vector<std::string> bad{
      l2(2, {ev("update", "BTC-USD", {lv("bid", "100", "5"), lv("buy", "100", "5")})}),
      l2(2, {ev("update", "BTC-USD", {lv("bid", "100", "5")}), R"({"type":"update","product_id":1,"updates":[]})"}),
      l2(2, {ev("update", "BTC-USD", {lv("bid", "100", "5"), lv("bid", "1e999", "5")})}),
      l2(2, {ev("update", "BTC-USD", {lv("bid", "100", "5"), lv("bid", "99", "1234567890123456789012")})}),
      l2(2, {ev("update", "BTC-USD", {lv("bid", "100", "5"), lv("bid", "-99", "1")})}),
      R"({"channel":"l2_data","sequence_num":{"n":2},"events":[]})",
  };
  for (const auto& f : bad) {
    INFO(f);
    auto st = h.frame(f);
    CHECK(!st.ok());
    CHECK(core::condition_of(st.code()) == core::condition::drop_message);
    CHECK(qty(h.btc(), side::bid) == "1");
    CHECK(h.btc().live());
    CHECK(h.btc().counters.updates_applied == 0);
  }
  CHECK(h.p.counters().malformed == bad.size());
  CHECK(h.take().empty());
  CHECK(*h.p.last_sequence() == 1);
}

TEST_CASE("AT: a value the book cannot hold invalidates only that book", "[coinbase][at][sync]") {
  harness h;
  h.start();
  // 18-digit size at scale 0, then a size with one decimal: rescaling would overflow int64.
  REQUIRE(h.frame(l2(2, {ev("update", "BTC-USD", {lv("offer", "150", "999999999999999999")})})).ok());
  CHECK(h.btc().live());
  REQUIRE(h.frame(l2(3, {ev("update", "ETH-USD", {lv("bid", "10", "3")}), ev("update", "BTC-USD", {lv("bid", "100", "0.5")})})).ok());
  CHECK(h.btc().status == book::book_status::invalid);
  CHECK(h.btc().last_error.code == core::errc::precision_loss);
  CHECK(h.btc().book.empty());
  CHECK(h.eth().live());
  CHECK(qty(h.eth(), side::bid) == "3");
  auto r = h.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].what == request::kind::resubscribe);
  CHECK(r[0].symbol == "BTC-USD");
}

TEST_CASE("AT: unknown messages", "[coinbase][at][sync]") {
  harness h;
  h.start();
  // A well-formed message on an unknown channel: reported, but it took its number (no gap).
  CHECK(h.frame(R"({"channel":"mystery","sequence_num":2,"events":[]})").code() == core::errc::unknown_message);
  REQUIRE(h.frame(hb(3)).ok());
  CHECK(h.p.sequence().gaps == 0);
  // An l2_data frame with an event type we do not know could have carried book data: it is not
  // accounted, so the next frame shows the hole.
  CHECK(h.frame(l2(4, {ev("delta", "BTC-USD", {lv("bid", "100", "3")})})).code() == core::errc::unknown_message);
  CHECK(qty(h.btc(), side::bid) == "1");
  CHECK(h.btc().live());
  REQUIRE(h.frame(hb(5)).ok());
  CHECK(h.p.sequence().gaps == 1);
  CHECK(h.btc().status == book::book_status::invalid);
  CHECK(h.take().size() == 1);
  // No channel at all.
  CHECK(h.frame(R"({"hello":1})").code() == core::errc::unknown_message);
  CHECK(h.p.counters().unknown == 3);
  // Error messages are control.
  REQUIRE(h.frame(R"({"type":"error","message":"failure to subscribe"})").ok());
  CHECK(h.p.counters().control == 3);
}

TEST_CASE("AT: data for products not configured is counted, not kept", "[coinbase][at][sync]") {
  harness h({"BTC-USD"});
  REQUIRE(h.frame(l2(0, {btc_snap(), eth_snap()})).ok());
  CHECK(h.p.books().size() == 1);
  CHECK(h.btc().live());
  CHECK(h.p.counters().unknown_symbol == 1);
}

TEST_CASE("AT: options, subscribe frames, no REST snapshots", "[coinbase][at]") {
  venues::protocol_options o;
  o.symbols = {"BTC-USD", "ETH-USD"};
  auto p = std::move(venues::make_protocol(core::venue::coinbase, o)).value();
  CHECK(p->venue() == core::venue::coinbase);
  const auto subs = p->subscribe_messages();
  REQUIRE(subs.size() == 2);
  CHECK(subs[0] == R"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2"})");
  CHECK(subs[1] == R"({"type":"subscribe","channel":"heartbeats"})");
  core::padded_buffer buf;
  CHECK(p->on_snapshot("BTC-USD", buf.assign("{}"), 0).code() == core::errc::invalid_argument);
  CHECK(!venues::uses_rest_snapshot(core::venue::coinbase));
  o.settings.emplace("depth", "10");
  auto bad = venues::make_protocol(core::venue::coinbase, o);
  CHECK(bad.code() == core::errc::invalid_argument);
}
