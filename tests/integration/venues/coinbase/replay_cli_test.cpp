// `depthmon replay` (the real binary) on the Coinbase data: the Exchange capture's book JSON
// must match the expected file exactly; Advanced Trade frames replay as documented.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <unistd.h>

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

std::string temp_file(const std::string& name, const std::vector<std::string>& lines) {
  const std::string path = "/tmp/depthmon_coinbase_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream f(path);
  for (const auto& l : lines) f << l << "\n";
  return path;
}

}  // namespace

TEST_CASE("replay coinbase-exchange level2 capture", "[cli][coinbase]") {
  simdjson::dom::parser ep;
  const std::string text =
      test::read_file(test::data_path("coinbase/expected_coinbase_exchange_level2_cryptofeed_2021.json"));
  simdjson::dom::object expected = ep.parse(text);
  const auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "coinbase-exchange", "--bands", "2",
                            test::data_path("coinbase/exchange_level2_cryptofeed_2021.jsonl")});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const auto books = books_by_symbol(r);
  REQUIRE(books.size() == expected.size());
  simdjson::dom::parser bp;
  for (auto [sym_key, exp_el] : expected) {
    const std::string sym(sym_key);
    INFO(sym);
    simdjson::dom::object exp = exp_el;
    simdjson::dom::object got = bp.parse(books.at(sym));
    CHECK(test::str(got["venue"]) == "coinbase-exchange");
    CHECK(test::str(got["status"]) == "live");
    CHECK(std::uint64_t(got["updates_applied"]) == std::uint64_t(exp["l2updates"]));
    CHECK(std::uint64_t(got["snapshots"]) == 1);
    CHECK(std::uint64_t(got["gaps"]) == 0);
    CHECK(std::uint64_t(got["resyncs"]) == 0);
    CHECK(std::uint64_t(got["crossed"]) == 0);
    CHECK(got["last_update_id"].is_null());
    simdjson::dom::object fb = exp["final_book"];
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
    CHECK(test::same_decimal(two["bid_qty"], eb["bid_qty"]));
    CHECK(test::same_decimal(two["bid_notional"], eb["bid_notional"]));
    CHECK(test::same_decimal(two["ask_qty"], eb["ask_qty"]));
    CHECK(test::same_decimal(two["ask_notional"], eb["ask_notional"]));
    CHECK(bool(two["bid_complete"]) == bool(eb["book_covers_band"]["bid"]));
    CHECK(bool(two["ask_complete"]) == bool(eb["book_covers_band"]["ask"]));
  }
}

TEST_CASE("replay coinbase-exchange with --symbol keeps only those books", "[cli][coinbase]") {
  const auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "coinbase-exchange", "--symbol", "YFI-BTC",
                            "--bands", "2", test::data_path("coinbase/exchange_level2_cryptofeed_2021.jsonl")});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.lines().size() == 1);
  simdjson::dom::parser p;
  simdjson::dom::object got = p.parse(r.lines()[0]);
  CHECK(test::str(got["symbol"]) == "YFI-BTC");
  CHECK(std::uint64_t(got["updates_applied"]) == 487);
  CHECK(test::same_decimal(got["best_bid"]["price"], "0.82553"));
}

