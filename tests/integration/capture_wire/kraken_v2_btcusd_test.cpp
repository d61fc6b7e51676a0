// Kraken v2 `book` BTC/USD depth 25 (2026, 1,536 updates with checksums) over wss: the feed's
// book equals `depthmon replay`'s. TLS with the generated CA the feed trusts (no verification
// switched off anywhere).
#include "capture_wire.hpp"

TEST_CASE("capture over the wire: kraken v2 BTC/USD 2026 (wss)", "[capture_wire][kraken_v2_btcusd]") {
  depthmon::test::wire_case c;
  c.venue = depthmon::core::venue::kraken;
  c.capture = "kraken/v2_book25_btcusd_depthcharge_20260816.jsonl";
  c.settings = {{"precision.BTC/USD", "1:8"}, {"depth", "25"}};
  c.bands = "0.5,2";
  c.tls = true;
  const auto r = depthmon::test::run_case(c);
  depthmon::test::check_equal(r);
  // The recorder's subscribe went out before the first line: the whole stream waited for ours.
  CHECK(r.server.subscribed == std::vector<std::string>{"BTC/USD"});
  CHECK(r.server.lines_skipped == 0);
}
