// Bitstamp builders and factory validation.
#include "venues/bitstamp/subscribe.hpp"

#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace depthmon;
using namespace depthmon::venues::bitstamp;

TEST_CASE("bitstamp subscribe messages and snapshot target", "[bitstamp][subscribe]") {
  CHECK(subscribe_message("btcusd") == R"({"event":"bts:subscribe","data":{"channel":"diff_order_book_btcusd"}})");
  CHECK(unsubscribe_message("btcusd") == R"({"event":"bts:unsubscribe","data":{"channel":"diff_order_book_btcusd"}})");
  CHECK(heartbeat_message() == R"({"event":"bts:heartbeat"})");
  CHECK(snapshot_target("ethusd") == "/api/v2/order_book/ethusd");
  bts_test::harness h({"btcusd", "ethusd"});
  CHECK(h.p->subscribe_messages() ==
        std::vector<std::string>{R"({"event":"bts:subscribe","data":{"channel":"diff_order_book_btcusd"}})",
                                 R"({"event":"bts:subscribe","data":{"channel":"diff_order_book_ethusd"}})"});
  CHECK(h.p->unsubscribe_messages("ethusd") ==
        std::vector<std::string>{R"({"event":"bts:unsubscribe","data":{"channel":"diff_order_book_ethusd"}})"});
}

TEST_CASE("bitstamp factory rejects settings it cannot honour", "[bitstamp][settings]") {
  venues::protocol_options o;
  CHECK(venues::make_protocol(core::venue::bitstamp, o).ok());
  o.settings["depth"] = "100";
  auto r = venues::make_protocol(core::venue::bitstamp, o);
  CHECK(r.code() == core::errc::invalid_argument);
  CHECK(std::string(r.err().detail).find("bitstamp") != std::string::npos);
  venues::protocol_options e;
  e.symbols = {""};
  CHECK(venues::make_protocol(core::venue::bitstamp, e).code() == core::errc::invalid_argument);
  CHECK(venues::uses_rest_snapshot(core::venue::bitstamp));
}