TEST_CASE("replay coinbase (Advanced Trade) doc example and a connection gap", "[cli][coinbase]") {
  // The doc example's l2_data snapshot (one side only: live, no mid, bands null).
  const auto doc = test::read_lines(test::data_path("coinbase/advanced_trade_doc_examples.jsonl"));
  const std::string f1 = temp_file("at_doc.jsonl", {doc[3]});
  auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "coinbase", "--bands", "2", f1});
  std::remove(f1.c_str());
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.lines().size() == 1);
  simdjson::dom::parser p;
  simdjson::dom::object got = p.parse(r.lines()[0]);
  CHECK(test::str(got["venue"]) == "coinbase");
  CHECK(test::str(got["symbol"]) == "BTC-USD");
  CHECK(test::str(got["status"]) == "live");
  CHECK(test::str(got["last_update_id"]) == "0");
  CHECK(std::uint64_t(got["levels"]["bid"]) == 2);
  CHECK(got["mid"].is_null());

  // A connection: snapshots, interleaved control messages (numbered too), then a loss.
  auto l2 = [](int seq, const std::string& ev) {
    return R"({"channel":"l2_data","timestamp":"2026-08-12T19:27:33.489674268Z","sequence_num":)" +
           std::to_string(seq) + R"(,"events":[)" + ev + "]}";
  };
  const std::string btc = R"({"type":"snapshot","product_id":"BTC-USD","updates":[{"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"101","new_quantity":"2"},{"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"100","new_quantity":"1"}]})";
  const std::string eth = R"({"type":"snapshot","product_id":"ETH-USD","updates":[{"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"10","new_quantity":"1"},{"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"11","new_quantity":"1"}]})";
  const std::string btc_upd = R"({"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"2026-08-12T19:27:34Z","price_level":"100","new_quantity":"3"}]})";
  const std::string f2 = temp_file("at_conn.jsonl", {
      l2(0, btc),
      R"({"channel":"subscriptions","timestamp":"2026-08-12T19:27:33Z","sequence_num":1,"events":[{"subscriptions":{"level2":["BTC-USD","ETH-USD"]}}]})",
      l2(2, eth),
      R"({"channel":"heartbeats","timestamp":"2026-08-12T19:27:34Z","sequence_num":3,"events":[{"current_time":"x","heartbeat_counter":1}]})",
      l2(4, btc_upd),
  });
  r = test::run({DEPTHMON_CLI, "replay", "--venue", "coinbase", "--bands", "2", f2});
  REQUIRE(r.exit_code == 0);
  auto books = books_by_symbol(r);
  REQUIRE(books.size() == 2);
  simdjson::dom::parser p2;
  simdjson::dom::object b = p2.parse(books.at("BTC-USD"));
  CHECK(test::str(b["status"]) == "live");
  CHECK(std::uint64_t(b["updates_applied"]) == 1);
  CHECK(std::uint64_t(b["gaps"]) == 0);
  CHECK(test::same_decimal(b["best_bid"]["qty"], "3"));
  CHECK(test::same_decimal(b["mid"], "100.5"));

  // Same connection, but message 3 is missing: both books invalid, each with one gap.
  std::ifstream in(f2);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  lines.erase(lines.begin() + 3);
  const std::string f3 = temp_file("at_gap.jsonl", lines);
  r = test::run({DEPTHMON_CLI, "replay", "--venue", "coinbase", "--bands", "2", f3});
  std::remove(f2.c_str());
  std::remove(f3.c_str());
  REQUIRE(r.exit_code == 0);  // every line understood; the failure is reported in the books
  books = books_by_symbol(r);
  for (const char* sym : {"BTC-USD", "ETH-USD"}) {
    INFO(sym);
    simdjson::dom::parser p3;
    simdjson::dom::object g = p3.parse(books.at(sym));
    CHECK(test::str(g["status"]) == "invalid");
    CHECK(std::uint64_t(g["gaps"]) == 1);
    CHECK(std::uint64_t(g["resyncs"]) == 1);
    CHECK(g["best_bid"].is_null());
  }
}

TEST_CASE("replay coinbase: bad lines and bad options", "[cli][coinbase]") {
  const std::string f = temp_file("bad.jsonl", {
      R"({"type":"snapshot","product_id":"BTC-USD","bids":[["100","1"]],"asks":[["101","1"]]})",
      R"({"type":"l2update","product_id":"BTC-USD","changes":[["buy","100","2"]],"time":"2021-04-17T16:43:37Z")",
      "",
      R"({"type":"mystery"})",
      R"({"type":"l2update","product_id":"BTC-USD","changes":[["buy","100","3"]],"time":"2021-04-17T16:43:38Z"})",
  });
  auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "coinbase-exchange", "--bands", "2", f});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(":2: malformed JSON") != std::string::npos);
  CHECK(r.err.find(":4: unknown message") != std::string::npos);
  REQUIRE(r.lines().size() == 1);
  simdjson::dom::parser p;
  simdjson::dom::object g = p.parse(r.lines()[0]);
  CHECK(test::str(g["status"]) == "live");
  CHECK(std::uint64_t(g["updates_applied"]) == 1);
  CHECK(test::same_decimal(g["best_bid"]["qty"], "3"));
  r = test::run({DEPTHMON_CLI, "replay", "--venue", "coinbase", "--set", "depth=10", f});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no settings") != std::string::npos);
  r = test::run({DEPTHMON_CLI, "replay", "--venue", "coinbase-exchange", "--snapshot", "BTC-USD=" + f, f});
  CHECK(r.exit_code == 2);
  std::remove(f.c_str());
}
