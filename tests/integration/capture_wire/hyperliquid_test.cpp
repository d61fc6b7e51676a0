// Hyperliquid `l2Book` frames (2024: BANANA, and SHIA with both sides empty) and `bbo` frames.
#include "capture_wire.hpp"

TEST_CASE("capture over the wire: hyperliquid l2Book 2024", "[capture_wire][hyperliquid]") {
  depthmon::test::wire_case c;
  c.venue = depthmon::core::venue::hyperliquid;
  c.capture = "hyperliquid/l2book_tardis_test_2024.jsonl";
  depthmon::test::check_equal(depthmon::test::run_case(c));
}
