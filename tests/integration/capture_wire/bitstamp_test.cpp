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
  c.via_replay_spec = true;  // snapshot= and rest_meta= parts, under /bitstamp
  const auto r = depthmon::test::run_case(c);
  // sgbeur sends no diff in the whole capture. `depthmon replay` loads its body at the start;
  // lib/feed asks for a REST snapshot only once a diff is buffered (Binance's procedure, which
  // Bitstamp does not need), so its sgbeur book stays syncing: a feed limitation, stated here
  // so that this check fails (and sgbeur joins the comparison) once the feed asks at subscribe.
  depthmon::test::check_equal(r, {"sgbeur"});
  simdjson::dom::parser p;
  simdjson::dom::object sgb = p.parse(r.wire.at("sgbeur"));
  CHECK(depthmon::test::str(sgb["status"]) == "syncing");
  CHECK(std::uint64_t(sgb["snapshots"]) == 0);
  // One request per pair that sent diffs, each answered with its recorded body.
  CHECK(r.server.rest.size() == 4);
  for (const auto& q : r.server.rest) CHECK(q.status == 200);
}
