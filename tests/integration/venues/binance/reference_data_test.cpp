// The real Binance captures (tests/data/binance, from shared/reference-data) through the
// library API: every expected figure, every bookTicker checkpoint.
#include <catch2/catch.hpp>

#include <map>

#include "depth/band_tracker.hpp"
#include "support/expect_band.hpp"
#include "support/json.hpp"
#include "support/run.hpp"
#include "venues/protocol.hpp"

using namespace depthmon;
using core::side;

namespace {

struct bbo {
  book::level bid, ask;
  unsigned ps, qs;
};

struct recorder final : venues::protocol_listener {
  std::map<std::string, std::map<std::uint64_t, bbo>> after;  // symbol -> u -> BBO
  std::map<std::string, std::uint64_t> first_applied;
  void on_book_created(book::tracked_book&) override {}
  void on_book_updated(book::tracked_book& tb) override {
    if (!tb.live() || !tb.last_update_id) return;
    first_applied.emplace(tb.symbol, *tb.last_update_id);
    auto b = tb.book.best(side::bid), a = tb.book.best(side::ask);
    after[tb.symbol][*tb.last_update_id] = {*b, *a, tb.book.price_scale(), tb.book.qty_scale()};
  }
};

bool same(simdjson::dom::element e, std::int64_t ticks, unsigned scale) {
  auto d = core::parse_decimal(std::string_view(e));
  return d && core::compare_scaled(d->mantissa, d->scale, ticks, scale) == 0;
}
bool same128(simdjson::dom::element e, core::int128 v, unsigned scale) {
  auto d = core::parse_decimal(std::string_view(e));
  return d && core::compare_scaled(d->mantissa, d->scale, v, scale) == 0;
}

void check_capture(core::venue venue, const std::string& prefix, const std::string& expected_file) {
  simdjson::dom::parser jp;
  const std::string expected_text = test::read_file(test::data_path("binance/" + expected_file));
  simdjson::dom::object expected = jp.parse(expected_text);

  venues::protocol_options o;
  auto proto = std::move(venues::make_protocol(venue, o)).value();
  recorder rec;
  proto->set_listener(&rec);
  core::padded_buffer buf;
  for (auto [sym, exp] : expected) {
    const std::string body = test::read_file(test::data_path("binance/" + prefix + "_rest_" + std::string(sym) + ".json"));
    REQUIRE(proto->on_snapshot(sym, buf.assign(body), 0).ok());
  }
  std::size_t n = 0;
  for (const auto& line : test::read_lines(test::data_path("binance/" + prefix + "_ws_combined_stream.jsonl"))) {
    INFO("line " << n + 1);
    REQUIRE(proto->on_frame(buf.assign(line), 0).ok());
    ++n;
  }
  CHECK(proto->counters().malformed == 0);
  CHECK(proto->counters().unknown == 0);

  for (auto [sym_key, exp_el] : expected) {
    const std::string sym(sym_key);
    INFO(sym);
    simdjson::dom::object exp = exp_el;
    book::tracked_book* tb = proto->find_book(sym);
    REQUIRE(tb != nullptr);
    CHECK(tb->status == book::book_status::live);
    CHECK(tb->counters.snapshots == 1);
    CHECK(tb->counters.gaps == 0);
    CHECK(tb->counters.crossed == 0);
    CHECK(tb->counters.dropped == std::uint64_t(exp["events_dropped_before_first"]));
    CHECK(tb->counters.updates_applied == std::uint64_t(exp["events_applied"]));
    CHECK(*tb->last_update_id == std::uint64_t(exp["final_update_id"]));
    CHECK(rec.first_applied.at(sym) == std::uint64_t(exp["first_applied_event"]["u"]));
    CHECK(tb->counters.bbo_checks_passed == std::uint64_t(exp["bookTicker_exact_u_matches"]));
    CHECK(tb->counters.bbo_checks_failed == 0);
    // Every checkpoint is the book right after the event with that final id.
    std::size_t checkpoints = 0;
    for (simdjson::dom::object cp : simdjson::dom::array(exp["bookTicker_checkpoints"])) {
      const std::uint64_t u = cp["u"];
      INFO("checkpoint u=" << u);
      const auto it = rec.after[sym].find(u);
      REQUIRE(it != rec.after[sym].end());
      const bbo& b = it->second;
      CHECK(same(cp["b"], b.bid.price, b.ps));
      CHECK(same(cp["B"], b.bid.qty, b.qs));
      CHECK(same(cp["a"], b.ask.price, b.ps));
      CHECK(same(cp["A"], b.ask.qty, b.qs));
      ++checkpoints;
    }
    CHECK(checkpoints == std::uint64_t(exp["bookTicker_exact_u_matches"]));

    simdjson::dom::object fb = exp["final_book"];
    const auto& bk = tb->book;
    const auto ps = bk.price_scale(), qs = bk.qty_scale();
    CHECK(same(fb["best_bid"].at(0), bk.best(side::bid)->price, ps));
    CHECK(same(fb["best_bid"].at(1), bk.best(side::bid)->qty, qs));
    CHECK(same(fb["best_ask"].at(0), bk.best(side::ask)->price, ps));
    CHECK(same(fb["best_ask"].at(1), bk.best(side::ask)->qty, qs));
    CHECK(bk.size(side::bid) == std::uint64_t(fb["bid_levels"]));
    CHECK(bk.size(side::ask) == std::uint64_t(fb["ask_levels"]));

    depth::band_tracker t(tb->book, *depth::parse_bands("2"));
    const auto v = t.compute();
    REQUIRE(v.has_mid);
    CHECK(same128(fb["mid"], v.mid_mantissa(), v.mid_scale()));
    // Floor and cap exactly (mid × 0.98 / 1.02), the tick edges they round inward to, the sums
    // and the coverage flags.
    test::check_band_2pct(v, 0, fb["band_2pct"]);
  }
}

}  // namespace

TEST_CASE("spot capture reproduces every expected value", "[binance][reference]") {
  check_capture(core::venue::binance, "spot", "expected_binance_spot.json");
}

TEST_CASE("USD-M capture reproduces every expected value", "[binance][reference]") {
  check_capture(core::venue::binance_usdm, "usdm", "expected_binance_usdm.json");
}
