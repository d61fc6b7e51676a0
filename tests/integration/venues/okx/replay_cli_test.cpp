// `depthmon replay --venue okx ...` end to end: the real binary, its JSON lines and exit codes.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/json.hpp"
#include "support/run.hpp"

using namespace depthmon::test;

namespace {

run_result replay(std::vector<std::string> args) {
  std::vector<std::string> full{DEPTHMON_CLI, "replay", "--venue", "okx"};
  full.insert(full.end(), args.begin(), args.end());
  return run(full);
}

std::string temp_file(const std::string& name, const std::vector<std::string>& lines) {
  const std::string path = "/tmp/depthmon_okx_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream out(path, std::ios::binary);
  for (const auto& l : lines) out << l << '\n';
  return path;
}

std::string books(const char* action, long long prev, long long seq, const std::string& bids,
                  const std::string& asks) {
  return std::string(R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":")") + action +
         R"(","data":[{"asks":)" + asks + R"(,"bids":)" + bids +
         R"(,"ts":"1597026383085","checksum":0,"prevSeqId":)" + std::to_string(prev) +
         R"(,"seqId":)" + std::to_string(seq) + "}]}";
}

}  // namespace

TEST_CASE("replay: 2022 BTC-USDT capture matches the reference", "[okx][cli]") {
  simdjson::dom::parser ep;
  const std::string expected_text = read_file(data_path("okx/expected_okx_books_cryptofeed_2022.json"));
  const auto exp = parse_json(ep, expected_text)["BTC-USDT"];
  const auto fb = exp["final_book"];

  const auto r = replay({"--bands", "2", data_path("okx/books_cryptofeed_2022.jsonl")});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto lines = r.lines();
  REQUIRE(lines.size() == 1);
  simdjson::dom::parser p;
  const auto j = parse_json(p, lines[0]);
  CHECK(str(j["venue"]) == "okx");
  CHECK(str(j["symbol"]) == "BTC-USDT");
  CHECK(str(j["status"]) == "live");
  CHECK(std::uint64_t(j["messages"]) == std::uint64_t(exp["messages"]));
  CHECK(std::uint64_t(j["checksums_passed"]) == std::uint64_t(exp["checksum_matches"]));
  CHECK(std::uint64_t(j["checksums_failed"]) == 0);
  CHECK(std::uint64_t(j["snapshots"]) == 1);
  CHECK(std::uint64_t(j["updates_applied"]) == 97);
  CHECK(std::uint64_t(j["gaps"]) == 0);
  CHECK(std::uint64_t(j["resyncs"]) == 0);
  CHECK(std::uint64_t(j["crossed"]) == 0);
  CHECK(j["last_update_id"].is_null());  // no seqId in 2022
  CHECK(same_decimal(str(j["best_bid"]["price"]), str(fb["best_bid"].at(0))));
  CHECK(same_decimal(str(j["best_bid"]["qty"]), str(fb["best_bid"].at(1))));
  CHECK(same_decimal(str(j["best_ask"]["price"]), str(fb["best_ask"].at(0))));
  CHECK(same_decimal(str(j["best_ask"]["qty"]), str(fb["best_ask"].at(1))));
  CHECK(same_decimal(str(j["mid"]), str(fb["mid"])));
  CHECK(std::uint64_t(j["levels"]["bid"]) == std::uint64_t(fb["bid_levels"]));
  CHECK(std::uint64_t(j["levels"]["ask"]) == std::uint64_t(fb["ask_levels"]));
  // book_covers_band = false on both sides: the ±2 % band is incomplete, never a partial sum.
  REQUIRE_FALSE(bool(fb["band_2pct"]["book_covers_band"]["bid"]));
  REQUIRE_FALSE(bool(fb["band_2pct"]["book_covers_band"]["ask"]));
  const auto bands = simdjson::dom::array(j["bands"]);
  REQUIRE(bands.size() == 1);
  const auto b = bands.at(0);
  CHECK(std::int64_t(b["pct"]) == 2);
  CHECK(b["bid_qty"].is_null());
  CHECK(b["bid_notional"].is_null());
  CHECK(b["ask_qty"].is_null());
  CHECK(b["ask_notional"].is_null());
  CHECK_FALSE(bool(b["bid_complete"]));
  CHECK_FALSE(bool(b["ask_complete"]));
  CHECK(j["error"].is_null());
}

TEST_CASE("replay: documentation examples", "[okx][cli]") {
  const std::string doc = data_path("okx/books_doc_examples.jsonl");
  SECTION("the client's own subscribe request (line 1) is reported, the rest understood") {
    const auto r = replay({"--bands", "2", "--levels", "2", doc});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("books_doc_examples.jsonl:1:") != std::string::npos);
    CHECK(r.err.find("1 input line(s) not understood") != std::string::npos);
    const auto lines = r.lines();
    REQUIRE(lines.size() == 1);
    simdjson::dom::parser p;
    const auto j = parse_json(p, lines[0]);
    CHECK(str(j["status"]) == "live");
    CHECK(str(j["last_update_id"]) == "123457");
    CHECK(same_decimal(str(j["bids"].at(0).at(0)), "8476.97"));
    CHECK(same_decimal(str(j["bids"].at(1).at(0)), "8475.55"));
    CHECK(same_decimal(str(j["asks"].at(1).at(0)), "8477"));
    CHECK(same_decimal(str(j["mid"]), "8476.975"));
    // Eight levels per side is the whole view (< 400): the ±2 % band is complete.
    const auto b = j["bands"].at(0);
    CHECK(bool(b["bid_complete"]));
    CHECK(same_decimal(str(b["bid_qty"]), "829"));
    CHECK(same_decimal(str(b["ask_qty"]), "703"));
  }
  SECTION("without line 1 every line is understood") {
    auto all = read_lines(doc);
    const std::string f = temp_file("doc.jsonl", std::vector<std::string>(all.begin() + 1, all.end()));
    const auto r = replay({f});
    std::remove(f.c_str());
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.lines().size() == 1);
  }
  SECTION("bbo-tbt") {
    const auto r = replay({"--set", "channel=bbo-tbt", "--levels", "5", doc});
    const auto lines = r.lines();
    REQUIRE(lines.size() == 1);
    simdjson::dom::parser p;
    const auto j = parse_json(p, lines[0]);
    CHECK(str(j["symbol"]) == "BCH-USDT-SWAP");
    CHECK(std::uint64_t(j["levels"]["bid"]) == 1);
    CHECK(simdjson::dom::array(j["asks"]).size() == 1);
    CHECK(same_decimal(str(j["best_ask"]["qty"]), "55154"));
  }
}

