// Hyperliquid codec: l2Book shapes from real frames, key order, control and ignored channels,
// and every kind of bad input mapped to a drop_message error.
#include "venues/hyperliquid/codec.hpp"

#include <catch2/catch.hpp>

#include "harness.hpp"

using namespace depthmon;
using namespace depthmon::venues::hyperliquid;

namespace {

struct parsed {
  codec c;
  message m;
  core::padded_buffer buf;
  core::status operator()(const std::string& s) { return c.parse(buf.assign(s), m); }
};

}  // namespace

TEST_CASE("hyperliquid codec: real l2Book frames", "[hyperliquid][codec]") {
  parsed p;
  REQUIRE(p(R"({"channel":"l2Book","data":{"coin":"BANANA","time":1730160007687,"levels":[[{"px":"59.8","sz":"3.4","n":1},{"px":"59.778","sz":"1.6","n":1}],[{"px":"59.811","sz":"2.9","n":1},{"px":"59.832","sz":"17.6","n":1}]]}})").ok());
  CHECK(p.m.kind == msg_kind::l2_book);
  CHECK(p.m.coin == "BANANA");
  CHECK(p.m.time_ms == 1730160007687ull);
  REQUIRE(p.m.bids.size() == 2);
  REQUIRE(p.m.asks.size() == 2);
  CHECK(core::to_string(p.m.bids[1].price) == "59.778");
  CHECK(core::to_string(p.m.asks[1].qty) == "17.6");
  REQUIRE(p(R"({"channel":"l2Book","data":{"coin":"SHIA","time":1730160007687,"levels":[[],[]]}})").ok());
  CHECK(p.m.kind == msg_kind::l2_book);
  CHECK(p.m.bids.empty());
  CHECK(p.m.asks.empty());
}

TEST_CASE("hyperliquid codec: key order is never assumed", "[hyperliquid][codec]") {
  parsed p;
  REQUIRE(p(R"({"data":{"levels":[[{"n":3,"sz":"1.5","px":"100"}],[{"sz":"2","px":"101","n":1}]],"time":5,"coin":"@107"},"channel":"l2Book"})").ok());
  CHECK(p.m.kind == msg_kind::l2_book);
  CHECK(p.m.coin == "@107");
  CHECK(core::to_string(p.m.bids.at(0).qty) == "1.5");
  // No time: still a book (no ordering check possible). Spot names pass through.
  REQUIRE(p(R"({"channel":"l2Book","data":{"coin":"PURR/USDC","levels":[[],[{"px":"0.2","sz":"10","n":2}]]}})").ok());
  CHECK(p.m.coin == "PURR/USDC");
  CHECK_FALSE(p.m.has_time);
}

TEST_CASE("hyperliquid codec: control and ignored channels", "[hyperliquid][codec]") {
  parsed p;
  for (const char* s : {R"({"channel":"subscriptionResponse","data":{"method":"subscribe","subscription":{"type":"trades","coin":"SOL"}}})",
                        R"({"channel":"pong"})",
                        R"({"channel":"error","data":"Invalid subscription {\"type\":\"l2Book\"}"})",
                        R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC"}})",
                        R"({"method":"unsubscribe","subscription":{"type":"l2Book","coin":"BTC"}})",
                        R"({"method":"ping"})"}) {
    INFO(s);
    REQUIRE(p(s).ok());
    CHECK(p.m.kind == msg_kind::control);
  }
  for (const char* s : {R"({"channel":"bbo","data":{"coin":"@162","time":1750948919838,"bbo":[{"px":"0.97925","sz":"4144.6","n":1},{"px":"0.97934","sz":"50.0","n":1}]}})",
                        R"({"channel":"bbo","data":{"coin":"BTC","time":1750948919838,"bbo":[{"px":"107575.0","sz":"3.87947","n":17}]}})",
                        R"({"channel":"trades","data":[{"coin":"SOL","side":"B","px":"1","sz":"1","time":1}]})",
                        R"({"channel":"allMids","data":{"mids":{"BTC":"1"}}})"}) {
    INFO(s);
    REQUIRE(p(s).ok());
    CHECK(p.m.kind == msg_kind::ignored);
  }
  CHECK(p(R"({"channel":"l3Book","data":{}})").code() == core::errc::unknown_message);
  CHECK(p(R"({"method":"teleport"})").code() == core::errc::unknown_message);
  CHECK(p(R"({"coin":"BTC"})").code() == core::errc::unknown_message);
}

TEST_CASE("hyperliquid codec: malformed input is rejected", "[hyperliquid][codec]") {
  parsed p;
  const std::string good = hl_test::l2("BTC", 1, hl_test::side_json({{"100", "1"}}), hl_test::side_json({{"101", "1"}}));
  REQUIRE(p(good).ok());
  struct bad {
    std::string text;
    core::errc code;
  };
  const bad cases[] = {
      {good.substr(0, good.size() / 2), core::errc::malformed_json},
      {good.substr(0, good.size() - 1), core::errc::malformed_json},
      {"", core::errc::malformed_json},
      {"{", core::errc::malformed_json},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[]]}})", core::errc::missing_field},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[],[],[]]}})", core::errc::malformed_json},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1}})", core::errc::missing_field},
      {R"({"channel":"l2Book","data":{"time":1,"levels":[[],[]]}})", core::errc::missing_field},
      {R"({"channel":"l2Book","data":{"coin":"","time":1,"levels":[[],[]]}})", core::errc::missing_field},
      {R"({"channel":"l2Book","data":[1,2]})", core::errc::missing_field},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":"1","levels":[[],[]]}})", core::errc::wrong_type},
      {R"({"channel":"l2Book","data":{"coin":7,"time":1,"levels":[[],[]]}})", core::errc::wrong_type},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":{"0":[]}}})", core::errc::wrong_type},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[["100","1"]],[]]}})", core::errc::wrong_type},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"100","sz":"1","n":"1"}],[]]}})", core::errc::wrong_type},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":true,"sz":"1","n":1}],[]]}})", core::errc::wrong_type},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"100","n":1}],[]]}})", core::errc::missing_field},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"100000000000000000000","sz":"1","n":1}],[]]}})", core::errc::number_overflow},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"100","sz":"0.0000000000000000001","n":1}],[]]}})", core::errc::number_overflow},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"0","sz":"1","n":1}],[]]}})", core::errc::bad_number},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"100","sz":"-1","n":1}],[]]}})", core::errc::bad_number},
      {R"({"channel":"l2Book","data":{"coin":"BTC","time":1,"levels":[[{"px":"1,5","sz":"1","n":1}],[]]}})", core::errc::bad_number},
      {R"({"channel":5})", core::errc::wrong_type},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto st = p(c.text);
    CHECK_FALSE(st.ok());
    CHECK(st.code() == c.code);
    CHECK(core::condition_of(st.code()) == core::condition::drop_message);
  }
}
