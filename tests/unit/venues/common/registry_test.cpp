// The venue table (venues/registry.hpp): every venue of core/ids.hpp is registered, named as
// DESIGN.md says, has a spec, and rejects unknown settings naming the key and the valid ones.
#include "venues/registry.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {
using namespace depthmon;
}  // namespace

TEST_CASE("every venue is in the table, in core order, with a protocol and a spec",
          "[venues][registry]") {
  const auto table = venues::venue_table();
  REQUIRE(table.size() == core::all_venues.size());
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto& e = *table[i];
    INFO(e.name());
    CHECK(e.id == core::all_venues[i]);
    CHECK(&venues::entry(e.id) == &e);
    CHECK(venues::find_venue(e.name()) == &e);
    auto p = venues::make_protocol(e.id, {});
    REQUIRE(p);
    CHECK(p.value()->venue() == e.id);
    REQUIRE(p.value()->has_spec());
    CHECK(p.value()->spec().venue() == e.id);
    auto s = venues::make_spec(e.id, {});
    REQUIRE(s);
    CHECK(s.value()->venue() == e.id);
    CHECK(venues::uses_rest_snapshot(e.id) == e.uses_rest_snapshot);
  }
  CHECK(venues::find_venue("nonsense") == nullptr);
  CHECK(venues::uses_rest_snapshot(core::venue::binance));
  CHECK(venues::uses_rest_snapshot(core::venue::bitstamp));
  CHECK_FALSE(venues::uses_rest_snapshot(core::venue::okx));
}

// Regression (issue 6): Binance (and the other venues without settings) accepted any --set.
TEST_CASE("every factory rejects an unknown setting, naming it and the valid keys",
          "[venues][registry][settings][regression]") {
  for (const auto* e : venues::venue_table()) {
    INFO(e->name());
    venues::protocol_options o;
    o.settings["nonsense"] = "1";
    auto p = venues::make_protocol(e->id, o);
    REQUIRE_FALSE(p);
    CHECK(p.code() == core::errc::invalid_argument);
    const std::string detail = p.err().detail;
    CHECK(detail.find("unknown setting 'nonsense'") != std::string::npos);
    CHECK(detail.starts_with(std::string(e->name()) + ":"));
    if (e->settings_help.empty())
      CHECK(detail.find("takes no settings") != std::string::npos);
    else
      CHECK(detail.find("valid: ") != std::string::npos);
    CHECK_FALSE(venues::make_spec(e->id, o));
  }
}

TEST_CASE("the usage text lists every venue and its settings", "[venues][registry]") {
  const std::string u = venues::venues_usage();
  for (const auto* e : venues::venue_table()) {
    CHECK(u.find(" " + std::string(e->name())) != std::string::npos);
    CHECK(u.find("  " + std::string(e->name()) + ": ") != std::string::npos);
  }
  CHECK(u.find("kraken: depth=") != std::string::npos);
}
