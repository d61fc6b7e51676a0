// The real Coinbase data (tests/data/coinbase, from shared/reference-data) through the library
// API: the Exchange level2 capture reproduces every expected figure; the Advanced Trade doc
// examples build a book; the real 2026 Advanced Trade frames show that sequence_num counts the
// whole connection, so a per-product gap detector false-alarms where ours does not.
#include <catch2/catch.hpp>

#include <map>

#include "depth/band_tracker.hpp"
#include "replay/replay.hpp"
#include "support/json.hpp"
#include "support/run.hpp"
#include "venues/coinbase/advanced_trade_sync.hpp"
#include "venues/registry.hpp"
#include "venues/protocol.hpp"

using namespace depthmon;
using core::side;

namespace {

// Watches every publish: a live book must never be crossed or locked.
struct watcher final : venues::protocol_listener {
  std::size_t publishes = 0, crossed_live = 0;
  void on_book_created(book::tracked_book&) override {}
  void on_book_updated(book::tracked_book& tb) override {
    if (!tb.live()) return;
    ++publishes;
    if (tb.book.crossed() || tb.book.locked()) ++crossed_live;
  }
};

bool same(simdjson::dom::element e, core::int128 v, unsigned scale) {
  auto d = core::parse_decimal(std::string_view(e));
  return d && core::compare_scaled(d->mantissa, d->scale, v, scale) == 0;
}
int cmp(core::int128 v, unsigned scale, simdjson::dom::element e) {
  auto d = core::parse_decimal(std::string_view(e));
  REQUIRE(d);
  return core::compare_scaled(v, scale, d->mantissa, d->scale);
}

const char* k_expected = "coinbase/expected_coinbase_exchange_level2_cryptofeed_2021.json";
const char* k_capture = "coinbase/exchange_level2_cryptofeed_2021.jsonl";

}  // namespace

