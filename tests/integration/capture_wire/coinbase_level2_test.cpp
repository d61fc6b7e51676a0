// Coinbase Exchange `level2` (2021): snapshots and l2updates of several products on one
// connection, with ticker and match messages of the same products.
#include "capture_wire.hpp"

TEST_CASE("capture over the wire: coinbase-exchange level2 2021", "[capture_wire][coinbase_level2]") {
  depthmon::test::wire_case c;
  c.venue = depthmon::core::venue::coinbase_exchange;
  c.capture = "coinbase/exchange_level2_cryptofeed_2021.jsonl";
  depthmon::test::check_equal(depthmon::test::run_case(c));
}