TEST_CASE("replay: real books5 frames", "[okx][cli]") {
  const auto r = replay({"--set", "channel=books5", "--set", "ctval.BTC-USDT-SWAP=0.01", "--bands",
                         "0.001,2", "--levels", "5", data_path("okx/books5_ccxt_2026.jsonl")});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto lines = r.lines();
  REQUIRE(lines.size() == 2);
  simdjson::dom::parser p;
  {
    const auto j = parse_json(p, lines[0]);
    CHECK(str(j["symbol"]) == "BTC-USDT");
    CHECK(std::uint64_t(j["snapshots"]) == 2);
    CHECK(str(j["last_update_id"]) == "79706756227");
    CHECK(same_decimal(str(j["best_bid"]["price"]), "64073"));
    CHECK(same_decimal(str(j["best_bid"]["qty"]), "0.2330179"));
    CHECK(same_decimal(str(j["best_ask"]["qty"]), "1.11735037"));
    CHECK(same_decimal(str(j["bids"].at(4).at(0)), "64070.4"));
    // 0.001 % of 64073.05 is 0.64: the bid edge 64072.41 lies inside the 5 levels -> complete,
    // bid 64073 + 64072.7; the ask edge 64073.69 -> 64073.1 + 64073.6.
    const auto b0 = j["bands"].at(0);
    CHECK(bool(b0["bid_complete"]));
    CHECK(same_decimal(str(b0["bid_qty"]), "0.23352057"));
    CHECK(same_decimal(str(b0["ask_qty"]), "1.27206519"));
    const auto b1 = j["bands"].at(1);
    CHECK(b1["bid_qty"].is_null());
    CHECK_FALSE(bool(b1["ask_complete"]));
  }
  {
    const auto j = parse_json(p, lines[1]);
    CHECK(str(j["symbol"]) == "BTC-USDT-SWAP");
    CHECK(same_decimal(str(j["best_ask"]["qty"]), "790.41"));  // contracts as on the wire
    CHECK(same_decimal(str(j["bids"].at(4).at(0)), "63920"));
  }
}

