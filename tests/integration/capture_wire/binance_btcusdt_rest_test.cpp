// Binance spot BTCUSDT (2026, 250 diffs and 250 depth20 partials) with its two REST snapshots:
// the first is held where the recorder received it (before_ws_index 30 in the meta file), the
// second is never asked for. The feed's book equals `depthmon replay`'s.
#include "capture_wire.hpp"

TEST_CASE("capture over the wire: binance spot BTCUSDT 2026 with REST snapshots", "[capture_wire][binance_btcusdt]") {
  const std::string k = "binance/spot_btcusdt_deepseed_depthcharge_20260824";
  depthmon::test::wire_case c;
  c.venue = depthmon::core::venue::binance;
  c.capture = k + ".jsonl";
  c.snapshots = {{"BTCUSDT", k + ".rest_1.json"}, {"BTCUSDT", k + ".rest_2.json"}};
  c.bands = "0.5,2";
  c.snapshot_limit = 1000;
  const auto r = depthmon::test::run_case(c);
  depthmon::test::check_equal(r);
  // One snapshot asked, answered with the first body once 30 lines had gone out.
  REQUIRE(r.server.rest.size() == 1);
  CHECK(r.server.rest[0].symbol == "BTCUSDT");
  CHECK(r.server.rest[0].status == 200);
  CHECK(r.server.rest[0].lines_before == 30);
  CHECK(r.server.rest[0].target.find("limit=1000") != std::string::npos);
  CHECK(r.server.holds == 1);
}
