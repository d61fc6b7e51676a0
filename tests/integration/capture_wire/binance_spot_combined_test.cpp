// Binance spot combined stream (2021, NKNUSDT and BLZETH on one connection) with the REST
// snapshots taken during the recording; the hold points come from their receive times.
#include "capture_wire.hpp"

TEST_CASE("capture over the wire: binance spot NKNUSDT/BLZETH 2021", "[capture_wire][binance_spot]") {
  depthmon::test::wire_case c;
  c.venue = depthmon::core::venue::binance;
  c.capture = "binance/spot_ws_combined_stream.jsonl";
  c.snapshots = {{"NKNUSDT", "binance/spot_rest_NKNUSDT.json"}, {"BLZETH", "binance/spot_rest_BLZETH.json"}};
  c.rest_meta = "binance/spot_rest_depth_snapshots.meta.tsv";
  c.bands = "0.5,2";
  c.snapshot_limit = 1000;  // what the recorder asked (meta request_url)
  const auto r = depthmon::test::run_case(c);
  depthmon::test::check_equal(r);
  CHECK(r.server.rest.size() == 2);
}
