#include "venues/binance/codec.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace depthmon;
using namespace depthmon::venues::binance;

namespace {
struct parsed {
  core::status st;
  message m;
};
parsed parse(const std::string& text) {
  static codec c;
  core::padded_buffer buf;
  parsed p;
  p.st = c.parse(buf.assign(text), p.m);
  return p;
}
}  // namespace

TEST_CASE("diff depth, combined envelope and raw", "[binance][codec]") {
  for (const std::string& text :
       {std::string(R"({"stream":"bnbbtc@depth@100ms","data":{"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"],["0.0027","0.00000000"]]}})"),
        std::string(R"({"e":"depthUpdate","E":1672515782136,"s":"BNBBTC","U":157,"u":160,"b":[["0.0024","10"]],"a":[["0.0026","100"],["0.0027","0.00000000"]]})"),
        // Key order is never assumed.
        std::string(R"({"a":[["0.0026","100"],["0.0027","0"]],"b":[["0.0024","10"]],"u":160,"U":157,"s":"BNBBTC","E":1672515782136,"e":"depthUpdate"})")}) {
    INFO(text);
    auto p = parse(text);
    REQUIRE(p.st.ok());
    CHECK(p.m.kind == msg_kind::depth_update);
    CHECK(p.m.symbol == "BNBBTC");
    CHECK(p.m.first_update_id == 157);
    CHECK(p.m.final_update_id == 160);
    CHECK_FALSE(p.m.has_prev);
    CHECK(p.m.event_time_ms == 1672515782136);
    REQUIRE(p.m.bids.size() == 1);
    CHECK(p.m.bids[0].price == core::decimal{24, 4});
    REQUIRE(p.m.asks.size() == 2);
    CHECK(p.m.asks[1].qty.mantissa == 0);
  }
}

TEST_CASE("USD-M diff depth carries pu", "[binance][codec]") {
  auto p = parse(R"({"e":"depthUpdate","E":123456789,"T":123456788,"s":"BTCUSDT","U":157,"u":160,"pu":149,"b":[],"a":[]})");
  REQUIRE(p.st.ok());
  CHECK(p.m.has_prev);
  CHECK(p.m.prev_final_update_id == 149);
  CHECK(p.m.transaction_time_ms == 123456788);
}

TEST_CASE("bookTicker, spot (no e) and futures", "[binance][codec]") {
  auto spot = parse(R"({"stream":"nknusdt@bookTicker","data":{"u":400900217,"s":"BNBUSDT","b":"25.35190000","B":"31.21000000","a":"25.36520000","A":"40.66000000"}})");
  REQUIRE(spot.st.ok());
  CHECK(spot.m.kind == msg_kind::book_ticker);
  CHECK(spot.m.final_update_id == 400900217);
  CHECK(spot.m.best_bid.price == core::decimal{253519, 4});
  CHECK(spot.m.best_ask.qty == core::decimal{4066, 2});
  auto fut = parse(R"({"e":"bookTicker","u":600859600576,"s":"SUSHIUSDT","b":"7.6110","B":"2","a":"7.6120","A":"297","T":1626992741012,"E":1626992741017})");
  REQUIRE(fut.st.ok());
  CHECK(fut.m.kind == msg_kind::book_ticker);
  CHECK(fut.m.best_bid.qty == core::decimal{2, 0});
}

TEST_CASE("snapshots, control and ignored messages", "[binance][codec]") {
  codec c;
  core::padded_buffer buf;
  message m;
  REQUIRE(c.parse_snapshot(buf.assign(R"({"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"]]})"), m).ok());
  CHECK(m.kind == msg_kind::depth_snapshot);
  CHECK(m.final_update_id == 160);
  REQUIRE(c.parse_snapshot(buf.assign(R"({"code":-1121,"msg":"Invalid symbol."})"), m).ok());
  CHECK(m.kind == msg_kind::error);
  CHECK(m.error_code == -1121);
  CHECK(parse(R"({"result":null,"id":1})").m.kind == msg_kind::subscription);
  CHECK(parse(R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1}})").m.kind == msg_kind::server_shutdown);
  auto trade = parse(R"({"stream":"nknusdt@aggTrade","data":{"e":"aggTrade","E":1,"s":"NKNUSDT","a":5,"p":"0.35","q":"10","f":1,"l":2,"T":1,"m":true,"M":true}})");
  REQUIRE(trade.st.ok());
  CHECK(trade.m.kind == msg_kind::ignored);
  CHECK(trade.m.symbol == "NKNUSDT");
}

