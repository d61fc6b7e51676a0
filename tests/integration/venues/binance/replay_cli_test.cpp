// `depthmon replay` (the real binary) on the Binance captures: its book JSON must match the
// expected files, and its exit codes must follow DESIGN.md.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "support/json.hpp"
#include "support/run.hpp"

using namespace depthmon;

namespace {

std::map<std::string, std::string> books_by_symbol(const test::run_result& r) {
  std::map<std::string, std::string> out;
  simdjson::dom::parser p;
  for (const auto& l : r.lines()) {
    simdjson::dom::element e = p.parse(l);
    out[test::str(e["symbol"])] = l;
  }
  return out;
}

void check(const std::string& venue, const std::string& prefix, const std::string& expected_file) {
  simdjson::dom::parser ep;
  const std::string text = test::read_file(test::data_path("binance/" + expected_file));
  simdjson::dom::object expected = ep.parse(text);
  std::vector<std::string> args{DEPTHMON_CLI, "replay", "--venue", venue, "--bands", "0.5,2"};
  for (auto [sym, e] : expected) {
    args.push_back("--snapshot");
    args.push_back(std::string(sym) + "=" + test::data_path("binance/" + prefix + "_rest_" + std::string(sym) + ".json"));
  }
  args.push_back(test::data_path("binance/" + prefix + "_ws_combined_stream.jsonl"));
  const auto r = test::run(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto books = books_by_symbol(r);
  REQUIRE(books.size() == expected.size());
  simdjson::dom::parser bp;
  for (auto [sym_key, exp_el] : expected) {
    const std::string sym(sym_key);
    INFO(sym);
    simdjson::dom::object exp = exp_el;
    simdjson::dom::object got = bp.parse(books.at(sym));
    CHECK(test::str(got["venue"]) == venue);
    CHECK(test::str(got["status"]) == "live");
    CHECK(std::uint64_t(got["updates_applied"]) == std::uint64_t(exp["events_applied"]));
    CHECK(std::uint64_t(got["snapshots"]) == 1);
    CHECK(std::uint64_t(got["gaps"]) == 0);
    CHECK(std::uint64_t(got["resyncs"]) == 0);
    CHECK(std::uint64_t(got["crossed"]) == 0);
    CHECK(std::uint64_t(got["bbo_checks_passed"]) == std::uint64_t(exp["bookTicker_exact_u_matches"]));
    CHECK(std::uint64_t(got["bbo_checks_failed"]) == 0);
    CHECK(test::str(got["last_update_id"]) == std::to_string(std::uint64_t(exp["final_update_id"])));
    simdjson::dom::object fb = exp["final_book"];
    CHECK(test::same_decimal(got["best_bid"]["price"], fb["best_bid"].at(0)));
    CHECK(test::same_decimal(got["best_bid"]["qty"], fb["best_bid"].at(1)));
    CHECK(test::same_decimal(got["best_ask"]["price"], fb["best_ask"].at(0)));
    CHECK(test::same_decimal(got["best_ask"]["qty"], fb["best_ask"].at(1)));
    CHECK(test::same_decimal(got["mid"], fb["mid"]));
    CHECK(std::uint64_t(got["levels"]["bid"]) == std::uint64_t(fb["bid_levels"]));
    CHECK(std::uint64_t(got["levels"]["ask"]) == std::uint64_t(fb["ask_levels"]));
    simdjson::dom::array bands = got["bands"];
    REQUIRE(bands.size() == 2);
    simdjson::dom::object two = bands.at(1);
    CHECK(double(two["pct"]) == 2.0);
    simdjson::dom::object eb = fb["band_2pct"];
    CHECK(test::same_decimal(two["bid_qty"], eb["bid_qty"]));
    CHECK(test::same_decimal(two["bid_notional"], eb["bid_notional"]));
    CHECK(test::same_decimal(two["ask_qty"], eb["ask_qty"]));
    CHECK(test::same_decimal(two["ask_notional"], eb["ask_notional"]));
    CHECK(bool(two["bid_complete"]) == bool(eb["book_covers_band"]["bid"]));
    CHECK(bool(two["ask_complete"]) == bool(eb["book_covers_band"]["ask"]));
  }
}

}  // namespace

TEST_CASE("replay binance spot capture", "[cli][binance]") {
  check("binance", "spot", "expected_binance_spot.json");
}

TEST_CASE("replay binance-usdm capture", "[cli][binance]") {
  check("binance-usdm", "usdm", "expected_binance_usdm.json");
}

namespace {

const std::string k_deep = "binance/spot_btcusdt_deepseed_depthcharge_20260824";

// The one book `depthmon replay` prints for the BTCUSDT capture, syncing from `snapshots`.
std::string replay_btcusdt(const std::vector<std::string>& snapshots, const char* levels) {
  std::vector<std::string> args{DEPTHMON_CLI, "replay", "--venue", "binance", "--bands", "0.5,2",
                                "--snapshot-limit", "1000", "--levels", levels};
  for (const auto& f : snapshots) {
    args.push_back("--snapshot");
    args.push_back("BTCUSDT=" + test::data_path(k_deep + f));
  }
  args.push_back(test::data_path(k_deep + ".jsonl"));
  const auto r = test::run(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.lines().size() == 1);
  return r.lines()[0];
}

// A BTCUSDT price (tick 0.01) in cents.
std::int64_t cents(std::string_view text) {
  const auto d = core::parse_decimal(text);
  REQUIRE(d);
  REQUIRE(d->scale <= 2);
  return d->mantissa * static_cast<std::int64_t>(core::pow10_i128(2u - d->scale));
}

// price -> qty of one side of a book JSON's "bids"/"asks", inside [lo, hi].
std::map<std::string, std::string> side_within(simdjson::dom::array levels, std::int64_t lo, std::int64_t hi) {
  std::map<std::string, std::string> out;
  for (simdjson::dom::array l : levels) {
    const std::int64_t c = cents(std::string_view(l.at(0)));
    if (c >= lo && c <= hi) out[test::str(l.at(0))] = test::str(l.at(1));
  }
  return out;
}

}  // namespace

TEST_CASE("replay binance BTCUSDT 2026 capture: depth20 partial checks", "[cli][binance][partial]") {
  simdjson::dom::parser ep;
  const std::string text =
      test::read_file(test::data_path("binance/expected_spot_btcusdt_deepseed_depthcharge_20260824.json"));
  simdjson::dom::object exp = ep.parse(text)["BTCUSDT"];
  // Both REST bodies, in the order they were recorded. `--snapshot` serves the first before the
  // first line (the recorder got it after 30 frames: the events it already holds are dropped by
  // id either way, and the partials older than it are never compared); later ones only when the
  // venue asks for a snapshot, which it does not here. The second is never loaded by position.
  const std::string line = replay_btcusdt({".rest_1.json", ".rest_2.json"}, "0");
  simdjson::dom::parser bp;
  simdjson::dom::object got = bp.parse(line);
  const auto frames = test::read_lines(test::data_path(k_deep + ".jsonl"));
  CHECK(test::str(got["status"]) == "live");
  CHECK(std::uint64_t(got["messages"]) == frames.size() + 1);  // every frame and one snapshot
  CHECK(std::uint64_t(got["snapshots"]) == 1);
  CHECK(std::uint64_t(got["resyncs"]) == 0);
  CHECK(std::uint64_t(got["gaps"]) == std::uint64_t(exp["chain_gaps"]));
  CHECK(std::uint64_t(got["crossed"]) == std::uint64_t(exp["crossed_books"]));
  CHECK(std::uint64_t(got["dropped"]) == std::uint64_t(exp["events_dropped_before_first"]));
  CHECK(std::uint64_t(got["updates_applied"]) == std::uint64_t(exp["events_applied"]));
  CHECK(std::uint64_t(got["partial_checks_passed"]) == std::uint64_t(exp["depth20_exact_u_matches"]));
  CHECK(std::uint64_t(got["partial_checks_failed"]) == std::uint64_t(exp["depth20_mismatches"]));
  CHECK(std::uint64_t(got["bbo_checks_passed"]) == 0);
  CHECK(test::str(got["last_update_id"]) == std::to_string(std::uint64_t(exp["final_update_id"])));
  simdjson::dom::object fb = exp["final_book"];
  CHECK(test::same_decimal(got["best_bid"]["price"], fb["best_bid"].at(0)));
  CHECK(test::same_decimal(got["best_bid"]["qty"], fb["best_bid"].at(1)));
  CHECK(test::same_decimal(got["best_ask"]["price"], fb["best_ask"].at(0)));
  CHECK(test::same_decimal(got["best_ask"]["qty"], fb["best_ask"].at(1)));
  CHECK(test::same_decimal(got["mid"], fb["mid"]));
  CHECK(std::uint64_t(got["levels"]["bid"]) == std::uint64_t(fb["bid_levels"]));
  CHECK(std::uint64_t(got["levels"]["ask"]) == std::uint64_t(fb["ask_levels"]));
  // The book is complete only inside the first snapshot's window: ±2 % is not covered, so the
  // band is reported incomplete, with no figures.
  simdjson::dom::object two = simdjson::dom::array(got["bands"]).at(1);
  CHECK(double(two["pct"]) == 2.0);
  simdjson::dom::object eb = fb["band_2pct"];
  CHECK(bool(two["bid_complete"]) == bool(eb["book_covers_band"]["bid"]));
  CHECK(bool(two["ask_complete"]) == bool(eb["book_covers_band"]["ask"]));
  CHECK_FALSE(bool(two["bid_complete"]));
  CHECK(two["bid_qty"].is_null());
  CHECK(two["bid_notional"].is_null());
  CHECK(two["ask_qty"].is_null());
  CHECK(two["ask_notional"].is_null());
}

TEST_CASE("replay binance BTCUSDT 2026 capture from the second snapshot alone", "[cli][binance][partial]") {
  // Syncing from the second snapshot (by its id: the events it holds are dropped) must give the
  // same book, inside the window both snapshots cover, as syncing from the first, and every
  // partial after it must match. The counts are derived from the capture itself.
  simdjson::dom::parser ep;
  const std::string text =
      test::read_file(test::data_path("binance/expected_spot_btcusdt_deepseed_depthcharge_20260824.json"));
  simdjson::dom::object exp = ep.parse(text)["BTCUSDT"];
  simdjson::dom::object rest_check = simdjson::dom::array(exp["rest_snapshot_checks"]).at(0);
  const std::uint64_t id2 = rest_check["lastUpdateId"];
  std::set<std::uint64_t> event_ids;
  std::vector<std::uint64_t> partial_ids;
  std::uint64_t held_by_snapshot = 0;
  simdjson::dom::parser fp;
  for (const auto& l : test::read_lines(test::data_path(k_deep + ".jsonl"))) {
    simdjson::dom::object d = fp.parse(l)["data"];
    simdjson::dom::element e;
    if (d["e"].get(e) == simdjson::SUCCESS) {
      const std::uint64_t u = d["u"];
      event_ids.insert(u);
      if (u <= id2) ++held_by_snapshot;
    } else {
      partial_ids.push_back(std::uint64_t(d["lastUpdateId"]));
    }
  }
  std::uint64_t checkable = 0;
  for (std::uint64_t p : partial_ids)
    if (p == id2 || (p > id2 && event_ids.count(p))) ++checkable;
  REQUIRE(checkable > 0);

  const std::string from_second = replay_btcusdt({".rest_2.json"}, "5000");
  const std::string from_first = replay_btcusdt({".rest_1.json"}, "5000");
  simdjson::dom::parser p2, p1;
  simdjson::dom::object got = p2.parse(from_second);
  simdjson::dom::object ref = p1.parse(from_first);
  CHECK(test::str(got["status"]) == "live");
  CHECK(std::uint64_t(got["snapshots"]) == 1);
  CHECK(std::uint64_t(got["resyncs"]) == 0);
  CHECK(std::uint64_t(got["dropped"]) == held_by_snapshot);
  CHECK(std::uint64_t(got["updates_applied"]) == event_ids.size() - held_by_snapshot);
  CHECK(std::uint64_t(got["partial_checks_passed"]) == checkable);
  CHECK(std::uint64_t(got["partial_checks_failed"]) == 0);
  CHECK(test::str(got["last_update_id"]) == test::str(ref["last_update_id"]));
  simdjson::dom::array window = rest_check["common_window"];
  const std::int64_t lo = cents(std::string_view(window.at(0)));
  const std::int64_t hi = cents(std::string_view(window.at(1)));
  for (const char* s : {"bids", "asks"}) {
    INFO(s);
    const auto a = side_within(got[s], lo, hi);
    const auto b = side_within(ref[s], lo, hi);
    CHECK(a.size() > 900);
    CHECK(a == b);
  }
}

TEST_CASE("replay exit codes and errors", "[cli]") {
  const std::string cli = DEPTHMON_CLI;
  auto r = test::run({cli, "replay", "--venue", "nope", "x"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("unknown venue 'nope'") != std::string::npos);
  r = test::run({cli, "replay", "--venue", "binance", "/nonexistent/file.jsonl"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("cannot read input file") != std::string::npos);
  r = test::run({cli, "replay", "--venue", "binance", "--bands", "0,2", test::data_path("binance/spot_ws_combined_stream.jsonl")});
  CHECK(r.exit_code == 2);
  r = test::run({cli, "replay", "--venue", "binance", "--snapshot", "X", "f"});
  CHECK(r.exit_code == 2);
  r = test::run({cli, "replay", "--bogus"});
  CHECK(r.exit_code == 2);
  r = test::run({cli, "frobnicate"});
  CHECK(r.exit_code == 2);
  // Lines that are not understood: reported with file:line, exit 1, books still printed.
  const std::string bad = "/tmp/depthmon_replay_bad_" + std::to_string(::getpid()) + ".jsonl";
  {
    std::ofstream f(bad);
    f << R"({"e":"depthUpdate","E":1,"s":"NKNUSDT","U":1,"u":2,"b":[],"a":[]})" << "\n"
      << "garbage\n\n"
      << R"({"e":"mystery"})" << "\n";
  }
  r = test::run({cli, "replay", "--venue", "binance", bad});
  std::remove(bad.c_str());
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(":2: malformed JSON") != std::string::npos);
  CHECK(r.err.find(":4: unknown message") != std::string::npos);
  REQUIRE(r.lines().size() == 1);
  CHECK(r.lines()[0].find("\"status\":\"syncing\"") != std::string::npos);
}
