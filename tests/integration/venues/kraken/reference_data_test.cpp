// The Kraken reference data (tests/data/kraken/, copied from reference-data/kraken/) through the
// library: replay::replay_session, i.e. the codec, sync, book and depth code the daemon uses.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "core/frame.hpp"
#include "depth/bands.hpp"
#include "expect_v1.hpp"
#include "replay/replay.hpp"
#include "support/json.hpp"
#include "support/run.hpp"
#include "venues/kraken/v1_codec.hpp"

namespace {
using namespace depthmon;

std::unique_ptr<replay::replay_session> session(core::venue v,
                                                std::map<std::string, std::string> settings = {}) {
  replay::replay_options opt;
  opt.venue = v;
  opt.protocol.settings = std::move(settings);
  auto bands = depth::parse_bands("2");
  REQUIRE(bands);
  opt.bands = *bands;
  auto s = replay::replay_session::create(std::move(opt));
  REQUIRE(s);
  return std::move(s).value();
}
}  // namespace

TEST_CASE("Kraken v1 book-1000 capture: every checksum verifies, books match", "[kraken][reference]") {
  auto s = session(core::venue::kraken_v1);
  const auto lines = test::read_lines(test::data_path("kraken/v1_book1000_cryptofeed_2021.jsonl"));
  REQUIRE(lines.size() == 2934);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    INFO("line " << i + 1);
    REQUIRE(s->feed_line(lines[i]));
  }
  simdjson::dom::parser ep;
  const std::string expected_text =
      test::read_file(test::data_path("kraken/expected_kraken_v1_cryptofeed_2021.json"));
  const simdjson::dom::object expected = test::parse_json(ep, expected_text).get_object().value();

  auto& proto = s->protocol();
  CHECK(proto.books().size() == 5);
  CHECK(proto.counters().malformed == 0);
  CHECK(proto.counters().unknown == 0);
  CHECK(proto.requests().empty());

  std::size_t checked = 0;
  std::uint64_t total_checksums = 0;
  for (const std::string& js : s->books_json()) {
    simdjson::dom::parser bp;
    const simdjson::dom::element book = test::parse_json(bp, js);
    const std::string sym = test::str(book["symbol"].value());
    simdjson::dom::element exp;
    REQUIRE(expected[sym].get(exp) == simdjson::SUCCESS);
    test::check_v1_book(book, exp);
    total_checksums += book["checksums_passed"].get_uint64().value();
    ++checked;
  }
  CHECK(checked == 5);
  CHECK(total_checksums == 317 + 818 + 335 + 846 + 576);

  // The counters behind the JSON, and each book's coverage: truncation to 1000 levels.
  for (const auto* tb : proto.books()) {
    INFO(tb->symbol);
    CHECK(tb->live());
    CHECK(tb->book.get_coverage(core::side::bid).k == book::coverage::kind::to_nth_level);
    CHECK(tb->book.get_coverage(core::side::bid).n == 1000);
    CHECK(tb->counters.messages == tb->counters.snapshots + tb->counters.updates_applied);
    CHECK(tb->last_event_time > 1618678000000000000LL);
  }
}

TEST_CASE("Kraken v1 capture: the first update's checksum of each pair", "[kraken][reference]") {
  simdjson::dom::parser ep;
  const std::string expected_text =
      test::read_file(test::data_path("kraken/expected_kraken_v1_cryptofeed_2021.json"));
  const simdjson::dom::object expected = test::parse_json(ep, expected_text).get_object().value();
  venues::kraken::v1_codec codec;
  venues::kraken::message m;
  core::padded_buffer buf;
  std::map<std::string, std::uint32_t> first;
  for (const auto& l : test::read_lines(test::data_path("kraken/v1_book1000_cryptofeed_2021.jsonl"))) {
    REQUIRE(codec.parse(buf.assign(l), m));
    if (m.kind != venues::kraken::msg_kind::book || m.books[0].snapshot) continue;
    first.emplace(std::string(m.books[0].symbol), m.books[0].checksum);
  }
  REQUIRE(first.size() == 5);
  for (auto [sym, exp] : expected) {
    INFO(sym);
    CHECK(first.at(std::string(sym)) == exp["first_update"]["checksum"].get_uint64().value());
  }
}

TEST_CASE("Kraken v2 documentation examples through replay", "[kraken][reference]") {
  simdjson::dom::parser ep;
  const std::string expected_text =
      test::read_file(test::data_path("kraken/expected_kraken_v2_docs.json"));
  const simdjson::dom::element expected = test::parse_json(ep, expected_text);
  REQUIRE(expected["maticusd_book"]["snapshot_crc32"].get_uint64().value() == 2439117997U);
  REQUIRE(expected["maticusd_book"]["after_update_crc32"].get_uint64().value() == 2114181697U);

  for (bool with_setting : {false, true}) {
    INFO("precision setting: " << with_setting);
    std::map<std::string, std::string> settings;
    if (with_setting) settings["precision.MATIC/USD"] = "4:8";
    auto s = session(core::venue::kraken, settings);
    for (const char* f : {"kraken/v2_doc_book_channel_maticusd.jsonl",
                          "kraken/v2_doc_checksum_guide_btcusd.jsonl",
                          "kraken/v2_doc_misc_control.jsonl"})
      for (const auto& l : test::read_lines(test::data_path(f))) {
        INFO(l);
        REQUIRE(s->feed_line(l));
      }
    const auto* matic = s->protocol().find_book("MATIC/USD");
    const auto* btc = s->protocol().find_book("BTC/USD");
    REQUIRE(matic);
    REQUIRE(btc);
    CHECK(matic->live());
    CHECK(matic->counters.checksums_passed == 2);  // 2439117997 and 2114181697
    CHECK(matic->counters.checksums_failed == 0);
    CHECK(btc->live());
    CHECK(btc->counters.checksums_passed == 1);  // 3310070434
    CHECK(s->protocol().requests().empty());

    // MATIC/USD at depth 10 holds exactly 10 levels a side: known only to the 10th level, which
    // lies inside ±2 %, so the band is incomplete and reported as null.
    const auto jsons = s->books_json();
    REQUIRE(jsons.size() == 2);
    simdjson::dom::parser bp;
    const simdjson::dom::element mj = test::parse_json(bp, jsons[0]);
    CHECK(test::str(mj["symbol"].value()) == "MATIC/USD");
    CHECK(test::same_decimal(test::str(mj["best_bid"]["price"].value()), "0.5666"));
    CHECK(test::same_decimal(test::str(mj["best_ask"]["price"].value()), "0.5668"));
    CHECK(test::same_decimal(test::str(mj["mid"].value()), "0.5667"));
    const simdjson::dom::element band = mj["bands"].at(0).value();
    CHECK_FALSE(band["bid_complete"].get_bool().value());
    CHECK_FALSE(band["ask_complete"].get_bool().value());
    CHECK(band["bid_notional"].is_null());
  }
}
