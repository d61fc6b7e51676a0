// Hyperliquid reference data (tests/data/hyperliquid/) through the replay pipeline.
#include <catch2/catch.hpp>

#include "unit/venues/hyperliquid/harness.hpp"
#include "replay/replay.hpp"
#include "support/json.hpp"
#include "support/run.hpp"

using namespace depthmon;
using core::side;

TEST_CASE("hyperliquid l2Book frames reproduce the expected books", "[hyperliquid][reference]") {
  replay::replay_options o;
  o.venue = core::venue::hyperliquid;
  auto s = std::move(replay::replay_session::create(std::move(o))).value();
  for (const auto& l : test::read_lines(test::data_path("hyperliquid/l2book_tardis_test_2024.jsonl")))
    REQUIRE(s->feed_line(l).ok());
  CHECK(s->protocol().counters().ignored == 2);  // the two bbo frames
  simdjson::dom::parser p;
  const std::string text = test::read_file(test::data_path("hyperliquid/expected_hyperliquid_l2book_tardis_test_2024.json"));
  simdjson::dom::object exp = p.parse(text);
  REQUIRE(s->protocol().books().size() == 2);

  const auto* banana = s->protocol().find_book("BANANA");
  REQUIRE(banana);
  CHECK(banana->live());
  simdjson::dom::object eb = exp["BANANA"];
  const auto dv = s->depth_of(*banana);
  REQUIRE(dv.has_mid);
  CHECK(hl_test::lvl(*banana, side::bid, 0) == test::str(eb["best_bid"].at(0)) + "/" + test::str(eb["best_bid"].at(1)));
  CHECK(hl_test::lvl(*banana, side::ask, 0) == test::str(eb["best_ask"].at(0)) + "/" + test::str(eb["best_ask"].at(1)));
  CHECK(banana->book.size(side::bid) == std::uint64_t(eb["bid_levels"]));
  CHECK(banana->book.size(side::ask) == std::uint64_t(eb["ask_levels"]));

  const auto* shia = s->protocol().find_book("SHIA");
  REQUIRE(shia);
  CHECK(exp["SHIA"]["best_bid"].is_null());
  CHECK(shia->live());
  CHECK(shia->book.empty());
  CHECK_FALSE(s->depth_of(*shia).has_mid);
  const auto json = s->books_json();  // rendering an empty book must work
  REQUIRE(json.size() == 2);
  CHECK(json[0].find(R"("mid":null)") != std::string::npos);
}

TEST_CASE("hyperliquid documentation examples: every line understood", "[hyperliquid][reference]") {
  replay::replay_options o;
  o.venue = core::venue::hyperliquid;
  auto s = std::move(replay::replay_session::create(std::move(o))).value();
  for (const auto& l : test::read_lines(test::data_path("hyperliquid/doc_examples.jsonl"))) REQUIRE(s->feed_line(l).ok());
  CHECK(s->protocol().counters().control == 6);
  CHECK(s->protocol().books().empty());
}
