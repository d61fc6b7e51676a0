#include "book/book_state.hpp"

#include <catch2/catch.hpp>

using namespace depthmon;

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
