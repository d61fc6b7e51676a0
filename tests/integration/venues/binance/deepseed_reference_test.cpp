// The real 2026 Binance BTCUSDT capture (tests/data/binance/spot_btcusdt_deepseed_depthcharge_*,
// from shared/reference-data) through the library: diff events and depth20 partials, the REST
// snapshots handed over where the recorder received them, every figure of the expected file.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "depth/band_tracker.hpp"
#include "support/expect_band.hpp"
#include "support/json.hpp"
#include "support/run.hpp"
#include "venues/binance/codec.hpp"
#include "venues/protocol.hpp"

using namespace depthmon;
using core::side;

namespace {

const std::string k_prefix = "binance/spot_btcusdt_deepseed_depthcharge_20260824";

// The book's levels, best first, at its scales.
struct ladder {
  std::vector<book::level> bids, asks;
  unsigned ps = 0, qs = 0;
};

ladder copy_of(const book::l2_book& b) {
  ladder l;
  b.top(side::bid, b.size(side::bid), l.bids);
  b.top(side::ask, b.size(side::ask), l.asks);
  l.ps = b.price_scale();
  l.qs = b.qty_scale();
  return l;
}

// Keeps the book as it was right after the update with id `keep_id`.
struct recorder final : venues::protocol_listener {
  std::uint64_t keep_id = 0;
  std::optional<std::uint64_t> first_applied;
  std::optional<ladder> kept;
  void on_book_created(book::tracked_book&) override {}
  void on_book_updated(book::tracked_book& tb) override {
    if (!tb.live() || !tb.last_update_id) return;
    if (!first_applied) first_applied = *tb.last_update_id;
    if (*tb.last_update_id == keep_id) kept = copy_of(tb.book);
  }
};

// .rest.meta.tsv: line n of .rest.jsonl was received after `before_ws_index` .jsonl frames.
std::vector<std::size_t> before_ws_index() {
  std::vector<std::size_t> out;
  const auto lines = test::read_lines(test::data_path(k_prefix + ".rest.meta.tsv"));
  REQUIRE(lines.size() == 3);
  std::size_t column = 0;
  {
    std::istringstream head(lines[0]);
    std::string name;
    while (std::getline(head, name, '\t') && name != "before_ws_index") ++column;
  }
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::istringstream row(lines[i]);
    std::string cell;
    for (std::size_t c = 0; c <= column; ++c) std::getline(row, cell, '\t');
    out.push_back(std::stoul(cell));
  }
  return out;
}

// A decimal in ticks of `scale` (the book's scale, never finer than the wire's values here).
std::int64_t ticks(core::decimal d, unsigned scale) {
  REQUIRE(d.scale <= scale);
  return static_cast<std::int64_t>(d.mantissa * core::pow10_i128(scale - d.scale));
}
std::int64_t ticks(simdjson::dom::element e, unsigned scale) {
  const auto d = core::parse_decimal(std::string_view(e));
  REQUIRE(d);
  return ticks(*d, scale);
}

}  // namespace

