// feed::publisher driven as the feed drives it (feed_listener calls on one thread), with
// feed_books built by hand: what lands in the slots, the histograms, replaced books, reloads.
#include "feed/publisher.hpp"

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include "depth/valuation.hpp"

using namespace depthmon;
using core::side;

namespace {

core::unix_nanos g_now = 0;
core::unix_nanos fake_clock() noexcept { return g_now; }

std::shared_ptr<feed::book_slot> slot(std::string sym, core::decimal ct = {1, 0}) {
  return std::make_shared<feed::book_slot>(
      feed::book_identity{core::venue::okx, std::move(sym), "BTC", "USDT", ct});
}

// A live feed book over `tb` (price 100 ± 1, qty 10 per level, 30 levels a side).
void make_live(feed::feed_book& fb, book::tracked_book& tb) {
  for (std::int64_t i = 0; i < 30; ++i) {
    tb.book.set_ticks(side::bid, 99 - i, 10);
    tb.book.set_ticks(side::ask, 101 + i, 10);
  }
  tb.status = book::book_status::live;
  fb.symbol = tb.symbol;
  fb.book = &tb;
  fb.state.move(feed::book_state::live, feed::transition_reason::synced);
}

feed::publisher_options opts() {
  feed::publisher_options o;
  o.bands = *depth::parse_bands("1,2");
  o.impact_usd = {500, 5'000};
  o.clock = &fake_clock;
  return o;
}

}  // namespace

TEST_CASE("publisher: every update is captured into the book's slot", "[publisher]") {
  auto fs = std::make_shared<feed::feed_slot>(core::venue::okx);
  auto s = slot("BTC-USDT");
  std::optional<double> rate = 2.0;  // USD per USDT (exaggerated so targets differ from USD)
  int rate_calls = 0;
  feed::publisher p(fs, {{"BTC-USDT", s}},
                    [&](const feed::book_identity& id) {
                      ++rate_calls;
                      CHECK(id.quote == "USDT");
                      return rate;
                    },
                    opts());
  book::tracked_book tb("BTC-USDT");
  feed::feed_book fb;
  make_live(fb, tb);
  tb.last_update_id = 42;
  tb.last_event_time = 1'000;
  tb.last_receive_time = 3'000;
  g_now = 10'000;
  p.on_book_updated(fb);
  CHECK(p.trackers() == 1);
  CHECK(s->snapshot.version() == 1);
  auto snap = s->snapshot.load();
  REQUIRE(snap.live());
  CHECK(snap.ever_live);
  CHECK(snap.last_update_id == 42);
  CHECK(snap.publish_time == 10'000);
  CHECK(snap.depth.mid2 == 200);
  CHECK(snap.depth.bands[0][side::bid].qty == 10);  // 99 only: ±1 % of 100
  CHECK(snap.top_bid_count == 30);
  CHECK(snap.has_usd_rate);
  CHECK(snap.usd_per_quote == 2.0);
  // 500 USD at 2 USD/USDT = 250 USDT: 99·10 = 990 fills it at the best bid.
  REQUIRE(snap.impact_count == 2);
  CHECK(snap.impact_usd[1] == 5'000);
  CHECK(snap.impacts[0][0].present);
  CHECK(snap.impacts[0][0].last_price == 99);
  // 5000 USD = 2500 USDT: 99·10 + 98·10 + 97·10 = 2940 (three levels).
  CHECK(snap.impacts[1][0].last_price == 97);
  // Histograms: receive -> publish 7 µs, event -> receive 2 µs.
  CHECK(fs->processing.read().count == 1);
  CHECK(fs->processing.read().sum_nanos == 7'000);
  CHECK(fs->feed_latency.read().sum_nanos == 2'000);

  // A state-only update (no new frame) publishes but does not count a processing sample.
  fb.state.move(feed::book_state::stale, feed::transition_reason::stale);
  p.on_book_updated(fb);
  snap = s->snapshot.load();
  CHECK(snap.held);
  CHECK_FALSE(snap.live());
  CHECK_FALSE(snap.depth.has_mid);
  CHECK(snap.top_bid_count == 0);
  CHECK(snap.ever_live);
  CHECK(fs->processing.read().count == 1);

  // No rate: impacts and the USD rate are absent, never computed from a stale rate.
  fb.state.move(feed::book_state::live, feed::transition_reason::resumed);
  rate.reset();
  tb.last_receive_time = 4'000;
  tb.last_event_time = 0;  // a venue without event times: no feed latency sample
  p.on_book_updated(fb);
  snap = s->snapshot.load();
  CHECK(snap.live());
  CHECK_FALSE(snap.has_usd_rate);
  CHECK(snap.impact_count == 0);
  CHECK(fs->processing.read().count == 2);
  CHECK(fs->feed_latency.read().count == 1);
  CHECK(rate_calls == 3);
}

TEST_CASE("publisher: contract value enters the impact targets", "[publisher]") {
  auto fs = std::make_shared<feed::feed_slot>(core::venue::okx);
  auto s = slot("BTC-USDT-SWAP", {1, 1});  // 0.1 BTC per contract
  feed::publisher p(fs, {{"BTC-USDT-SWAP", s}}, [](const feed::book_identity&) { return 1.0; },
                    opts());
  book::tracked_book tb("BTC-USDT-SWAP");
  feed::feed_book fb;
  make_live(fb, tb);
  p.on_book_updated(fb);
  const auto snap = s->snapshot.load();
  // A level worth 990 in price × contracts is worth 99 USD: 500 USD needs 6 levels (99..94).
  CHECK(snap.usd_per_quote == Approx(0.1));
  CHECK(snap.impacts[0][0].last_price == 94);
}

TEST_CASE("publisher: replaced books, unknown symbols, reloads", "[publisher]") {
  auto fs = std::make_shared<feed::feed_slot>(core::venue::okx);
  auto a = slot("A");
  feed::publisher p(fs, {{"A", a}}, {}, opts());
  book::tracked_book tb1("A"), tb2("A"), other("B");
  feed::feed_book fa, fb;
  make_live(fa, tb1);
  make_live(fb, other);
  p.on_book_updated(fb);  // no slot for B: ignored
  CHECK(p.trackers() == 0);
  p.on_book_updated(fa);
  CHECK(a->snapshot.load().depth.mid2 == 200);

  // Planned reconnect: the replacement book is observed; the old one is detached while alive.
  make_live(fa, tb2);
  tb2.book.set_ticks(side::ask, 101, 0);  // best ask 102 now
  p.on_book_replaced(fa, tb1);
  tb1.book.set_ticks(side::bid, 99, 0);  // the old book changes: nothing may observe it
  p.on_book_updated(fa);
  CHECK(a->snapshot.load().depth.mid2 == 201);
  CHECK(a->snapshot.load().depth.bands[1][side::ask].qty == 10);  // ±2 % of 100.5: 102 only

  // Reload: B gets a slot, A is dropped.
  auto b = slot("B");
  p.add_symbol(b);
  p.remove_symbol("A");
  CHECK(p.trackers() == 0);
  const auto va = a->snapshot.version();
  p.on_book_updated(fa);
  CHECK(a->snapshot.version() == va);
  p.on_book_updated(fb);
  CHECK(b->snapshot.load().live());
  // A new slot for the same symbol keeps the tracker; updates go to the new slot.
  auto b2 = slot("B");
  p.add_symbol(b2);
  CHECK(p.trackers() == 1);
  p.on_book_updated(fb);
  CHECK(b2->snapshot.version() == 1);
}

TEST_CASE("publish_feed_status: a feed before start is configured, not up", "[publisher]") {
  boost::asio::io_context ioc;
  feed::venue_config cfg;
  cfg.name = "binance";
  cfg.symbols = {"BTCUSDT", "ETHUSDT"};
  auto f = feed::feed::create(ioc, cfg, nullptr, nullptr, nullptr);
  REQUIRE(f.ok());
  feed::feed_slot fs(core::venue::binance);
  feed::publish_feed_status(*f.value(), fs);
  const auto st = fs.status.load();
  CHECK_FALSE(st.up);
  CHECK(st.books_configured == 2);
  CHECK(st.books_live == 0);
  CHECK(st.connections_open == 0);
  CHECK(st.last_frame_time == 0);
  CHECK(st.published_time > 0);
  CHECK(fs.status.version() == 1);
}
