// Bitstamp reference capture (tests/data/bitstamp/): every pair of the expected file, both the
// way `depthmon replay` feeds it (snapshots first) and the way the daemon meets it (diffs
// buffered while the REST snapshot is in flight, snapshot handed over at its receive time).
#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include "depth/band_tracker.hpp"
#include "unit/venues/bitstamp/harness.hpp"
#include "replay/replay.hpp"
#include "support/json.hpp"
#include "support/run.hpp"

using namespace depthmon;
using core::side;

namespace {

std::string rest_file(const std::string& pair) {
  return test::read_file(test::data_path("bitstamp/rest_order_book_" + pair + ".json"));
}

std::string text(core::int128 v, unsigned scale) { return core::to_canonical_string(v, scale); }

// Exact equality of decimal texts of any length (notionals can exceed the 18 significant
// digits core::parse_decimal accepts): compare the canonical forms.
std::string canonical(std::string s) {
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  const bool neg = !s.empty() && s[0] == '-';
  std::size_t i = neg ? 1 : 0;
  while (i + 1 < s.size() && s[i] == '0' && s[i + 1] != '.') ++i;
  return (neg ? "-" : "") + s.substr(i);
}
bool same(const std::string& a, const std::string& b) { return canonical(a) == canonical(b); }

void check_pair(const std::string& pair, const book::tracked_book& tb, const depth::depth_view& dv,
                simdjson::dom::object exp) {
  INFO(pair);
  simdjson::dom::object fb = exp["final_book"];
  CHECK(tb.live());
  CHECK(tb.counters.snapshots == 1);
  CHECK(tb.counters.gaps == 0);
  CHECK(tb.counters.resyncs == 0);
  CHECK(tb.counters.crossed == 0);
  CHECK(tb.counters.dropped == std::uint64_t(exp["diffs_dropped_(microtimestamp<=snapshot)"]));
  CHECK(tb.counters.updates_applied == std::uint64_t(exp["diffs_applied"]));
  if (tb.counters.updates_applied == 0)
    CHECK(std::to_string(*tb.last_update_id) == test::str(exp["snapshot_microtimestamp"]));
  REQUIRE(dv.has_mid);
  CHECK(same(text(dv.best_bid.price, dv.price_scale), test::str(fb["best_bid"].at(0))));
  CHECK(same(text(dv.best_bid.qty, dv.qty_scale), test::str(fb["best_bid"].at(1))));
  CHECK(same(text(dv.best_ask.price, dv.price_scale), test::str(fb["best_ask"].at(0))));
  CHECK(same(text(dv.best_ask.qty, dv.qty_scale), test::str(fb["best_ask"].at(1))));
  CHECK(same(text(dv.mid_mantissa(), dv.mid_scale()), test::str(fb["mid"])));
  CHECK(tb.book.size(side::bid) == std::uint64_t(fb["bid_levels"]));
  CHECK(tb.book.size(side::ask) == std::uint64_t(fb["ask_levels"]));
  REQUIRE(dv.band_count == 1);
  simdjson::dom::object band = fb["band_2pct"];
  const auto& bid = dv.bands[0][side::bid];
  const auto& ask = dv.bands[0][side::ask];
  CHECK(bid.complete == bool(band["book_covers_band"]["bid"]));
  CHECK(ask.complete == bool(band["book_covers_band"]["ask"]));
  CHECK(same(text(bid.qty, dv.qty_scale), test::str(band["bid_qty"])));
  CHECK(same(text(bid.notional, dv.notional_scale()), test::str(band["bid_notional"])));
  CHECK(same(text(ask.qty, dv.qty_scale), test::str(band["ask_qty"])));
  CHECK(same(text(ask.notional, dv.notional_scale()), test::str(band["ask_notional"])));
}

}  // namespace

TEST_CASE("bitstamp capture through the replay pipeline (snapshots first)", "[bitstamp][reference]") {
  replay::replay_options o;
  o.venue = core::venue::bitstamp;
  o.bands = *depth::parse_bands("2");
  for (const char* pair : bts_test::k_pairs) o.snapshots.emplace_back(pair, rest_file(pair));
  auto s = std::move(replay::replay_session::create(std::move(o))).value();
  for (const auto& l : test::read_lines(test::data_path("bitstamp/diff_order_book_cryptofeed_2022.jsonl")))
    REQUIRE(s->feed_line(l).ok());
  simdjson::dom::parser p;
  const std::string exp_text = test::read_file(test::data_path("bitstamp/expected_bitstamp_cryptofeed_2022.json"));
  simdjson::dom::object exp = p.parse(exp_text);
  REQUIRE(s->protocol().books().size() == 5);
  for (const char* pair : bts_test::k_pairs) {
    const auto* tb = s->protocol().find_book(pair);
    REQUIRE(tb);
    check_pair(pair, *tb, s->depth_of(*tb), exp[pair]);
  }
  CHECK(s->protocol().counters().control == 10);
  CHECK(s->protocol().counters().ignored == 10);
}

TEST_CASE("bitstamp capture the daemon's way: diffs buffered while the snapshot is in flight",
          "[bitstamp][reference]") {
  // The capture's receive times put every REST body before the (socket-queued) websocket
  // frames, so the daemon's order is simulated instead: each pair's snapshot is handed over
  // only once a diff newer than it has arrived, i.e. after buffering diffs on both sides of it.
  bts_test::harness h({"sgbeur", "ethusd", "xrpeur", "bateur", "usdteur"});
  std::map<std::string, std::pair<std::uint64_t, bool>> snap;  // pair -> (microtimestamp, given)
  simdjson::dom::parser p;
  const std::string exp_text = test::read_file(test::data_path("bitstamp/expected_bitstamp_cryptofeed_2022.json"));
  simdjson::dom::object exp = p.parse(exp_text);
  for (const char* pair : bts_test::k_pairs)
    snap[pair] = {std::stoull(test::str(exp[pair]["snapshot_microtimestamp"])), false};
  simdjson::dom::parser lp;
  std::size_t buffered = 0;
  for (const auto& line : test::read_lines(test::data_path("bitstamp/diff_order_book_cryptofeed_2022.jsonl"))) {
    REQUIRE(h.frame(line).ok());
    simdjson::dom::object m = lp.parse(line);
    const std::string channel = test::str(m["channel"]);
    if (test::str(m["event"]) != "data" || channel.rfind("diff_order_book_", 0) != 0) continue;
    const std::string pair = channel.substr(16);
    auto& [mts, given] = snap.at(pair);
    if (given) continue;
    if (std::stoull(test::str(m["data"]["microtimestamp"])) > mts) {
      REQUIRE(h.snapshot(rest_file(pair), pair).ok());
      given = true;
    } else {
      ++buffered;
    }
  }
  for (auto& [pair, s] : snap)
    if (!s.second) REQUIRE(h.snapshot(rest_file(pair), pair).ok());
  CHECK(buffered == 12 + 6 + 14 + 12);  // every diff the snapshots contain was buffered first
  CHECK(h.take().empty());
  for (const char* pair : bts_test::k_pairs) {
    auto* tb = h.p->find_book(pair);
    REQUIRE(tb);
    depth::band_tracker t(tb->book, *depth::parse_bands("2"));
    check_pair(pair, *tb, t.compute(), exp[pair]);
  }
}