TEST_CASE("bad input is reported, never guessed", "[binance][codec]") {
  CHECK(parse(R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["0.1","1"]],"a":[["0.2")").st.code() != core::errc::ok);  // truncated
  CHECK(parse("").st.code() == core::errc::malformed_json);
  CHECK(parse("[1,2]").st.code() == core::errc::malformed_json);
  CHECK(parse("not json").st.code() == core::errc::malformed_json);
  CHECK(parse(R"({"e":"depthUpdate","E":1,"s":"X","U":"1","u":2,"b":[],"a":[]})").st.code() == core::errc::wrong_type);
  CHECK(parse(R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["abc","1"]],"a":[]})").st.code() == core::errc::bad_number);
  CHECK(parse(R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[[true,"1"]],"a":[]})").st.code() == core::errc::wrong_type);
  CHECK(parse(R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["1234567890123456789012","1"]],"a":[]})").st.code() == core::errc::number_overflow);
  CHECK(parse(R"({"e":"depthUpdate","E":1,"s":"X","U":99999999999999999999999,"u":2,"b":[],"a":[]})").st.code() != core::errc::ok);
  CHECK(parse(R"({"e":"depthUpdate","E":1,"s":"X","u":2,"b":[],"a":[]})").st.code() == core::errc::missing_field);
  CHECK(parse(R"({"e":"depthUpdate","E":1,"s":"X","U":1,"u":2,"b":[["1"]],"a":[]})").st.code() == core::errc::missing_field);
  CHECK(parse(R"({"e":"somethingNew","E":1})").st.code() == core::errc::unknown_message);
  CHECK(parse(R"({"hello":"world"})").st.code() == core::errc::unknown_message);
}

TEST_CASE("partial depth: told apart by the combined stream name", "[binance][codec]") {
  // Spot partials name no symbol: it comes from the stream name (lowercase there).
  auto spot = parse(R"({"stream":"btcusdt@depth20@100ms","data":{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[["0.0026","100"],["0.0027","5"]]}})");
  REQUIRE(spot.st.ok());
  CHECK(spot.m.kind == msg_kind::partial_depth);
  CHECK(spot.m.symbol == "BTCUSDT");
  CHECK(spot.m.partial_levels == 20);
  CHECK(spot.m.final_update_id == 160);
  CHECK(spot.m.bids.size() == 1);
  CHECK(spot.m.asks.size() == 2);
  // Key order is free: the stream may follow the data.
  auto late = parse(R"({"data":{"asks":[],"bids":[],"lastUpdateId":7},"stream":"ethbtc@depth5"})");
  REQUIRE(late.st.ok());
  CHECK(late.m.kind == msg_kind::partial_depth);
  CHECK(late.m.symbol == "ETHBTC");
  CHECK(late.m.partial_levels == 5);
  // USD-M partials look like diff events; u is the partial's update id.
  auto fut = parse(R"({"stream":"btcusdt@depth10@500ms","data":{"e":"depthUpdate","E":1,"T":1,"s":"BTCUSDT","U":150,"u":160,"pu":149,"b":[["1","2"]],"a":[]}})");
  REQUIRE(fut.st.ok());
  CHECK(fut.m.kind == msg_kind::partial_depth);
  CHECK(fut.m.symbol == "BTCUSDT");
  CHECK(fut.m.partial_levels == 10);
  CHECK(fut.m.final_update_id == 160);
  // Diff streams stay diff events; a partial without its id is malformed.
  CHECK(parse(R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]}})").m.kind == msg_kind::depth_update);
  CHECK(parse(R"({"stream":"btcusdt@depth","data":{"e":"depthUpdate","E":1,"s":"BTCUSDT","U":1,"u":2,"b":[],"a":[]}})").m.kind == msg_kind::depth_update);
  CHECK(parse(R"({"stream":"btcusdt@depth20@100ms","data":{"bids":[],"asks":[]}})").st.code() == core::errc::missing_field);
  // A raw-stream partial (no envelope) cannot name its book.
  CHECK(parse(R"({"lastUpdateId":160,"bids":[],"asks":[]})").m.kind == msg_kind::depth_snapshot);
}
