// `depthmon replay` (the real binary) on the Binance captures: its book JSON must match the
// expected files, and its exit codes must follow DESIGN.md.
#include <catch2/catch.hpp>

#include <map>

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
