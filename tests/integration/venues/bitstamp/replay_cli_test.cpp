// `depthmon replay --venue bitstamp` (the real binary) on the Bitstamp capture: every pair of
// the expected file, exact decimals; then hand-made failure sequences and exit codes.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <map>

#include "support/json.hpp"
#include "support/run.hpp"

using namespace depthmon;

namespace {

const char* const k_pairs[] = {"sgbeur", "ethusd", "xrpeur", "bateur", "usdteur"};

// Exact equality of decimal texts of any length (xrpeur's notionals have 19 significant digits,
// more than core::parse_decimal takes): compare canonical forms.
std::string canonical(std::string s) {
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  std::size_t i = 0;
  while (i + 1 < s.size() && s[i] == '0' && s[i + 1] != '.') ++i;
  return s.substr(i);
}
bool same(simdjson::dom::element a, simdjson::dom::element b) {
  return canonical(test::str(a)) == canonical(test::str(b));
}

std::string temp_file(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/depthmon_bts_cli_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::map<std::string, std::string> by_symbol(const test::run_result& r) {
  std::map<std::string, std::string> out;
  simdjson::dom::parser p;
  for (const auto& l : r.lines()) out[test::str(p.parse(l)["symbol"])] = l;
  return out;
}

std::string diff(int mts, const std::string& bids, const std::string& asks) {
  return R"({"data":{"timestamp":"1","microtimestamp":")" + std::to_string(mts) + R"(","bids":)" + bids +
         R"(,"asks":)" + asks + R"(},"channel":"diff_order_book_tstusd","event":"data"})" "\n";
}

std::string rest(int mts, const std::string& bids, const std::string& asks) {
  return R"({"timestamp": "1", "microtimestamp": ")" + std::to_string(mts) + R"(", "bids": )" + bids +
         R"(, "asks": )" + asks + "}";
}

}  // namespace

TEST_CASE("replay bitstamp capture reproduces every pair", "[cli][bitstamp]") {
  std::vector<std::string> args{DEPTHMON_CLI, "replay", "--venue", "bitstamp", "--bands", "2"};
  for (const char* pair : k_pairs) {
    args.push_back("--snapshot");
    args.push_back(std::string(pair) + "=" + test::data_path(std::string("bitstamp/rest_order_book_") + pair + ".json"));
  }
  args.push_back(test::data_path("bitstamp/diff_order_book_cryptofeed_2022.jsonl"));
  const auto r = test::run(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto books = by_symbol(r);
  REQUIRE(books.size() == 5);
  simdjson::dom::parser ep, bp;
  const std::string text = test::read_file(test::data_path("bitstamp/expected_bitstamp_cryptofeed_2022.json"));
  simdjson::dom::object expected = ep.parse(text);
  for (const char* pair : k_pairs) {
    INFO(pair);
    simdjson::dom::object exp = expected[pair];
    simdjson::dom::object fb = exp["final_book"];
    simdjson::dom::object got = bp.parse(books.at(pair));
    CHECK(test::str(got["venue"]) == "bitstamp");
    CHECK(test::str(got["status"]) == "live");
    CHECK(std::uint64_t(got["snapshots"]) == 1);
    CHECK(std::uint64_t(got["updates_applied"]) == std::uint64_t(exp["diffs_applied"]));
    CHECK(std::uint64_t(got["gaps"]) == 0);
    CHECK(std::uint64_t(got["resyncs"]) == 0);
    CHECK(std::uint64_t(got["crossed"]) == 0);
    CHECK(test::same_decimal(got["best_bid"]["price"], fb["best_bid"].at(0)));
    CHECK(test::same_decimal(got["best_bid"]["qty"], fb["best_bid"].at(1)));
    CHECK(test::same_decimal(got["best_ask"]["price"], fb["best_ask"].at(0)));
    CHECK(test::same_decimal(got["best_ask"]["qty"], fb["best_ask"].at(1)));
    CHECK(test::same_decimal(got["mid"], fb["mid"]));
    CHECK(std::uint64_t(got["levels"]["bid"]) == std::uint64_t(fb["bid_levels"]));
    CHECK(std::uint64_t(got["levels"]["ask"]) == std::uint64_t(fb["ask_levels"]));
    simdjson::dom::array bands = got["bands"];
    REQUIRE(bands.size() == 1);
    simdjson::dom::object two = bands.at(0);
    CHECK(double(two["pct"]) == 2.0);
    simdjson::dom::object eb = fb["band_2pct"];
    CHECK(same(two["bid_qty"], eb["bid_qty"]));
    CHECK(same(two["bid_notional"], eb["bid_notional"]));
    CHECK(same(two["ask_qty"], eb["ask_qty"]));
    CHECK(same(two["ask_notional"], eb["ask_notional"]));
    CHECK(bool(two["bid_complete"]) == bool(eb["book_covers_band"]["bid"]));
    CHECK(bool(two["ask_complete"]) == bool(eb["book_covers_band"]["ask"]));
    // The diffs before the snapshot: dropped, reported in the book JSON when it carries them.
    simdjson::dom::element dropped;
    if (!got["dropped"].get(dropped))
      CHECK(std::uint64_t(dropped) == std::uint64_t(exp["diffs_dropped_(microtimestamp<=snapshot)"]));
  }
}

TEST_CASE("replay bitstamp failure sequences", "[cli][bitstamp]") {
  simdjson::dom::parser p;
  const std::string a = temp_file("snapA.json", rest(100, R"([["10","1"],["9","1"]])", R"([["11","1"]])"));
  const std::string b = temp_file("snapB.json", rest(200, R"([["10","2"],["9","2"]])", R"([["12","2"]])"));
  SECTION("crossed diff: refetch, the next snapshot aligns") {
    const std::string f = temp_file("cross.jsonl", diff(150, R"([["11.5","1"]])", "[]") +
                                                       diff(180, R"([["9","7"]])", "[]") +
                                                       diff(250, R"([["9","0"]])", "[]"));
    auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "bitstamp", "--bands", "2", "--snapshot",
                        "tstusd=" + a, "--snapshot", "tstusd=" + b, f});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    simdjson::dom::object g = p.parse(r.lines().at(0));
    CHECK(test::str(g["status"]) == "live");
    CHECK(std::uint64_t(g["crossed"]) == 1);
    CHECK(std::uint64_t(g["resyncs"]) == 1);
    CHECK(std::uint64_t(g["snapshots"]) == 2);
    CHECK(test::str(g["last_update_id"]) == "250");
    CHECK(std::uint64_t(g["levels"]["bid"]) == 1);  // 9 deleted by the 250 diff
    CHECK(test::same_decimal(g["best_bid"]["qty"], "2"));
    CHECK(test::same_decimal(g["best_ask"]["price"], "12"));
    std::remove(f.c_str());
  }
  SECTION("out-of-order diff with no snapshot left: invalid, reported") {
    const std::string f = temp_file("ooo.jsonl", diff(150, R"([["9","3"]])", "[]") + diff(140, R"([["9","4"]])", "[]"));
    auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "bitstamp", "--bands", "2", "--snapshot", "tstusd=" + a, f});
    REQUIRE(r.exit_code == 0);
    simdjson::dom::object g = p.parse(r.lines().at(0));
    CHECK(test::str(g["status"]) == "invalid");
    CHECK(std::uint64_t(g["gaps"]) == 1);
    CHECK(g["mid"].is_null());
    CHECK(g["bands"].at(0)["bid_notional"].is_null());
    std::remove(f.c_str());
  }
  SECTION("malformed lines: exit 1, book untouched") {
    const std::string f = temp_file("bad.jsonl", diff(150, R"([["9","3"]])", "[]").substr(0, 30) + "\n" +
                                                     R"({"data":{"microtimestamp":"160","bids":[["9","NaN"]],"asks":[]},"channel":"diff_order_book_tstusd","event":"data"})" "\n" +
                                                     diff(170, R"([["9","5"]])", "[]"));
    auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "bitstamp", "--snapshot", "tstusd=" + a, f});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("2 input line(s) not understood") != std::string::npos);
    simdjson::dom::object g = p.parse(r.lines().at(0));
    CHECK(test::str(g["status"]) == "live");
    CHECK(test::str(g["last_update_id"]) == "170");
    std::remove(f.c_str());
  }
  SECTION("bad arguments: exit 2") {
    auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "bitstamp", "--set", "group=1", a});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("bitstamp") != std::string::npos);
  }
  std::remove(a.c_str());
  std::remove(b.c_str());
}
