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
  // sgbeur sends no diff in the whole capture: the feed asks for its snapshot once Bitstamp
  // confirmed the subscription (bts:subscription_succeeded), so it is live and equal too
  // (before, the feed waited for a first diff and the book stayed syncing forever).
  depthmon::test::check_equal(r);
  simdjson::dom::parser p;
  simdjson::dom::object sgb = p.parse(r.wire.at("sgbeur"));
  CHECK(depthmon::test::str(sgb["status"]) == "live");
  CHECK(std::uint64_t(sgb["snapshots"]) == 1);
  // One request per pair, each answered with its recorded body.
  CHECK(r.server.rest.size() == 5);
  for (const auto& q : r.server.rest) CHECK(q.status == 200);
}