TEST_CASE("exchange level2 capture reproduces every expected value", "[coinbase][reference]") {
  simdjson::dom::parser jp;
  const std::string expected_text = test::read_file(test::data_path(k_expected));
  simdjson::dom::object expected = jp.parse(expected_text);

  venues::protocol_options o;
  auto proto = std::move(venues::make_protocol(core::venue::coinbase_exchange, o)).value();
  watcher w;
  proto->set_listener(&w);
  core::padded_buffer buf;
  std::size_t n = 0;
  for (const auto& line : test::read_lines(test::data_path(k_capture))) {
    INFO("line " << n + 1);
    REQUIRE(proto->on_frame(buf.assign(line), 0).ok());
    ++n;
  }
  CHECK(n == 2908);
  CHECK(proto->counters().frames == n);
  CHECK(proto->counters().malformed == 0);
  CHECK(proto->counters().unknown == 0);
  CHECK(proto->counters().control == 3);   // subscriptions acks
  CHECK(proto->counters().ignored == 38);  // ticker 19, match 14, last_match 5
  CHECK(proto->requests().empty());
  CHECK(w.crossed_live == 0);
  CHECK(w.publishes == 5 + 471 + 289 + 76 + 487 + 1539);
  CHECK(proto->books().size() == expected.size());

  for (auto [sym_key, exp_el] : expected) {
    const std::string sym(sym_key);
    INFO(sym);
    simdjson::dom::object exp = exp_el;
    book::tracked_book* tb = proto->find_book(sym);
    REQUIRE(tb != nullptr);
    CHECK(tb->status == book::book_status::live);
    CHECK(tb->counters.snapshots == 1);
    CHECK(tb->counters.updates_applied == std::uint64_t(exp["l2updates"]));
    CHECK(tb->counters.dropped == 0);
    CHECK(tb->counters.gaps == 0);
    CHECK(tb->counters.resyncs == 0);
    CHECK(tb->counters.crossed == 0);
    CHECK(!tb->last_update_id);  // level2 has no sequence numbers
    CHECK(tb->last_event_time > 1618677000LL * 1'000'000'000);  // 2021-04-17 "time" fields

    simdjson::dom::object fb = exp["final_book"];
    const auto& bk = tb->book;
    const auto ps = bk.price_scale(), qs = bk.qty_scale();
    CHECK(same(fb["best_bid"].at(0), bk.best(side::bid)->price, ps));
    CHECK(same(fb["best_bid"].at(1), bk.best(side::bid)->qty, qs));
    CHECK(same(fb["best_ask"].at(0), bk.best(side::ask)->price, ps));
    CHECK(same(fb["best_ask"].at(1), bk.best(side::ask)->qty, qs));
    CHECK(bk.size(side::bid) == std::uint64_t(fb["bid_levels"]));
    CHECK(bk.size(side::ask) == std::uint64_t(fb["ask_levels"]));
    CHECK(bk.get_coverage(side::bid).k == book::coverage::kind::full);
    CHECK(bk.get_coverage(side::ask).k == book::coverage::kind::full);

    depth::band_tracker t(tb->book, *depth::parse_bands("2"));
    const auto v = t.compute();
    REQUIRE(v.has_mid);
    CHECK(same(fb["mid"], v.mid_mantissa(), v.mid_scale()));
    simdjson::dom::object band = fb["band_2pct"];
    CHECK(same(band["bid_qty"], v.bands[0][side::bid].qty, qs));
    CHECK(same(band["bid_notional"], v.bands[0][side::bid].notional, ps + qs));
    CHECK(same(band["ask_qty"], v.bands[0][side::ask].qty, qs));
    CHECK(same(band["ask_notional"], v.bands[0][side::ask].notional, ps + qs));
    CHECK(v.bands[0][side::bid].complete == bool(band["book_covers_band"]["bid"]));
    CHECK(v.bands[0][side::ask].complete == bool(band["book_covers_band"]["ask"]));
    // Edges: the first tick at or above the floor (bids), at or below the cap (asks).
    const std::int64_t be = v.bands[0][side::bid].edge_price, ae = v.bands[0][side::ask].edge_price;
    CHECK(cmp(be, ps, band["bid_price_floor"]) >= 0);
    CHECK(cmp(be - 1, ps, band["bid_price_floor"]) < 0);
    CHECK(cmp(ae, ps, band["ask_price_cap"]) <= 0);
    CHECK(cmp(ae + 1, ps, band["ask_price_cap"]) > 0);
  }
}

TEST_CASE("exchange level2 capture through replay_session: book JSON matches", "[coinbase][reference]") {
  replay::replay_options ro;
  ro.venue = core::venue::coinbase_exchange;
  ro.bands = *depth::parse_bands("2");
  auto s = std::move(replay::replay_session::create(ro)).value();
  for (const auto& line : test::read_lines(test::data_path(k_capture))) REQUIRE(s->feed_line(line).ok());

  simdjson::dom::parser jp, bp;
  const std::string expected_text = test::read_file(test::data_path(k_expected));
  simdjson::dom::object expected = jp.parse(expected_text);
  const auto books = s->books_json();
  REQUIRE(books.size() == 5);
  // Books in order of first appearance (snapshot lines 3, 4, 10, 13, 16 of the recording).
  const std::vector<std::string> order{"BAND-GBP", "SKL-GBP", "NU-GBP", "YFI-BTC", "SKL-BTC"};
  for (std::size_t i = 0; i < books.size(); ++i) {
    simdjson::dom::object got = bp.parse(books[i]);
    const std::string sym = test::str(got["symbol"]);
    INFO(sym);
    CHECK(sym == order[i]);
    simdjson::dom::object exp = expected[sym];
    simdjson::dom::object fb = exp["final_book"];
    simdjson::dom::object eb = fb["band_2pct"];
    CHECK(test::str(got["venue"]) == "coinbase-exchange");
    CHECK(test::str(got["status"]) == "live");
    CHECK(std::uint64_t(got["updates_applied"]) == std::uint64_t(exp["l2updates"]));
    CHECK(got["last_update_id"].is_null());
    CHECK(test::same_decimal(got["best_bid"]["price"], fb["best_bid"].at(0)));
    CHECK(test::same_decimal(got["best_bid"]["qty"], fb["best_bid"].at(1)));
    CHECK(test::same_decimal(got["best_ask"]["price"], fb["best_ask"].at(0)));
    CHECK(test::same_decimal(got["best_ask"]["qty"], fb["best_ask"].at(1)));
    CHECK(test::same_decimal(got["mid"], fb["mid"]));
    simdjson::dom::object two = simdjson::dom::array(got["bands"]).at(0);
    CHECK(test::same_decimal(two["bid_qty"], eb["bid_qty"]));
    CHECK(test::same_decimal(two["bid_notional"], eb["bid_notional"]));
    CHECK(test::same_decimal(two["ask_qty"], eb["ask_qty"]));
    CHECK(test::same_decimal(two["ask_notional"], eb["ask_notional"]));
  }
}

TEST_CASE("advanced trade doc examples: subscribe frames, l2_data snapshot, heartbeats",
          "[coinbase][reference]") {
  const auto lines = test::read_lines(test::data_path("coinbase/advanced_trade_doc_examples.jsonl"));
  REQUIRE(lines.size() == 5);
  // Lines 1-3 are what a client sends: the connection contract produces them byte for byte.
  const std::vector<std::string> eth{"ETH-USD", "ETH-EUR"};
  auto spec = venues::make_spec(core::venue::coinbase, {});
  REQUIRE(spec);
  CHECK(spec.value()->subscribe(eth) == std::vector<std::string>{lines[0]});
  CHECK(spec.value()->unsubscribe(eth) == std::vector<std::string>{lines[1]});
  CHECK(spec.value()->connect(eth).frames == (std::vector<std::string>{lines[0], lines[2]}));

  venues::protocol_options o;
  venues::coinbase::advanced_trade_protocol p(o);
  core::padded_buffer buf;
  REQUIRE(p.on_frame(buf.assign(lines[3]), 0).ok());
  REQUIRE(p.books().size() == 1);
  book::tracked_book& tb = *p.books().front();
  CHECK(tb.symbol == "BTC-USD");
  CHECK(tb.status == book::book_status::live);
  CHECK(tb.counters.snapshots == 1);
  CHECK(tb.book.size(side::bid) == 2);
  CHECK(tb.book.size(side::ask) == 0);
  CHECK(tb.book.get_coverage(side::bid).k == book::coverage::kind::full);
  CHECK(core::to_canonical_string(tb.book.best(side::bid)->price, tb.book.price_scale()) == "21921.73");
  CHECK(core::to_canonical_string(tb.book.best(side::bid)->qty, tb.book.qty_scale()) == "0.06317902");
  CHECK(core::to_canonical_string(tb.book.nth(side::bid, 1).price, tb.book.price_scale()) == "21921.3");
  CHECK(*tb.last_update_id == 0);
  CHECK(tb.last_event_time == 1675974770714964855LL);  // 2023-02-09T20:32:50.714964855Z
  // One side only: live, but no mid and so no depth (DESIGN.md).
  depth::band_tracker t(tb.book, *depth::parse_bands("2"));
  CHECK(!t.compute().has_mid);

  // The heartbeat example comes from another connection (its sequence_num is 0 as well).
  p.on_disconnect();
  REQUIRE(p.on_frame(buf.assign(lines[4]), 0).ok());
  CHECK(p.counters().control == 1);
  CHECK(p.sequence().gaps == 0);
  CHECK(p.sequence().stale == 0);
  CHECK(p.requests().empty());
}

namespace {

// What a naive client does: one expected-next counter per product, over the frames that name it.
// Returns the number of "gaps" it would report.
std::size_t per_product_false_alarms(const std::vector<std::string>& frames) {
  simdjson::dom::parser p;
  std::map<std::string, std::uint64_t> last;
  std::size_t alarms = 0;
  for (const auto& f : frames) {
    simdjson::dom::object o = p.parse(f);
    const std::uint64_t seq = o["sequence_num"];
    for (simdjson::dom::object ev : simdjson::dom::array(o["events"])) {
      std::vector<std::string> products;
      if (ev["product_id"].error() == simdjson::SUCCESS) products.push_back(test::str(ev["product_id"]));
      if (ev["tickers"].error() == simdjson::SUCCESS)
        for (simdjson::dom::object t : simdjson::dom::array(ev["tickers"])) products.push_back(test::str(t["product_id"]));
      for (const auto& prod : products) {
        auto it = last.find(prod);
        if (it != last.end() && seq != it->second + 1) ++alarms;
        last[prod] = seq;
      }
    }
  }
  return alarms;
}

}  // namespace

TEST_CASE("advanced trade 2026 frames: sequence_num counts the connection, not the product",
          "[coinbase][reference]") {
  const auto frames = test::read_lines(test::data_path("coinbase/advanced_trade_ticker_ccxt_2026_sequence_num.jsonl"));
  REQUIRE(frames.size() == 3);  // ticker 0, subscriptions ack 1, ticker 2
  // A per-product detector sees BTC-USD at 0 and then at 2: a false gap.
  CHECK(per_product_false_alarms(frames) == 1);

  venues::protocol_options o;
  o.symbols = {"BTC-USD"};
  venues::coinbase::advanced_trade_protocol p(o);
  core::padded_buffer buf;
  for (const auto& f : frames) REQUIRE(p.on_frame(buf.assign(f), 0).ok());
  CHECK(p.sequence().in_order == 3);
  CHECK(p.sequence().gaps == 0);
  CHECK(p.sequence().stale == 0);
  CHECK(*p.last_sequence() == 2);
  CHECK(p.counters().ignored == 2);  // ticker
  CHECK(p.counters().control == 1);  // subscriptions
  CHECK(p.requests().empty());
  CHECK(p.books().front()->counters.resyncs == 0);

  // The same numbering on level2 (shape of the doc example, interleaved with the control
  // messages the connection also numbers): no false alarm, every update applied.
  auto l2 = [](std::uint64_t seq, const char* type, const char* product, const char* updates) {
    return std::string(R"({"channel":"l2_data","timestamp":"2026-08-12T19:27:33.489674268Z","sequence_num":)") +
           std::to_string(seq) + R"(,"events":[{"type":")" + type + R"(","product_id":")" + product +
           R"(","updates":)" + updates + "}]}";
  };
  const char* btc_snap = R"([{"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"63320.73","new_quantity":"0.12636254"},{"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"63320.74","new_quantity":"0.49679101"}])";
  const char* eth_snap = R"([{"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"2500.5","new_quantity":"3"},{"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"2500.1","new_quantity":"1"}])";
  const char* btc_upd = R"([{"side":"bid","event_time":"2026-08-12T19:27:33.8Z","price_level":"63318.86","new_quantity":"0.2275291"}])";
  const std::vector<std::string> conn{
      l2(0, "snapshot", "BTC-USD", btc_snap),
      R"({"channel":"subscriptions","timestamp":"2026-08-12T19:27:33.489690582Z","sequence_num":1,"events":[{"subscriptions":{"level2":["BTC-USD","ETH-USD"]}}]})",
      l2(2, "snapshot", "ETH-USD", eth_snap),
      R"({"channel":"heartbeats","timestamp":"2026-08-12T19:27:34Z","sequence_num":3,"events":[{"current_time":"2026-08-12 19:27:34.1 +0000 UTC m=+1.0","heartbeat_counter":17}]})",
      l2(4, "update", "BTC-USD", btc_upd),
      R"({"channel":"subscriptions","timestamp":"2026-08-12T19:27:35Z","sequence_num":5,"events":[{"subscriptions":{"level2":["BTC-USD","ETH-USD"],"heartbeats":["heartbeats"]}}]})",
      l2(6, "update", "BTC-USD", btc_upd),
  };
  CHECK(per_product_false_alarms(conn) == 2);  // BTC-USD 0 -> 4 -> 6

  venues::protocol_options o2;
  venues::coinbase::advanced_trade_protocol q(o2);
  for (const auto& f : conn) REQUIRE(q.on_frame(buf.assign(f), 0).ok());
  CHECK(q.sequence().gaps == 0);
  CHECK(q.requests().empty());
  auto* btc = q.find_book("BTC-USD");
  auto* eth = q.find_book("ETH-USD");
  REQUIRE((btc && eth));
  CHECK(btc->live());
  CHECK(eth->live());
  CHECK(btc->counters.updates_applied == 2);
  CHECK(btc->counters.resyncs == 0);
  CHECK(*btc->last_update_id == 6);

  // A real loss on the connection (7 never arrives): every book of the connection is
  // invalidated and one reconnect is requested, even though BTC-USD's own data did not skip.
  REQUIRE(q.on_frame(buf.assign(R"({"channel":"heartbeats","timestamp":"2026-08-12T19:27:36Z","sequence_num":8,"events":[{"current_time":"x","heartbeat_counter":"19"}]})"), 0).ok());
  CHECK(q.sequence().gaps == 1);
  CHECK(q.sequence().lost == 1);
  CHECK(btc->status == book::book_status::invalid);
  CHECK(eth->status == book::book_status::invalid);
  CHECK(btc->counters.gaps == 1);
  CHECK(eth->counters.gaps == 1);
  REQUIRE(q.requests().size() == 1);
  CHECK(q.requests()[0].what == venues::request::kind::reconnect);
  CHECK(q.requests()[0].reason == core::errc::sequence_gap);
}
