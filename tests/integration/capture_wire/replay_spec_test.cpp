// `depthmon sim --replay VENUE=CAPTURE[,snapshot=SYM=FILE]...[,rest_meta=FILE]` arguments:
// parsed parts, and every malformed one refused with its reason.
#include "capture_wire.hpp"

TEST_CASE("sim --replay argument", "[capture_wire][replay_spec]") {
  using depthmon::sim::parse_replay_spec;
  std::string err;
  auto r = parse_replay_spec("binance=a.jsonl,snapshot=BTCUSDT=b.json,snapshot=BTCUSDT=c.json,rest_meta=m.tsv", &err);
  REQUIRE(r);
  CHECK(r->venue == depthmon::core::venue::binance);
  CHECK(r->frames_file == "a.jsonl");
  REQUIRE(r->snapshots.size() == 2);
  CHECK(r->snapshots[1].symbol == "BTCUSDT");
  CHECK(r->snapshots[1].path == "c.json");
  CHECK(r->rest_meta_file == "m.tsv");
  for (const char* bad : {"binance", "=a.jsonl", "nope=a.jsonl", "kraken=a.jsonl,snapshot=X",
                          "kraken=a.jsonl,depth=5", "okx="}) {
    INFO(bad);
    err.clear();
    CHECK(!parse_replay_spec(bad, &err));
    CHECK(err.find("--replay") == 0);
  }
  // A capture that cannot be read is refused when the server is made.
  boost::asio::io_context ioc;
  err.clear();
  CHECK(!depthmon::sim::make_replay_server(ioc, "okx=/nonexistent.jsonl", {}, &err));
  CHECK(err.find("/nonexistent.jsonl") != std::string::npos);
}
