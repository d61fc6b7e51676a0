#include "book/book_state.hpp"

#include <catch2/catch.hpp>

using namespace depthmon;

TEST_CASE("restart and invalidate reset the book's scales", "[book_state][regression]") {
  // A dust size once seen must not make every later resync fail with precision_loss: both go
  // through l2_book::clear(), which now resets the scales with the content.
  const auto d = [](const char* s) { return *core::parse_decimal(s); };
  book::tracked_book tb("BTCUSDT");
  REQUIRE(tb.book.set(core::side::bid, d("100"), d("0.000000000001")));
  tb.invalidate({core::errc::checksum_mismatch, "crc"});
  CHECK(tb.book.qty_scale() == 0);
  REQUIRE(tb.book.set(core::side::bid, d("100"), d("90000000")));
  tb.restart();
  REQUIRE(tb.book.set(core::side::ask, d("101"), d("0.000000000001")));
  tb.restart();
  CHECK(tb.book.qty_scale() == 0);
  REQUIRE(tb.book.set(core::side::ask, d("101"), d("90000000")));
}

TEST_CASE("invalidate clears, counts and records why", "[book_state]") {
  book::tracked_book tb("BTCUSDT");
  tb.book.set_ticks(core::side::bid, 1, 1);
  tb.status = book::book_status::live;
  tb.last_update_id = 42;
  tb.invalidate({core::errc::sequence_gap, "U > u + 1"});
  CHECK(tb.status == book::book_status::invalid);
  CHECK(tb.book.empty());
  CHECK_FALSE(tb.last_update_id);
  CHECK(tb.counters.gaps == 1);
  CHECK(tb.counters.resyncs == 1);
  tb.invalidate({core::errc::checksum_mismatch, "crc"});
  CHECK(tb.counters.gaps == 1);
  CHECK(tb.counters.resyncs == 2);
  CHECK(book::to_string(tb.status) == "invalid");
}
