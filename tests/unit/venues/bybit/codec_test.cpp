// Bybit codec: shapes from the v5 documentation and real frames, any key order, and every kind
// of bad input mapped to a drop_message error.
#include "venues/bybit/codec.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "core/frame.hpp"
#include "harness.hpp"

using namespace depthmon;
using namespace depthmon::venues::bybit;

namespace {

struct parsed {
  codec c;
  message m;
  core::padded_buffer buf;
  core::status operator()(const std::string& s) { return c.parse(buf.assign(s), m); }
};

std::string dec(const core::decimal& d) { return core::to_string(d); }

}  // namespace

TEST_CASE("bybit codec: documentation delta with \"0\" deletions", "[bybit][codec]") {
  parsed p;
  REQUIRE(p(R"({"topic":"orderbook.50.BTCUSDT","type":"delta","ts":1687940967466,"data":{"s":"BTCUSDT","b":[["30247.20","30.028"],["30245.40","0.224"],["30242.10","1.593"],["30240.30","1.305"],["30240.00","0"]],"a":[["30248.70","0"],["30249.30","0.892"],["30249.50","1.778"],["30249.60","0"],["30251.90","2.947"],["30252.20","0.659"],["30252.50","4.591"]],"u":177400507,"seq":66544703342},"cts":1687940967464})")
              .ok());
  CHECK(p.m.kind == msg_kind::book_delta);
  CHECK(p.m.symbol == "BTCUSDT");
  CHECK(p.m.depth == 50);
  CHECK(p.m.update_id == 177400507);
  CHECK(p.m.cross_seq == 66544703342ull);
  CHECK(p.m.ts_ms == 1687940967466);
  CHECK(p.m.cts_ms == 1687940967464);
  REQUIRE(p.m.bids.size() == 5);
  REQUIRE(p.m.asks.size() == 7);
  CHECK(dec(p.m.bids[0].price) == "30247.2");
  CHECK(dec(p.m.bids[0].qty) == "30.028");
  CHECK(p.m.bids[4].qty.mantissa == 0);
  CHECK(p.m.asks[0].qty.mantissa == 0);
}

TEST_CASE("bybit codec: real spot orderbook.1 snapshot (ts before type)", "[bybit][codec]") {
  parsed p;
  REQUIRE(p(R"({"topic":"orderbook.1.BTCUSDT","ts":1786613159749,"type":"snapshot","data":{"s":"BTCUSDT","b":[["63705.3","2.045546"]],"a":[["63705.4","2.334566"]],"u":72212457,"seq":112603120278},"cts":1786613159748})")
              .ok());
  CHECK(p.m.kind == msg_kind::book_snapshot);
  CHECK(p.m.depth == 1);
  CHECK(p.m.update_id == 72212457);
  CHECK(dec(p.m.asks.at(0).qty) == "2.334566");
}

TEST_CASE("bybit codec: key order is never assumed", "[bybit][codec]") {
  parsed p;
  // data first, topic last, fields inside data reversed.
  REQUIRE(p(R"({"cts":5,"data":{"seq":9,"u":42,"a":[["2","1"]],"b":[["1","1"]],"s":"ETHUSDT"},"type":"snapshot","ts":6,"topic":"orderbook.200.ETHUSDT"})")
              .ok());
  CHECK(p.m.kind == msg_kind::book_snapshot);
  CHECK(p.m.symbol == "ETHUSDT");
  CHECK(p.m.depth == 200);
  CHECK(p.m.update_id == 42);
  CHECK(p.m.bids.size() == 1);
  // "s" is optional; a symbol containing dots stays whole.
  REQUIRE(p(R"({"type":"delta","topic":"orderbook.1000.BTC.X","data":{"u":7,"b":[],"a":[]}})").ok());
  CHECK(p.m.symbol == "BTC.X");
  CHECK(p.m.depth == 1000);
}

TEST_CASE("bybit codec: acks, pongs and requests are control", "[bybit][codec]") {
  parsed p;
  for (const char* s : {
           R"({"success":true,"ret_msg":"subscribe","conn_id":"2324d924-aa4d-45b0-a858-7b8be29ab52b","req_id":"10001","op":"subscribe"})",
           R"({"success":true,"ret_msg":"","conn_id":"3cd84cb1-4d06-4a05-930a-2efe5fc70f0f","req_id":"","op":"subscribe"})",
           R"({"success":true,"ret_msg":"pong","conn_id":"0970e817-426e-429a-a679-ff7f55e0b16a","op":"ping"})",
           R"({"success":true,"ret_msg":"pong","conn_id":"465772b1-7630-4fdc-a492-e003e6f0f260","req_id":"","op":"ping"})",
           R"({"args":["1672916271846"],"op":"pong"})",
           R"({"req_id":"100001","op":"ping"})",
           R"({"op":"unsubscribe","args":["publicTrade.ETHUSD"],"req_id":"customised_id"})",
           R"({"success":false,"ret_msg":"error:handler not found","conn_id":"x","req_id":"1","op":"subscribe"})"}) {
    INFO(s);
    REQUIRE(p(s).ok());
    CHECK(p.m.kind == msg_kind::control);
  }
  CHECK_FALSE(p.m.success);
}

