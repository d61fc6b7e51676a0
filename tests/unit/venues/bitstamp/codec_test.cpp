// Bitstamp codec: real diff and REST shapes, control events, and bad input.
#include "venues/bitstamp/codec.hpp"

#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace depthmon;
using namespace depthmon::venues::bitstamp;

namespace {

struct parsed {
  codec c;
  message m;
  core::padded_buffer buf;
  core::status operator()(const std::string& s) { return c.parse(buf.assign(s), m); }
  core::status rest(const std::string& s) { return c.parse_snapshot(buf.assign(s), m); }
};

}  // namespace

TEST_CASE("bitstamp codec: real diff (data before event and channel)", "[bitstamp][codec]") {
  parsed p;
  REQUIRE(p(R"({"data":{"timestamp":"1641343691","microtimestamp":"1641343691406478","bids":[["3800.71","1.76200000"],["3800.07","10.00000000"],["3799.64","0.00000000"],["3797.93","2.73248242"]],"asks":[]},"channel":"diff_order_book_ethusd","event":"data"})").ok());
  CHECK(p.m.kind == msg_kind::diff);
  CHECK(p.m.pair == "ethusd");
  CHECK(p.m.microtimestamp == 1641343691406478ull);
  REQUIRE(p.m.bids.size() == 4);
  CHECK(p.m.asks.empty());
  CHECK(core::to_string(p.m.bids[0].qty) == "1.762");
  CHECK(p.m.bids[2].qty.mantissa == 0);
  // Other key orders, numeric microtimestamp.
  REQUIRE(p(R"({"event":"data","channel":"diff_order_book_btcusd","data":{"asks":[["2","1"]],"bids":[],"microtimestamp":1641343691406479}})").ok());
  CHECK(p.m.pair == "btcusd");
  CHECK(p.m.microtimestamp == 1641343691406479ull);
}

TEST_CASE("bitstamp codec: control, reconnect and ignored events", "[bitstamp][codec]") {
  parsed p;
  for (const char* s : {R"({"event":"bts:subscription_succeeded","channel":"diff_order_book_sgbeur","data":{}})",
                        R"({"event":"bts:unsubscription_succeeded","channel":"diff_order_book_sgbeur","data":{}})",
                        R"({"event":"bts:heartbeat","channel":"","data":{"status":"success"}})",
                        R"({"event":"bts:error","channel":"","data":{"code":null,"message":"Bad subscription string."}})",
                        R"({"event":"bts:subscribe","data":{"channel":"diff_order_book_btcusd"}})"}) {
    INFO(s);
    REQUIRE(p(s).ok());
    CHECK(p.m.kind == msg_kind::control);
  }
  REQUIRE(p(R"({"event":"bts:request_reconnect","channel":"","data":""})").ok());
  CHECK(p.m.kind == msg_kind::reconnect);
  REQUIRE(p(R"({"data":{"id":216000477,"timestamp":"1641343699","amount":0.0792,"amount_str":"0.07920000","price":3805.44,"price_str":"3805.44","type":0,"microtimestamp":"1641343699596000","buy_order_id":1443875737346049,"sell_order_id":1443875731320832},"channel":"live_trades_ethusd","event":"trade"})").ok());
  CHECK(p.m.kind == msg_kind::ignored);
  REQUIRE(p(R"({"data":{"timestamp":"1","microtimestamp":"1","bids":[["1","1"]],"asks":[]},"channel":"order_book_btcusd","event":"data"})").ok());
  CHECK(p.m.kind == msg_kind::ignored);
  CHECK(p(R"({"event":"bts:party","data":{}})").code() == core::errc::unknown_message);
  CHECK(p(R"({"event":"data","channel":"mystery_btcusd","data":{}})").code() == core::errc::unknown_message);
  CHECK(p(R"({"channel":"diff_order_book_btcusd"})").code() == core::errc::unknown_message);
}

TEST_CASE("bitstamp codec: REST order_book bodies", "[bitstamp][codec]") {
  parsed p;
  REQUIRE(p.rest(R"({"timestamp": "1641343695", "microtimestamp": "1641343695572693", "bids": [["0.14695", "4567.41344936"]], "asks": [["0.14844", "4617.85577487"]]})").ok());
  CHECK(p.m.kind == msg_kind::snapshot);
  CHECK(p.m.microtimestamp == 1641343695572693ull);
  REQUIRE(p.rest(R"({"status": "error", "reason": "Not found."})").ok());
  CHECK(p.m.kind == msg_kind::error);
  CHECK(p.rest(R"({"timestamp": "1", "bids": [], "asks": []})").code() == core::errc::missing_field);
  CHECK(p.rest(R"({"timestamp": "1", "microtimestamp": "1", "bids": [)").code() == core::errc::malformed_json);
  CHECK(p.rest(R"({"microtimestamp": "12a", "bids": [], "asks": []})").code() == core::errc::bad_number);
}

TEST_CASE("bitstamp codec: malformed diffs are rejected", "[bitstamp][codec]") {
  parsed p;
  const std::string good = bts_test::diff(1641343691406478, R"([["1","1"]])", R"([["2","1"]])");
  REQUIRE(p(good).ok());
  struct bad {
    std::string text;
    core::errc code;
  };
  const bad cases[] = {
      {good.substr(0, good.size() / 2), core::errc::malformed_json},
      {good.substr(0, good.size() - 1), core::errc::malformed_json},
      {"", core::errc::malformed_json},
      {"\"data\"", core::errc::malformed_json},
      {R"({"data":{"microtimestamp":"1","bids":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::missing_field},
      {R"({"data":{"bids":[],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::missing_field},
      {R"({"data":"x","channel":"diff_order_book_btcusd","event":"data"})", core::errc::missing_field},
      {R"({"data":{"microtimestamp":"1","bids":[],"asks":[]},"channel":"diff_order_book_","event":"data"})", core::errc::malformed_json},
      {R"({"data":{"microtimestamp":"1","bids":{},"asks":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::wrong_type},
      {R"({"data":{"microtimestamp":true,"bids":[],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::wrong_type},
      {R"({"data":{"microtimestamp":"1","bids":[[null,"1"]],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::wrong_type},
      {R"({"data":{"microtimestamp":"1","bids":[],"asks":[]},"channel":7,"event":"data"})", core::errc::wrong_type},
      {R"({"data":{"microtimestamp":"-1","bids":[],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::bad_number},
      {R"({"data":{"microtimestamp":"","bids":[],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::bad_number},
      {R"({"data":{"microtimestamp":"99999999999999999999999","bids":[],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::number_overflow},
      {R"({"data":{"microtimestamp":"1","bids":[["12345678901234567890","1"]],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::number_overflow},
      {R"({"data":{"microtimestamp":"1","bids":[["1","1e-30"]],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::number_overflow},
      {R"({"data":{"microtimestamp":"1","bids":[["1","-0.5"]],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::bad_number},
      {R"({"data":{"microtimestamp":"1","bids":[["0.00000000","1"]],"asks":[]},"channel":"diff_order_book_btcusd","event":"data"})", core::errc::bad_number},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto st = p(c.text);
    CHECK_FALSE(st.ok());
    CHECK(st.code() == c.code);
    CHECK(core::condition_of(st.code()) == core::condition::drop_message);
  }
}
