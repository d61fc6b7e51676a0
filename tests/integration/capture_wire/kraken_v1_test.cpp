// Kraken v1 `book-1000` (2021), several pairs on one connection; the recorder subscribed pairs
// that never sent a line, and those lines the feed did not ask for are not served.
#include "capture_wire.hpp"

TEST_CASE("capture over the wire: kraken-v1 book-1000 2021", "[capture_wire][kraken_v1]") {
  depthmon::test::wire_case c;
  c.venue = depthmon::core::venue::kraken_v1;
  c.capture = "kraken/v1_book1000_cryptofeed_2021.jsonl";
  depthmon::test::check_equal(depthmon::test::run_case(c));
}
