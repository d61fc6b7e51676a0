// Compares one book JSON object (DESIGN.md) with a pair's entry in
// tests/data/kraken/expected_kraken_v1_cryptofeed_2021.json (exact decimal comparison).
// Shared by the library-level and the CLI-level reference tests.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "support/json.hpp"

namespace depthmon::test {

inline void check_v1_book(simdjson::dom::element book, simdjson::dom::element exp) {
  const simdjson::dom::element fb = exp["final_book"].value();
  const simdjson::dom::element band = fb["band_2pct"].value();
  INFO("symbol " << str(book["symbol"].value()));
  CHECK(str(book["status"].value()) == "live");
  CHECK(book["checksums_passed"].get_uint64().value() ==
        exp["update_checksums_verified"].get_uint64().value());
  CHECK(book["checksums_failed"].get_uint64().value() == 0);
  CHECK(book["snapshots"].get_uint64().value() == 1);
  CHECK(book["updates_applied"].get_uint64().value() ==
        exp["update_checksums_verified"].get_uint64().value());
  CHECK(book["crossed"].get_uint64().value() == 0);
  CHECK(book["resyncs"].get_uint64().value() == 0);
  CHECK(same_decimal(str(book["best_bid"]["price"].value()), str(fb["best_bid"].at(0).value())));
  CHECK(same_decimal(str(book["best_bid"]["qty"].value()), str(fb["best_bid"].at(1).value())));
  CHECK(same_decimal(str(book["best_ask"]["price"].value()), str(fb["best_ask"].at(0).value())));
  CHECK(same_decimal(str(book["best_ask"]["qty"].value()), str(fb["best_ask"].at(1).value())));
  CHECK(same_decimal(str(book["mid"].value()), str(fb["mid"].value())));
  CHECK(book["levels"]["bid"].get_uint64().value() == fb["bid_levels"].get_uint64().value());
  CHECK(book["levels"]["ask"].get_uint64().value() == fb["ask_levels"].get_uint64().value());

  const simdjson::dom::array bands = book["bands"].get_array().value();
  REQUIRE(bands.size() == 1);
  const simdjson::dom::element b = bands.at(0).value();
  CHECK(b["pct"].get_uint64().value() == 2);
  const bool bid_cov = band["book_covers_band"]["bid"].get_bool().value();
  const bool ask_cov = band["book_covers_band"]["ask"].get_bool().value();
  CHECK(b["bid_complete"].get_bool().value() == bid_cov);
  CHECK(b["ask_complete"].get_bool().value() == ask_cov);
  if (bid_cov) {
    CHECK(same_decimal(str(b["bid_qty"].value()), str(band["bid_qty"].value())));
    CHECK(same_decimal(str(b["bid_notional"].value()), str(band["bid_notional"].value())));
  }
  if (ask_cov) {
    CHECK(same_decimal(str(b["ask_qty"].value()), str(band["ask_qty"].value())));
    CHECK(same_decimal(str(b["ask_notional"].value()), str(band["ask_notional"].value())));
  }
}

}  // namespace depthmon::test