TEST_CASE("bybit codec: other topics are ignored, unknown ones are not", "[bybit][codec]") {
  parsed p;
  REQUIRE(p(R"({"topic":"publicTrade.BTCUSDT","type":"snapshot","ts":1,"data":[{"T":1,"s":"BTCUSDT","S":"Buy","v":"0.001","p":"16578.50","L":"PlusTick","i":"x","BT":false}]})").ok());
  CHECK(p.m.kind == msg_kind::ignored);
  REQUIRE(p(R"({"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","lastPrice":"1"},"ts":1})").ok());
  CHECK(p.m.kind == msg_kind::ignored);
  CHECK(p(R"({"topic":"mystery.BTCUSDT","data":{}})").code() == core::errc::unknown_message);
  CHECK(p(R"({"op":"teleport"})").code() == core::errc::unknown_message);
  CHECK(p(R"({"hello":"world"})").code() == core::errc::unknown_message);
  CHECK(p(R"({"topic":"orderbook.full.BTCUSDT","type":"delta","data":{"u":1,"b":[],"a":[]}})").code() ==
        core::errc::unknown_message);
  CHECK(p(R"({"topic":"orderbook.50.BTCUSDT","type":"partial","data":{"u":1,"b":[],"a":[]}})").code() ==
        core::errc::unknown_message);
}

TEST_CASE("bybit codec: malformed input is rejected with a drop_message error", "[bybit][codec]") {
  parsed p;
  const std::string good = bybit_test::delta(5, R"([["1","1"]])", R"([["2","1"]])");
  REQUIRE(p(good).ok());
  struct bad {
    std::string text;
    core::errc code;
  };
  const bad cases[] = {
      {good.substr(0, good.size() / 2), core::errc::malformed_json},  // truncated frame
      {good.substr(0, good.size() - 1), core::errc::malformed_json},  // missing final brace
      {"", core::errc::malformed_json},
      {"[1,2]", core::errc::malformed_json},
      {"not json", core::errc::malformed_json},
      // wrong types
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[],"a":[],"u":"5"}})", core::errc::wrong_type},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":{"1":"2"},"a":[],"u":5}})", core::errc::wrong_type},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["1",{"x":1}]],"a":[],"u":5}})", core::errc::wrong_type},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["1"]],"a":[],"u":5}})", core::errc::missing_field},
      {R"({"topic":42,"type":"delta","data":{}})", core::errc::wrong_type},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":"x"})", core::errc::missing_field},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[],"a":[]}})", core::errc::missing_field},
      {R"({"topic":"orderbook.50.BTCUSDT","data":{"s":"BTCUSDT","b":[],"a":[],"u":5}})", core::errc::missing_field},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[],"a":[],"u":-5}})", core::errc::wrong_type},
      // numbers
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["1234567890123456789012","1"]],"a":[],"u":5}})", core::errc::number_overflow},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["1e400","1"]],"a":[],"u":5}})", core::errc::number_overflow},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[],"a":[],"u":99999999999999999999999}})", core::errc::wrong_type},  // simdjson: not a uint64
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["1","0.000000000000000000000000000000000001"]],"a":[],"u":5}})", core::errc::number_overflow},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["1.2.3","1"]],"a":[],"u":5}})", core::errc::bad_number},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["","1"]],"a":[],"u":5}})", core::errc::bad_number},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["0","1"]],"a":[],"u":5}})", core::errc::bad_number},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["-1","1"]],"a":[],"u":5}})", core::errc::bad_number},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"BTCUSDT","b":[["1","-1"]],"a":[],"u":5}})", core::errc::bad_number},
      // topic and symbol
      {R"({"topic":"orderbook.x.BTCUSDT","type":"delta","data":{"b":[],"a":[],"u":5}})", core::errc::bad_number},
      {R"({"topic":"orderbook.0.BTCUSDT","type":"delta","data":{"b":[],"a":[],"u":5}})", core::errc::bad_number},
      {R"({"topic":"orderbook.50","type":"delta","data":{"b":[],"a":[],"u":5}})", core::errc::malformed_json},
      {R"({"topic":"orderbook.50.BTCUSDT","type":"delta","data":{"s":"ETHUSDT","b":[],"a":[],"u":5}})", core::errc::malformed_json},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto st = p(c.text);
    CHECK_FALSE(st.ok());
    CHECK(st.code() == c.code);
    CHECK(core::condition_of(st.code()) == core::condition::drop_message);
  }
}

TEST_CASE("bybit topic splitting", "[bybit][codec]") {
  std::uint32_t d = 0;
  std::string_view s;
  REQUIRE(split_orderbook_topic("orderbook.1000.SOLUSDT", d, s).ok());
  CHECK(d == 1000);
  CHECK(s == "SOLUSDT");
  CHECK_FALSE(split_orderbook_topic("orderbook..SOLUSDT", d, s).ok());
  CHECK_FALSE(split_orderbook_topic("orderbook.50.", d, s).ok());
  CHECK_FALSE(split_orderbook_topic("kline.1.SOLUSDT", d, s).ok());
  CHECK_FALSE(split_orderbook_topic("orderbook.99999999999.SOLUSDT", d, s).ok());
}