TEST_CASE("replay: bad settings exit 2 with a clear message", "[okx][cli]") {
  const std::string doc = data_path("okx/books_doc_examples.jsonl");
  {
    const auto r = replay({"--set", "channel=books7", doc});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("channel") != std::string::npos);
    CHECK(r.out.empty());
  }
  {
    const auto r = replay({"--set", "depth=400", doc});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("okx: unknown setting 'depth' (valid: channel, ctval.<SYMBOL>)") !=
          std::string::npos);
  }
  {
    const auto r = replay({"--set", "ctval.BTC-USDT-SWAP=zero", doc});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("ctval") != std::string::npos);
  }
  {
    const auto r = replay({"--snapshot", "BTC-USDT=" + doc, doc});
    CHECK(r.exit_code == 2);
  }
}

TEST_CASE("replay: failures are reported in the JSON and recovered by a later snapshot",
          "[okx][cli]") {
  const std::string bids = R"([["10","1","0","1"],["9","2","0","1"]])";
  const std::string asks = R"([["11","1","0","1"],["12","2","0","1"]])";
  const std::string upd = books("update", 10, 15, R"([["10","3","0","1"]])", "[]");
  const std::string f = temp_file(
      "fail.jsonl",
      {books("snapshot", -1, 10, bids, asks),
       upd.substr(0, upd.size() - 3),                            // truncated: not understood
       books("update", 15, 16, "[]", "[]"),                      // gap: invalid + resubscribe
       books("update", 16, 17, R"([["10","9"]])", "[]"),         // dropped until a snapshot
       R"({"event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"}})",
       books("snapshot", -1, 100, bids, asks),                   // recovers
       books("update", 100, 101, "[]", R"([["11.5","4"]])"),
       books("update", 101, 102, R"([["11.6","1"]])", "[]"),     // crossed at the venue: held
       books("snapshot", -1, 200, bids, asks),
       books("update", 200, 200, "[]", "[]")});                  // keep-alive
  const auto r = replay({"--bands", "2", f});
  std::remove(f.c_str());
  CHECK(r.exit_code == 1);  // the truncated line
  CHECK(r.err.find(":2: malformed") != std::string::npos);
  const auto lines = r.lines();
  REQUIRE(lines.size() == 1);
  simdjson::dom::parser p;
  const auto j = parse_json(p, lines[0]);
  CHECK(str(j["status"]) == "live");
  CHECK(std::uint64_t(j["gaps"]) == 1);
  CHECK(std::uint64_t(j["crossed"]) == 1);
  CHECK(std::uint64_t(j["resyncs"]) == 1);  // the gap only: a crossed OKX book is not resynced
  CHECK(std::uint64_t(j["snapshots"]) == 3);
  CHECK(std::uint64_t(j["dropped"]) == 1);
  CHECK(std::uint64_t(j["messages"]) == 8);
  CHECK(str(j["last_update_id"]) == "200");
  CHECK(same_decimal(str(j["best_bid"]["qty"]), "1"));
  CHECK(j["error"].is_null());
}
