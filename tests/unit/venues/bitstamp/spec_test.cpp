// Bitstamp's connection contract (venues/bitstamp/spec.hpp) and factory validation.
#include "venues/bitstamp/spec.hpp"

#include <catch2/catch.hpp>

#include "../common/spec_checks.hpp"
#include "harness.hpp"

using namespace depthmon;
using namespace depthmon::venues::bitstamp;

TEST_CASE("bitstamp spec: endpoints, frames, keep-alive, REST snapshot", "[bitstamp][spec]") {
  auto s = spec_test::make(core::venue::bitstamp);
  CHECK(s->base().ws_url == "wss://ws.bitstamp.net");
  CHECK(s->base().rest_url == "https://www.bitstamp.net");
  CHECK(s->subscribe_one("btcusd") ==
        std::vector<std::string>{R"({"event":"bts:subscribe","data":{"channel":"diff_order_book_btcusd"}})"});
  CHECK(s->unsubscribe_one("btcusd") ==
        std::vector<std::string>{R"({"event":"bts:unsubscribe","data":{"channel":"diff_order_book_btcusd"}})"});
  CHECK(s->keepalive().payload == R"({"event":"bts:heartbeat"})");
  CHECK(s->keepalive().interval_ms > 0);
  const auto snap = s->snapshot_request("ethusd", 0);
  REQUIRE(snap);
  CHECK(snap->method == "GET");
  CHECK(snap->target() == "/api/v2/order_book/ethusd");
  CHECK(s->rest_url(*snap) == "https://www.bitstamp.net/api/v2/order_book/ethusd");
  CHECK(s->limits().snapshot_weight_for(5000) == 1);  // the whole book, one request
  CHECK_FALSE(s->metadata_request("ethusd"));
  spec_test::check_sane(*s);

  auto sim = spec_test::make(core::venue::bitstamp, {}, {}, "ws://127.0.0.1:8000",
                             "http://127.0.0.1:8000/");
  CHECK(sim->connect(std::vector<std::string>{"btcusd"}).url == "ws://127.0.0.1:8000");
  CHECK(sim->rest_url(*sim->snapshot_request("btcusd", 100)) ==
        "http://127.0.0.1:8000/api/v2/order_book/btcusd");

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
  CHECK(std::string(r.err().detail) == "bitstamp: unknown setting 'depth' (this venue takes no settings)");
  venues::protocol_options e;
  e.symbols = {""};
  CHECK(venues::make_protocol(core::venue::bitstamp, e).code() == core::errc::invalid_argument);
  CHECK(venues::uses_rest_snapshot(core::venue::bitstamp));
}

TEST_CASE("bitstamp instruments: lower-case concatenated pairs", "[bitstamp][spec]") {
  auto s = spec_test::make(core::venue::bitstamp);
  CHECK(spec_test::instrument(*s, "btcusd") == spec_test::inst{"BTC", "USD", "1"});
  CHECK(spec_test::instrument(*s, "ethbtc") == spec_test::inst{"ETH", "BTC", "1"});
  CHECK(spec_test::instrument(*s, "usdcusdt") == spec_test::inst{"USDC", "USDT", "1"});
  CHECK(spec_test::instrument(*s, "btceur") == spec_test::inst{"BTC", "EUR", "1"});
  CHECK(spec_test::instrument(*s, "usd") == spec_test::inst{"", "", ""});
}
