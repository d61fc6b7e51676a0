#include "depth/book_json.hpp"

#include <catch2/catch.hpp>

#include "depth/band_tracker.hpp"

using namespace depthmon;
using core::side;

TEST_CASE("book JSON follows the DESIGN.md shape", "[book_json]") {
  book::tracked_book tb("NKNUSDT");
  depth::band_tracker t(tb.book, *depth::parse_bands("0.5,2"));
  REQUIRE(tb.book.set(side::bid, *core::parse_decimal("0.35270000"), *core::parse_decimal("9602.00000000")));
  REQUIRE(tb.book.set(side::ask, *core::parse_decimal("0.3531"), *core::parse_decimal("152")));
  tb.book.set_coverage(side::ask, book::coverage::down_to(3531));
  tb.status = book::book_status::live;
  tb.last_update_id = 499870179;
  tb.counters.updates_applied = 149;
  std::string out;
  depth::book_json_options o;
  o.levels = 1;
  depth::append_book_json(out, core::venue::binance, tb.symbol, depth::snapshot_of(tb, t), t.bands(), o);
  CHECK(out ==
        "{\"venue\":\"binance\",\"symbol\":\"NKNUSDT\",\"status\":\"live\",\"messages\":0,"
        "\"updates_applied\":149,\"snapshots\":0,\"gaps\":0,\"resyncs\":0,\"checksums_passed\":0,"
        "\"checksums_failed\":0,\"bbo_checks_passed\":0,\"bbo_checks_failed\":0,"
        "\"partial_checks_passed\":0,\"partial_checks_failed\":0,\"crossed\":0,"
        "\"last_update_id\":\"499870179\",\"best_bid\":{\"price\":\"0.3527\",\"qty\":\"9602\"},"
        "\"best_ask\":{\"price\":\"0.3531\",\"qty\":\"152\"},\"mid\":\"0.3529\","
        "\"levels\":{\"bid\":1,\"ask\":1},\"bands\":["
        "{\"pct\":0.5,\"bid_qty\":\"9602\",\"bid_notional\":\"3386.6254\",\"ask_qty\":null,"
        "\"ask_notional\":null,\"bid_complete\":true,\"ask_complete\":false},"
        "{\"pct\":2,\"bid_qty\":\"9602\",\"bid_notional\":\"3386.6254\",\"ask_qty\":null,"
        "\"ask_notional\":null,\"bid_complete\":true,\"ask_complete\":false}],"
        "\"bids\":[[\"0.3527\",\"9602\"]],\"asks\":[[\"0.3531\",\"152\"]],"
        "\"dropped\":0,\"error\":null}");

  tb.invalidate({core::errc::sequence_gap, "U > previous u + 1"});
  out.clear();
  depth::append_book_json(out, core::venue::binance, tb.symbol, depth::snapshot_of(tb, t), t.bands());
  CHECK(out.find("\"status\":\"invalid\"") != std::string::npos);
  CHECK(out.find("\"best_bid\":null,\"best_ask\":null,\"mid\":null") != std::string::npos);
  CHECK(out.find("\"bid_notional\":null") != std::string::npos);
  CHECK(out.find("\"error\":\"sequence gap: U > previous u + 1\"") != std::string::npos);
}

TEST_CASE("book JSON levels: capped at the snapshot's K, deep levels from the owner's book",
          "[book_json]") {
  book::tracked_book tb("X");
  depth::band_tracker t(tb.book, *depth::parse_bands("2"));
  (void)tb.book.ensure_scales(0, 0);
  for (std::int64_t i = 0; i < 80; ++i) {
    tb.book.set_ticks(side::bid, 1000 - i, 1 + i);
    tb.book.set_ticks(side::ask, 1001 + i, 1 + i);
  }
  tb.status = book::book_status::live;
  const auto snap = depth::snapshot_of(tb, t);
  auto count_levels = [](const std::string& j, const char* key) {
    const auto at = j.find(key) + std::string_view(key).size();  // just inside the array
    const auto end = j.find("]]", at);
    std::size_t n = 0;
    for (auto p = j.find('[', at); p != std::string::npos && p < end; p = j.find('[', p + 1)) ++n;
    return n;
  };
  depth::book_json_options o;
  o.levels = 70;
  std::string capped;
  depth::append_book_json(capped, core::venue::binance, tb.symbol, snap, t.bands(), o);
  CHECK(count_levels(capped, "\"bids\":[") == depth::snapshot_top_levels);
  const auto deep = depth::deep_levels(tb.book, 70);
  o.deep = &deep;
  std::string full;
  depth::append_book_json(full, core::venue::binance, tb.symbol, snap, t.bands(), o);
  CHECK(count_levels(full, "\"asks\":[") == 70);
  CHECK(full.find("[\"931\",\"70\"]]") != std::string::npos);  // 70th bid, best first
  // The first K levels agree whichever source printed them.
  CHECK(full.substr(0, full.find("\"bids\":[")) == capped.substr(0, capped.find("\"bids\":[")));

  // A book the owner holds back (stale) prints as such, with nothing priced.
  book::tracked_book held_tb("X");
  held_tb.status = book::book_status::live;
  depth::band_tracker t2(held_tb.book, *depth::parse_bands("2"));
  held_tb.book.set_ticks(side::bid, 10, 1);
  held_tb.book.set_ticks(side::ask, 11, 1);
  depth::book_snapshot hs;
  depth::capture_snapshot(hs, held_tb, t2, false, {}, 0);
  std::string h;
  depth::append_book_json(h, core::venue::binance, "X", hs, t2.bands(), o);
  CHECK(h.find("\"status\":\"stale\"") != std::string::npos);
  CHECK(h.find("\"mid\":null") != std::string::npos);
  CHECK(h.find("\"bids\":[],\"asks\":[]") != std::string::npos);
}

TEST_CASE("JSON strings are escaped", "[book_json]") {
  std::string out;
  depth::append_json_string(out, "a\"b\\c\n\x01");
  CHECK(out == "\"a\\\"b\\\\c\\n\\u0001\"");
}
