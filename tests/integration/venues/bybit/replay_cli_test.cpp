// `depthmon replay --venue bybit` (the real binary): reference frames, hand-made failure
// sequences, exit codes.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "support/json.hpp"
#include "support/run.hpp"

using namespace depthmon;

namespace {

std::string temp_file(const std::string& name, const std::string& text) {
  const std::string path = "/tmp/depthmon_bybit_cli_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

test::run_result replay(std::vector<std::string> extra) {
  std::vector<std::string> args{DEPTHMON_CLI, "replay", "--venue", "bybit", "--bands", "2"};
  args.insert(args.end(), extra.begin(), extra.end());
  return test::run(args);
}

const char* k_snap100 =
    R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1,"data":{"s":"BTCUSDT","b":[["100","1"],["99","2"]],"a":[["101","1"],["102","2"]],"u":100,"seq":1},"cts":1})";

std::string delta(int u, const std::string& b, const std::string& a) {
  return R"({"topic":"orderbook.50.BTCUSDT","ts":2,"type":"delta","data":{"s":"BTCUSDT","b":)" + b +
         R"(,"a":)" + a + R"(,"u":)" + std::to_string(u) + R"(,"seq":2},"cts":2})";
}

}  // namespace

TEST_CASE("replay bybit real spot orderbook.1 frames", "[cli][bybit]") {
  const auto r = replay({test::data_path("bybit/v5_spot_orderbook1_btcusdt_ccxt_2026.jsonl")});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.lines().size() == 1);
  simdjson::dom::parser p;
  simdjson::dom::object b = p.parse(r.lines()[0]);
  CHECK(test::str(b["venue"]) == "bybit");
  CHECK(test::str(b["symbol"]) == "BTCUSDT");
  CHECK(test::str(b["status"]) == "live");
  CHECK(std::uint64_t(b["snapshots"]) == 2);
  CHECK(std::uint64_t(b["gaps"]) == 0);
  CHECK(test::str(b["last_update_id"]) == "72212458");
  CHECK(test::same_decimal(b["best_bid"]["price"], "63705.3"));
  CHECK(test::same_decimal(b["best_bid"]["qty"], "2.014151"));
  CHECK(test::same_decimal(b["best_ask"]["price"], "63705.4"));
  CHECK(test::same_decimal(b["best_ask"]["qty"], "2.334566"));
  CHECK(test::same_decimal(b["mid"], "63705.35"));
  CHECK(std::uint64_t(b["levels"]["bid"]) == 1);
  simdjson::dom::object band = b["bands"].at(0);
  CHECK(band["bid_notional"].is_null());  // one level shown: ±2 % is not covered
  CHECK_FALSE(bool(band["bid_complete"]));
}

TEST_CASE("replay bybit documentation delta after a snapshot", "[cli][bybit]") {
  const std::string snap = temp_file("docsnap.jsonl",
      R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1687940967400,"data":{"s":"BTCUSDT","b":[["30247.20","1.000"],["30245.40","2.000"],["30240.00","3.000"],["30239.00","4.000"]],"a":[["30248.70","5.000"],["30249.30","6.000"],["30249.60","7.000"],["30253.00","8.000"]],"u":177400506,"seq":66544703300},"cts":1687940967398})" "\n");
  const auto r = replay({snap, test::data_path("bybit/v5_doc_examples.jsonl")});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.lines().size() == 1);
  simdjson::dom::parser p;
  simdjson::dom::object b = p.parse(r.lines()[0]);
  CHECK(test::str(b["status"]) == "live");
  CHECK(std::uint64_t(b["updates_applied"]) == 1);
  CHECK(test::str(b["last_update_id"]) == "177400507");
  CHECK(test::same_decimal(b["best_bid"]["price"], "30247.20"));
  CHECK(test::same_decimal(b["best_bid"]["qty"], "30.028"));
  CHECK(test::same_decimal(b["best_ask"]["price"], "30249.30"));
  CHECK(test::same_decimal(b["best_ask"]["qty"], "0.892"));
  CHECK(std::uint64_t(b["levels"]["bid"]) == 5);
  CHECK(std::uint64_t(b["levels"]["ask"]) == 6);
  // Fewer than 50 levels per side: Bybit showed the whole book, the band is complete.
  simdjson::dom::object band = b["bands"].at(0);
  CHECK(bool(band["bid_complete"]));
  CHECK(test::same_decimal(band["bid_qty"], "37.15"));  // 30.028 + 0.224 + 1.593 + 1.305 + 4
  CHECK(test::same_decimal(band["ask_qty"], "18.867"));  // 0.892 + 1.778 + 2.947 + 0.659 + 4.591 + 8
  std::remove(snap.c_str());
}

