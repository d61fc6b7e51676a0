// Kraken v2 MINA/GBP depth 25 (2026) with the recorder's own unsubscribe and resubscribe on the
// same connection (second snapshot at line 55): the server plays those answers as recorded and
// the feed's book equals `depthmon replay`'s.
#include "capture_wire.hpp"

TEST_CASE("capture over the wire: kraken v2 MINA/GBP resync 2026", "[capture_wire][kraken_v2_minagbp]") {
  depthmon::test::wire_case c;
  c.venue = depthmon::core::venue::kraken;
  c.capture = "kraken/v2_book25_minagbp_resync_depthcharge_20260818.jsonl";
  c.settings = {{"precision.MINA/GBP", "4:8"}, {"depth", "25"}};
  c.bands = "0.5,2";
  depthmon::test::check_equal(depthmon::test::run_case(c));
}