TEST_CASE("BTCUSDT 2026 capture: sync, depth20 partials, second snapshot, final book",
          "[binance][reference][partial]") {
  simdjson::dom::parser ep;
  const std::string expected_text =
      test::read_file(test::data_path("binance/expected_spot_btcusdt_deepseed_depthcharge_20260824.json"));
  const simdjson::dom::object exp = ep.parse(expected_text)["BTCUSDT"];
  const std::string rest1 = test::read_file(test::data_path(k_prefix + ".rest_1.json"));
  const std::string rest2 = test::read_file(test::data_path(k_prefix + ".rest_2.json"));
  const auto before = before_ws_index();
  REQUIRE(before.size() == 2);
  CHECK(before[0] == std::uint64_t(exp["snapshot_before_ws_index"]));
  const auto frames = test::read_lines(test::data_path(k_prefix + ".jsonl"));

  // The snapshots as the codec reads them.
  venues::binance::codec codec;
  venues::binance::message s1, s2;
  core::padded_buffer b1, b2;
  REQUIRE(codec.parse_snapshot(b1.assign(rest1), s1).ok());
  REQUIRE(codec.parse_snapshot(b2.assign(rest2), s2).ok());
  CHECK(s1.final_update_id == std::uint64_t(exp["lastUpdateId"]));
  CHECK(s1.bids.size() == std::uint64_t(exp["snapshot_levels"]["bids"]));
  CHECK(s1.asks.size() == std::uint64_t(exp["snapshot_levels"]["asks"]));
  simdjson::dom::object rest_check = simdjson::dom::array(exp["rest_snapshot_checks"]).at(0);
  REQUIRE(std::uint64_t(rest_check["rest_line"]) == 2);
  CHECK(s2.final_update_id == std::uint64_t(rest_check["lastUpdateId"]));

  venues::protocol_options o;
  o.snapshot_limit = 1000;
  auto proto = std::move(venues::make_protocol(core::venue::binance, o)).value();
  recorder rec;
  rec.keep_id = s2.final_update_id;
  proto->set_listener(&rec);
  core::padded_buffer buf;
  std::size_t partial_frames = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    INFO("line " << i + 1);
    if (i == before[0]) {
      // The first snapshot, where the recorder received it: the frames so far were buffered.
      // The partials so far waited: the one at the snapshot's id (line 19) is compared with the
      // snapshot, those at the ids of the buffered events that now apply with their event, and
      // only the ones that predate the snapshot stay unchecked.
      REQUIRE(proto->on_snapshot("BTCUSDT", buf.assign(rest1), 0).ok());
      const auto* tb = proto->find_book("BTCUSDT");
      REQUIRE(tb != nullptr);
      CHECK(tb->live());
      CHECK(tb->counters.partial_checks_failed == 0);
      CHECK(tb->counters.partial_checks_passed ==
            partial_frames - simdjson::dom::array(exp["depth20_before_sync_not_checked"]).size());
      simdjson::dom::object at_snapshot = simdjson::dom::array(exp["depth20_equal_to_first_snapshot"]).at(0);
      CHECK(std::uint64_t(at_snapshot["lastUpdateId"]) == s1.final_update_id);
      CHECK(std::uint64_t(at_snapshot["jsonl_line"]) <= before[0]);
    }
    if (i == before[1]) {
      // The second snapshot was a periodic fetch, recorded after the stream had passed its id:
      // it is compared by id below, never loaded by position (that would be a stale snapshot).
      CHECK(proto->requests().empty());
      CHECK(*proto->find_book("BTCUSDT")->last_update_id > s2.final_update_id);
    }
    venues::binance::message m;
    core::padded_buffer fb;
    REQUIRE(codec.parse(fb.assign(frames[i]), m).ok());
    if (m.kind == venues::binance::msg_kind::partial_depth) ++partial_frames;
    REQUIRE(proto->on_frame(buf.assign(frames[i]), 0).ok());
  }
  CHECK(proto->counters().malformed == 0);
  CHECK(proto->counters().unknown == 0);
  CHECK(proto->requests().empty());

  book::tracked_book* tb = proto->find_book("BTCUSDT");
  REQUIRE(tb != nullptr);
  const auto& c = tb->counters;
  CHECK(tb->live());
  CHECK(c.snapshots == 1);
  CHECK(c.dropped == std::uint64_t(exp["events_dropped_before_first"]));
  CHECK(c.updates_applied == std::uint64_t(exp["events_applied"]));
  CHECK(c.updates_applied == std::uint64_t(exp["chain_steps_verified"]) + 1);
  CHECK(c.gaps == std::uint64_t(exp["chain_gaps"]));
  CHECK(c.resyncs == 0);
  CHECK(c.crossed == std::uint64_t(exp["crossed_books"]));
  CHECK(*tb->last_update_id == std::uint64_t(exp["final_update_id"]));
  CHECK(c.dropped + c.updates_applied == std::uint64_t(exp["diff_events"]));

  // The first applied event straddles the snapshot id.
  simdjson::dom::object first = exp["first_applied_event"];
  REQUIRE(rec.first_applied);
  CHECK(*rec.first_applied == std::uint64_t(first["u"]));
  {
    venues::binance::message m;
    core::padded_buffer fb;
    REQUIRE(codec.parse(fb.assign(frames.at(std::uint64_t(first["line"]) - 1)), m).ok());
    CHECK(m.first_update_id == std::uint64_t(first["U"]));
    CHECK(m.final_update_id == std::uint64_t(first["u"]));
    CHECK(m.first_update_id <= s1.final_update_id + 1);
  }

  // depth20: every partial at an applied id (or the snapshot's) matched; the rest predate it.
  CHECK(partial_frames == std::uint64_t(exp["depth20_partials"]));
  CHECK(c.partial_checks_passed == std::uint64_t(exp["depth20_exact_u_matches"]));
  CHECK(c.partial_checks_failed == std::uint64_t(exp["depth20_mismatches"]));
  CHECK(c.bbo_checks_passed + c.bbo_checks_failed == 0);  // no bookTicker stream
  const simdjson::dom::array unchecked = exp["depth20_before_sync_not_checked"];
  CHECK(c.partial_checks_passed + unchecked.size() == partial_frames);
  for (simdjson::dom::object u : unchecked) {
    venues::binance::message m;
    core::padded_buffer fb;
    REQUIRE(codec.parse(fb.assign(frames.at(std::uint64_t(u["jsonl_line"]) - 1)), m).ok());
    CHECK(m.kind == venues::binance::msg_kind::partial_depth);
    CHECK(m.final_update_id == std::uint64_t(u["lastUpdateId"]));
    CHECK(m.final_update_id < s1.final_update_id);
  }

  // The second snapshot equals the local book at its id inside the window both snapshots cover.
  REQUIRE(rec.kept);
  const ladder& at = *rec.kept;
  simdjson::dom::array window = rest_check["common_window"];
  const std::int64_t lo = std::max(ticks(s1.bids.back().price, at.ps), ticks(s2.bids.back().price, at.ps));
  const std::int64_t hi = std::min(ticks(s1.asks.back().price, at.ps), ticks(s2.asks.back().price, at.ps));
  CHECK(lo == ticks(window.at(0), at.ps));
  CHECK(hi == ticks(window.at(1), at.ps));
  simdjson::dom::object w2 = rest_check["snapshot_window"];
  CHECK(test::same_value(w2["bid_low"], s2.bids.back().price.mantissa, s2.bids.back().price.scale));
  CHECK(test::same_value(w2["ask_high"], s2.asks.back().price.mantissa, s2.asks.back().price.scale));
  std::uint64_t compared[2] = {0, 0}, outside = 0, outside_not_held = 0, outside_other_qty = 0;
  for (side s : {side::bid, side::ask}) {
    INFO(core::to_string(s));
    const auto& snap = s == side::bid ? s2.bids : s2.asks;
    const auto& local = s == side::bid ? at.bids : at.asks;
    const auto inside = [&](std::int64_t p) { return p >= lo && p <= hi; };
    std::map<std::int64_t, std::int64_t> mine, theirs;
    for (const auto& l : local)
      if (inside(l.price)) mine[l.price] = l.qty;
    for (const auto& w : snap) {
      const std::int64_t p = ticks(w.price, at.ps), q = ticks(w.qty, at.qs);
      if (inside(p)) {
        theirs[p] = q;
        continue;
      }
      ++outside;
      const auto it = std::find_if(local.begin(), local.end(), [&](const book::level& l) { return l.price == p; });
      if (it == local.end()) ++outside_not_held;
      else if (it->qty != q) ++outside_other_qty;
    }
    CHECK(mine == theirs);
    compared[static_cast<std::size_t>(s)] = theirs.size();
  }
  CHECK(bool(rest_check["match"]));
  CHECK(compared[static_cast<std::size_t>(side::bid)] == std::uint64_t(rest_check["compared_bid_levels"]));
  CHECK(compared[static_cast<std::size_t>(side::ask)] == std::uint64_t(rest_check["compared_ask_levels"]));
  CHECK(outside == std::uint64_t(rest_check["snapshot_levels_outside_common_window"]));
  CHECK(outside_not_held == std::uint64_t(rest_check["of_which_not_held_locally"]));
  CHECK(outside_other_qty == std::uint64_t(rest_check["of_which_held_with_other_qty"]));

  // Final book; the book is complete only inside the first snapshot's window.
  simdjson::dom::object fbk = exp["final_book"];
  const auto& bk = tb->book;
  const unsigned ps = bk.price_scale(), qs = bk.qty_scale();
  CHECK(test::same_value(fbk["best_bid"].at(0), bk.best(side::bid)->price, ps));
  CHECK(test::same_value(fbk["best_bid"].at(1), bk.best(side::bid)->qty, qs));
  CHECK(test::same_value(fbk["best_ask"].at(0), bk.best(side::ask)->price, ps));
  CHECK(test::same_value(fbk["best_ask"].at(1), bk.best(side::ask)->qty, qs));
  CHECK(bk.size(side::bid) == std::uint64_t(fbk["bid_levels"]));
  CHECK(bk.size(side::ask) == std::uint64_t(fbk["ask_levels"]));
  simdjson::dom::object sw = exp["snapshot_window"];
  REQUIRE(bk.coverage_key(side::bid));
  REQUIRE(bk.coverage_key(side::ask));
  CHECK(test::same_value(sw["bid_low"], book::price_of(side::bid, *bk.coverage_key(side::bid)), ps));
  CHECK(test::same_value(sw["ask_high"], book::price_of(side::ask, *bk.coverage_key(side::ask)), ps));

  depth::band_tracker t(tb->book, *depth::parse_bands("2"));
  const auto v = t.compute();
  REQUIRE(v.has_mid);
  CHECK(test::same_value(fbk["mid"], v.mid_mantissa(), v.mid_scale()));
  simdjson::dom::object band = fbk["band_2pct"];
  test::check_band_2pct(v, 0, fbk["band_2pct"]);
  CHECK(test::same_value(band["deepest_bid_held"], bk.nth(side::bid, bk.size(side::bid) - 1).price, ps));
  CHECK(test::same_value(band["deepest_ask_held"], bk.nth(side::ask, bk.size(side::ask) - 1).price, ps));
  // Levels held in the band, and the part of the band inside the complete window.
  simdjson::dom::object win = band["known_complete_window"];
  CHECK(test::same_value(win["bid_low"], book::price_of(side::bid, *bk.coverage_key(side::bid)), ps));
  CHECK(test::same_value(win["ask_high"], book::price_of(side::ask, *bk.coverage_key(side::ask)), ps));
  simdjson::dom::object within = band["within_complete_window"];
  for (side s : {side::bid, side::ask}) {
    INFO(core::to_string(s));
    const std::string sn(core::to_string(s));
    const std::int64_t edge = v.bands[0][s].edge_price;
    const std::int64_t bound = book::price_of(s, *bk.coverage_key(s));
    std::uint64_t held = 0, in_window = 0;
    core::int128 qty = 0, notional = 0;
    for (std::size_t i = 0; i < bk.size(s); ++i) {
      const auto l = bk.nth(s, i);
      const bool in_band = s == side::bid ? l.price >= edge : l.price <= edge;
      if (!in_band) continue;
      ++held;
      if (s == side::bid ? l.price < bound : l.price > bound) continue;
      ++in_window;
      qty += l.qty;
      notional += static_cast<core::int128>(l.price) * l.qty;
    }
    CHECK(held == std::uint64_t(band[sn + "_levels_held_in_band"]));
    CHECK(in_window == std::uint64_t(within[sn + "_levels"]));
    CHECK(test::same_value(within[sn + "_qty"], qty, qs));
    CHECK(test::same_value(within[sn + "_notional"], notional, ps + qs));
  }
}