TEST_CASE("replay bybit failure sequences", "[cli][bybit]") {
  simdjson::dom::parser p;
  SECTION("gap: invalid until the next snapshot") {
    const std::string f = temp_file("gap.jsonl", std::string(k_snap100) + "\n" + delta(101, R"([["100","5"]])", "[]") +
                                                     "\n" + delta(103, "[]", "[]") + "\n" + delta(104, "[]", "[]") + "\n");
    auto r = replay({f});
    REQUIRE(r.exit_code == 0);
    simdjson::dom::object b = p.parse(r.lines().at(0));
    CHECK(test::str(b["status"]) == "invalid");
    CHECK(std::uint64_t(b["gaps"]) == 1);
    CHECK(std::uint64_t(b["resyncs"]) == 1);
    CHECK(b["best_bid"].is_null());
    CHECK(b["mid"].is_null());
    // Recovery: a later snapshot (what the resubscription delivers).
    const std::string g = temp_file("gap2.jsonl", std::string(k_snap100) + "\n" + delta(102, "[]", "[]") + "\n" +
                                                      delta(101, R"([["100","5"]])", "[]") + "\n");
    r = replay({f, g});
    REQUIRE(r.exit_code == 0);
    b = p.parse(r.lines().at(0));
    CHECK(test::str(b["status"]) == "invalid");  // 102 then 101: out of order
    CHECK(std::uint64_t(b["gaps"]) == 2);
    const std::string h = temp_file("gap3.jsonl", std::string(k_snap100) + "\n" + delta(101, R"([["100","5"]])", "[]") + "\n");
    r = replay({f, h});
    REQUIRE(r.exit_code == 0);
    b = p.parse(r.lines().at(0));
    CHECK(test::str(b["status"]) == "live");
    CHECK(std::uint64_t(b["snapshots"]) == 2);
    CHECK(test::same_decimal(b["best_bid"]["qty"], "5"));
    for (const auto& x : {f, g, h}) std::remove(x.c_str());
  }
  SECTION("crossed after a delta, then u == 1 restart") {
    const std::string f = temp_file("cross.jsonl",
        std::string(k_snap100) + "\n" + delta(101, R"([["101.5","1"]])", "[]") + "\n" +
            R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":3,"data":{"s":"BTCUSDT","b":[["90","1"]],"a":[["91","1"]],"u":1,"seq":3},"cts":3})" "\n" +
            delta(2, R"([["89","1"]])", "[]") + "\n");
    auto r = replay({f});
    REQUIRE(r.exit_code == 0);
    simdjson::dom::object b = p.parse(r.lines().at(0));
    CHECK(test::str(b["status"]) == "live");
    CHECK(std::uint64_t(b["crossed"]) == 1);
    CHECK(std::uint64_t(b["resyncs"]) == 1);
    CHECK(test::str(b["last_update_id"]) == "2");
    CHECK(std::uint64_t(b["levels"]["bid"]) == 2);
    CHECK(test::same_decimal(b["mid"], "90.5"));
    std::remove(f.c_str());
  }
  SECTION("malformed and unknown lines: reported, exit 1, book untouched") {
    const std::string f = temp_file("bad.jsonl",
        std::string(k_snap100) + "\n" + delta(101, R"([["100","5"]])", "[]").substr(0, 40) + "\n" +
            R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[["100","1e999"]],"a":[],"u":101}})" "\n" +
            R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"b":[[100,true]],"a":[],"u":101}})" "\n" +
            R"({"what":"is this"})" "\n" + delta(101, R"([["100","5"]])", "[]") + "\n");
    auto r = replay({f});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("bad.jsonl:2:") != std::string::npos);
    CHECK(r.err.find("bad.jsonl:5: unknown message") != std::string::npos);
    CHECK(r.err.find("4 input line(s) not understood") != std::string::npos);
    simdjson::dom::object b = p.parse(r.lines().at(0));
    CHECK(test::str(b["status"]) == "live");
    CHECK(std::uint64_t(b["gaps"]) == 0);
    CHECK(test::same_decimal(b["best_bid"]["qty"], "5"));
    std::remove(f.c_str());
  }
}

TEST_CASE("replay bybit rejects bad settings with exit 2", "[cli][bybit]") {
  const auto f = test::data_path("bybit/v5_spot_orderbook1_btcusdt_ccxt_2026.jsonl");
  auto r = replay({"--set", "depth=7", f});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("depth") != std::string::npos);
  r = replay({"--set", "colour=blue", f});
  CHECK(r.exit_code == 2);
  r = replay({"--snapshot", "BTCUSDT=" + f, f});
  CHECK(r.exit_code == 2);
  r = replay({"--set", "depth=1", f});
  CHECK(r.exit_code == 0);
}
