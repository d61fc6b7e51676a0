// `depthmon replay --venue kraken` (the real binary) on the real 2026 Kraken v2 captures: its
// book JSON must hold every expected figure, compared as exact decimals.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/json.hpp"
#include "support/run.hpp"

namespace {
using namespace depthmon;

struct capture {
  const char* prefix;
  const char* symbol;
  const char* precision;  // the --set that gives the pair's precision
};

void check_capture(const capture& c, bool with_settings) {
  INFO(c.symbol << (with_settings ? " with settings" : " without settings"));
  simdjson::dom::parser ep;
  const std::string text =
      test::read_file(test::data_path(std::string("kraken/expected_") + c.prefix + ".json"));
  const simdjson::dom::element exp = ep.parse(text)[c.symbol];
  std::vector<std::string> args{DEPTHMON_CLI, "replay", "--venue", "kraken", "--bands", "0.5,2"};
  if (with_settings) {
    for (const std::string& s : {std::string(c.precision), std::string("depth=25")}) {
      args.push_back("--set");
      args.push_back(s);
    }
  }
  args.push_back(test::data_path(std::string("kraken/") + c.prefix + ".jsonl"));
  const auto r = test::run(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.lines().size() == 1);
  simdjson::dom::parser bp;
  const simdjson::dom::element got = bp.parse(r.lines()[0]);
  CHECK(test::str(got["venue"]) == "kraken");
  CHECK(test::str(got["symbol"]) == c.symbol);
  CHECK(test::str(got["status"]) == "live");
  CHECK(std::uint64_t(got["messages"]) == std::uint64_t(exp["book_messages"]));
  CHECK(std::uint64_t(got["snapshots"]) == std::uint64_t(exp["snapshots"]));
  CHECK(std::uint64_t(got["updates_applied"]) == std::uint64_t(exp["updates"]));
  CHECK(std::uint64_t(got["checksums_passed"]) == std::uint64_t(exp["checksums_verified"]));
  CHECK(std::uint64_t(got["checksums_failed"]) == std::uint64_t(exp["checksum_mismatches"]));
  CHECK(std::uint64_t(got["resyncs"]) == 0);
  CHECK(std::uint64_t(got["crossed"]) == 0);
  CHECK(std::uint64_t(got["dropped"]) == 0);
  const simdjson::dom::element fb = exp["final_book"];
  CHECK(test::same_decimal(got["best_bid"]["price"], fb["best_bid"].at(0)));
  CHECK(test::same_decimal(got["best_bid"]["qty"], fb["best_bid"].at(1)));
  CHECK(test::same_decimal(got["best_ask"]["price"], fb["best_ask"].at(0)));
  CHECK(test::same_decimal(got["best_ask"]["qty"], fb["best_ask"].at(1)));
  CHECK(test::same_decimal(got["mid"], fb["mid"]));
  CHECK(std::uint64_t(got["levels"]["bid"]) == std::uint64_t(fb["bid_levels"]));
  CHECK(std::uint64_t(got["levels"]["ask"]) == std::uint64_t(fb["ask_levels"]));
  const simdjson::dom::array bands = got["bands"];
  REQUIRE(bands.size() == 2);
  const simdjson::dom::element two = bands.at(1);
  CHECK(double(two["pct"]) == 2.0);
  const simdjson::dom::element eb = fb["band_2pct"];
  for (const std::string& side : {std::string("bid"), std::string("ask")}) {
    INFO(side);
    const bool covered = bool(eb["book_covers_band"][side]);
    CHECK(bool(two[side + "_complete"]) == covered);
    if (covered) {
      CHECK(test::same_decimal(two[side + "_qty"], eb[side + "_qty"]));
      CHECK(test::same_decimal(two[side + "_notional"], eb[side + "_notional"]));
    } else {
      // 25 levels do not reach the edge: the lower bound is not a figure, so it is null.
      CHECK(two[side + "_qty"].is_null());
      CHECK(two[side + "_notional"].is_null());
    }
  }
}

}  // namespace

TEST_CASE("depthmon replay --venue kraken: BTC/USD 2026 capture, 1,537 checksums", "[kraken][cli]") {
  const capture c{"v2_book25_btcusd_depthcharge_20260816", "BTC/USD", "precision.BTC/USD=1:8"};
  check_capture(c, false);
  check_capture(c, true);
}

TEST_CASE("depthmon replay --venue kraken: MINA/GBP 2026 capture, re-snapshot mid-stream", "[kraken][cli]") {
  const capture c{"v2_book25_minagbp_resync_depthcharge_20260818", "MINA/GBP", "precision.MINA/GBP=4:8"};
  check_capture(c, false);
  check_capture(c, true);
}

TEST_CASE("depthmon replay --venue kraken: a wrong precision fails the 2026 capture's checksums", "[kraken][cli]") {
  // The checksums do depend on the precision: one digit more on the price fails the snapshot.
  const auto r = test::run({DEPTHMON_CLI, "replay", "--venue", "kraken", "--set", "precision.BTC/USD=2:8",
                            test::data_path("kraken/v2_book25_btcusd_depthcharge_20260816.jsonl")});
  REQUIRE(r.exit_code == 0);
  REQUIRE(r.lines().size() == 1);
  simdjson::dom::parser bp;
  const simdjson::dom::element got = bp.parse(r.lines()[0]);
  CHECK(test::str(got["status"]) == "invalid");
  CHECK(std::uint64_t(got["checksums_failed"]) == 1);
  CHECK(std::uint64_t(got["checksums_passed"]) == 0);
}
