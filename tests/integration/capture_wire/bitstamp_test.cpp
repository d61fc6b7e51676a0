// Bitstamp websocket v2 `diff_order_book_` (2022), five pairs, each synced from its REST
// `order_book` body; hold points from the bodies' receive times.
#include "capture_wire.hpp"

TEST_CASE("capture over the wire: bitstamp diff_order_book 2022", "[capture_wire][bitstamp]") {
  depthmon::test::wire_case c;
  c.venue = depthmon::core::venue::bitstamp;
  c.capture = "bitstamp/diff_order_book_cryptofeed_2022.jsonl";
  for (const char* pair : {"sgbeur", "ethusd", "xrpeur", "bateur", "usdteur"})
    c.snapshots.push_back({pair, std::string("bitstamp/rest_order_book_") + pair + ".json"});
  c.rest_meta = "bitstamp/rest_order_book_cryptofeed_2022.meta.tsv";
  const auto r = depthmon::test::run_case(c);
  depthmon::test::check_equal(r);
  CHECK(r.server.rest.size() == 5);
}
