// `depthmon replay --venue kraken-v1 / kraken` (the real binary) against the Kraken reference
// data: its JSON lines, compared as exact decimals; exit codes and errors.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "expect_v1.hpp"
#include "support/json.hpp"
#include "support/run.hpp"

namespace {
using namespace depthmon;

std::map<std::string, std::string> by_symbol(const test::run_result& r) {
  std::map<std::string, std::string> out;
  for (const auto& l : r.lines()) {
    simdjson::dom::parser p;
    out[test::str(test::parse_json(p, l)["symbol"].value())] = l;
  }
  return out;
}
}  // namespace

TEST_CASE("depthmon replay --venue kraken-v1 reproduces the book-1000 capture", "[kraken][cli]") {
  const auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "kraken-v1", "--bands", "2",
                            test::data_path("kraken/v1_book1000_cryptofeed_2021.jsonl")});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const auto books = by_symbol(r);
  REQUIRE(books.size() == 5);
  simdjson::dom::parser ep;
  const std::string expected_text =
      test::read_file(test::data_path("kraken/expected_kraken_v1_cryptofeed_2021.json"));
  const simdjson::dom::object expected = test::parse_json(ep, expected_text).get_object().value();
  for (auto [sym, exp] : expected) {
    INFO(sym);
    REQUIRE(books.count(std::string(sym)) == 1);
    simdjson::dom::parser bp;
    const simdjson::dom::element book = test::parse_json(bp, books.at(std::string(sym)));
    CHECK(test::str(book["venue"].value()) == "kraken-v1");
    test::check_v1_book(book, exp);
  }
}

TEST_CASE("depthmon replay --venue kraken-v1 with --set depth and --symbol", "[kraken][cli]") {
  // The depth setting is the book's one depth (issue 6: it used to follow every frame's
  // book-N); --symbol keeps only the named books.
  for (const char* depth : {"depth=1000", "depth=10"}) {
    INFO(depth);
    const auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "kraken-v1", "--bands", "2",
                              "--set", depth, "--symbol", "XMR/USD",
                              test::data_path("kraken/v1_book1000_cryptofeed_2021.jsonl")});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto books = by_symbol(r);
    REQUIRE(books.size() == 1);
    simdjson::dom::parser bp;
    const auto book = test::parse_json(bp, books.at("XMR/USD"));
    if (std::string_view(depth) == "depth=1000") {
      CHECK(test::str(book["status"].value()) == "live");
      CHECK(book["checksums_passed"].get_uint64().value() == 846);
      CHECK(book["levels"]["bid"].get_uint64().value() == 657);
    } else {
      // The capture is a book-1000 subscription: not the book-10 one this book follows.
      CHECK(test::str(book["status"].value()) == "syncing");
      CHECK(book["snapshots"].get_uint64().value() == 0);
      CHECK(book["levels"]["bid"].get_uint64().value() == 0);
    }
  }
}

TEST_CASE("depthmon replay --venue kraken reproduces the v2 documentation checksums", "[kraken][cli]") {
  for (const char* setting : {"", "precision.MATIC/USD=4:8"}) {
    INFO("setting: " << setting);
    std::vector<std::string> args = {DEPTHMON_CLI, "replay", "--venue", "kraken", "--bands", "2"};
    if (*setting) {
      args.push_back("--set");
      args.push_back(setting);
    }
    args.push_back(test::data_path("kraken/v2_doc_book_channel_maticusd.jsonl"));
    args.push_back(test::data_path("kraken/v2_doc_checksum_guide_btcusd.jsonl"));
    args.push_back(test::data_path("kraken/v2_doc_misc_control.jsonl"));
    const auto r = test::run(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const auto books = by_symbol(r);
    REQUIRE(books.size() == 2);
    simdjson::dom::parser p1, p2;
    const auto matic = test::parse_json(p1, books.at("MATIC/USD"));
    CHECK(test::str(matic["status"].value()) == "live");
    CHECK(matic["checksums_passed"].get_uint64().value() == 2);
    CHECK(matic["checksums_failed"].get_uint64().value() == 0);
    CHECK(matic["snapshots"].get_uint64().value() == 1);
    CHECK(matic["updates_applied"].get_uint64().value() == 1);
    CHECK(test::same_decimal(test::str(matic["best_bid"]["qty"].value()), "4831.75496356"));
    CHECK(matic["levels"]["bid"].get_uint64().value() == 10);
    // Depth 10 does not reach ±2 %: incomplete, null.
    CHECK_FALSE(matic["bands"].at(0)["bid_complete"].get_bool().value());
    CHECK(matic["bands"].at(0)["bid_notional"].is_null());
    const auto btc = test::parse_json(p2, books.at("BTC/USD"));
    CHECK(test::str(btc["status"].value()) == "live");
    CHECK(btc["checksums_passed"].get_uint64().value() == 1);
  }
}

TEST_CASE("depthmon replay --venue kraken: a wrong precision is reported, not fatal", "[kraken][cli]") {
  const auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "kraken", "--set",
                            "precision.MATIC/USD=5:8",
                            test::data_path("kraken/v2_doc_book_channel_maticusd.jsonl")});
  REQUIRE(r.exit_code == 0);
  const auto books = by_symbol(r);
  simdjson::dom::parser p;
  const auto matic = test::parse_json(p, books.at("MATIC/USD"));
  CHECK(test::str(matic["status"].value()) == "invalid");
  CHECK(matic["checksums_failed"].get_uint64().value() == 1);
  CHECK(matic["best_bid"].is_null());
  CHECK(test::str(matic["error"].value()).find("checksum") != std::string::npos);
  // The update after the failure waits for a new snapshot.
  CHECK(matic["dropped"].get_uint64().value() == 1);
}

TEST_CASE("depthmon replay --venue kraken: bad settings and bad lines", "[kraken][cli]") {
  const std::string doc = test::data_path("kraken/v2_doc_book_channel_maticusd.jsonl");
  SECTION("an invalid depth is a usage error (exit 2)") {
    const auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "kraken", "--set", "depth=7", doc});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("depth") != std::string::npos);
    CHECK(r.out.empty());
  }
  SECTION("an unknown setting is a usage error (exit 2)") {
    const auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "kraken-v1", "--set", "chanel=x", doc});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("kraken-v1: unknown setting 'chanel' (valid: depth, precision.<SYMBOL>)") !=
          std::string::npos);
  }
  SECTION("a bad precision is a usage error (exit 2)") {
    const auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "kraken", "--set",
                              "precision.MATIC/USD=four:8", doc});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("precision") != std::string::npos);
  }
  SECTION("lines not understood: exit 1, each named, books still reported") {
    const std::string tmp = "/tmp/depthmon_kraken_cli_" + std::to_string(::getpid()) + ".jsonl";
    {
      std::ofstream out(tmp);
      for (const auto& l : test::read_lines(doc)) out << l << "\n";
      out << R"({"channel":"book","type":"update","data":[{"symbol":"MATIC/USD","bids":[{"pri)" << "\n";
      out << R"({"channel":"nonsense"})" << "\n";
    }
    const auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "kraken", tmp});
    std::remove(tmp.c_str());
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(":6: malformed JSON") != std::string::npos);
    CHECK(r.err.find(":7: unknown message") != std::string::npos);
    const auto books = by_symbol(r);
    simdjson::dom::parser p;
    const auto matic = test::parse_json(p, books.at("MATIC/USD"));
    CHECK(test::str(matic["status"].value()) == "live");
    CHECK(matic["checksums_passed"].get_uint64().value() == 2);
  }
}
