// Binance USD-M combined stream (2021, SUSHIUSDT and AKROUSDT, with `pu`) and its REST snapshots.
#include "capture_wire.hpp"

TEST_CASE("capture over the wire: binance-usdm SUSHIUSDT/AKROUSDT 2021", "[capture_wire][binance_usdm]") {
  depthmon::test::wire_case c;
  c.venue = depthmon::core::venue::binance_usdm;
  c.capture = "binance/usdm_ws_combined_stream.jsonl";
  c.snapshots = {{"SUSHIUSDT", "binance/usdm_rest_SUSHIUSDT.json"}, {"AKROUSDT", "binance/usdm_rest_AKROUSDT.json"}};
  c.rest_meta = "binance/usdm_rest_depth_snapshots.meta.tsv";
  c.bands = "0.5,2";
  c.snapshot_limit = 1000;
  const auto r = depthmon::test::run_case(c);
  depthmon::test::check_equal(r);
  CHECK(r.server.rest.size() == 2);
}
