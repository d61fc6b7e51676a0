// OKX v5 `books` BTC-USDT (2022): one 400-level snapshot and 97 updates with legacy checksums.
// The server is made as `depthmon sim --replay okx=FILE` makes it, under /okx.
#include "capture_wire.hpp"

TEST_CASE("capture over the wire: okx books BTC-USDT 2022", "[capture_wire][okx_books]") {
  depthmon::test::wire_case c;
  c.venue = depthmon::core::venue::okx;
  c.capture = "okx/books_cryptofeed_2022.jsonl";
  c.via_replay_spec = true;
  depthmon::test::check_equal(depthmon::test::run_case(c));
}
