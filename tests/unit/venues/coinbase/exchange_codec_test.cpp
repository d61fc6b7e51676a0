#include "venues/coinbase/exchange_codec.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace depthmon;
using venues::coinbase::ex_kind;
using venues::coinbase::exchange_message;

namespace {

struct parsed {
  core::status st;
  exchange_message m;
};

parsed parse(const std::string& s) {
  static venues::coinbase::exchange_codec c;
  core::padded_buffer buf;
  parsed p;
  p.st = c.parse(buf.assign(s), p.m);
  return p;
}

std::string dec(const core::decimal& d) { return core::to_string(d); }

}  // namespace

TEST_CASE("Exchange codec: snapshot and l2update from the capture", "[coinbase][codec]") {
  auto s = parse(R"({"type":"snapshot","product_id":"BAND-GBP","asks":[["14.8024","12.77"],["14.8069","12.49"]],"bids":[["14.7550","27.10"]]})");
  REQUIRE(s.st.ok());
  CHECK(s.m.kind == ex_kind::snapshot);
  CHECK(s.m.product_id == "BAND-GBP");
  REQUIRE(s.m.asks.size() == 2);
  REQUIRE(s.m.bids.size() == 1);
  CHECK(dec(s.m.asks[1].price) == "14.8069");
  CHECK(dec(s.m.bids[0].qty) == "27.1");
  auto u = parse(R"({"type":"l2update","product_id":"SKL-BTC","changes":[["sell","0.00001306","660.5"],["buy","0.00001303","0"]],"time":"2021-04-17T16:43:37.075687Z"})");
  REQUIRE(u.st.ok());
  CHECK(u.m.kind == ex_kind::l2update);
  REQUIRE(u.m.changes.size() == 2);
  CHECK(u.m.changes[0].side == core::side::ask);
  CHECK(dec(u.m.changes[0].level.price) == "0.00001306");
  CHECK(u.m.changes[1].side == core::side::bid);
  CHECK(u.m.changes[1].level.qty.mantissa == 0);
  CHECK(u.m.time == 1618677817075687000LL);
  // Key order is free: changes before type.
  auto r = parse(R"({"changes":[["buy","1","2"]],"time":"2021-04-17T16:43:37Z","product_id":"X","type":"l2update"})");
  REQUIRE(r.st.ok());
  CHECK(r.m.kind == ex_kind::l2update);
  CHECK(r.m.product_id == "X");
}

TEST_CASE("Exchange codec: control and ignored messages", "[coinbase][codec]") {
  CHECK(parse(R"({"type":"subscriptions","channels":[{"name":"level2_batch","product_ids":["BTC-USD"]},{"name":"heartbeat","product_ids":["BTC-USD"]}]})").m.kind == ex_kind::subscriptions);
  auto h = parse(R"({"type":"heartbeat","last_trade_id":20,"product_id":"BTC-USD","sequence":1234567890123,"time":"2014-11-07T08:19:28.464459Z"})");
  REQUIRE(h.st.ok());
  CHECK(h.m.kind == ex_kind::heartbeat);
  CHECK(h.m.sequence == 1234567890123ULL);
  CHECK(h.m.last_trade_id == 20);
  CHECK(parse(R"({"type":"error","message":"error message","reason":"error message"})").m.kind == ex_kind::error);
  for (const char* t : {"ticker", "match", "last_match", "received", "open", "done", "change", "activate", "status"}) {
    auto p = parse(std::string(R"({"type":")") + t + R"(","product_id":"BTC-USD","side":"buy","price":"1"})");
    INFO(t);
    CHECK(p.st.ok());
    CHECK(p.m.kind == ex_kind::ignored);
  }
}

TEST_CASE("Exchange codec: malformed, wrong types, huge numbers, unknown", "[coinbase][codec]") {
  using core::errc;
  const std::string good = R"({"type":"l2update","product_id":"X","changes":[["buy","1","2"]],"time":"2021-04-17T16:43:37Z"})";
  REQUIRE(parse(good).st.ok());
  struct tc { std::string text; errc code; };
  const std::vector<tc> cases{
      {good.substr(0, good.size() - 1), errc::malformed_json},
      {good.substr(0, 30), errc::malformed_json},
      {"", errc::malformed_json},
      {"null", errc::malformed_json},
      {R"({"type":5})", errc::wrong_type},
      {R"({"type":"l2update","product_id":"X","changes":{}})", errc::wrong_type},
      {R"({"type":"l2update","product_id":"X","changes":["buy","1","2"]})", errc::wrong_type},
      {R"({"type":"l2update","product_id":"X","changes":[["bid","1","2"]]})", errc::wrong_type},
      {R"({"type":"l2update","product_id":"X","changes":[[1,"1","2"]]})", errc::wrong_type},
      {R"({"type":"l2update","product_id":"X","changes":[["buy",{},"2"]]})", errc::wrong_type},
      {R"({"type":"l2update","product_id":"X","changes":[["buy","1"]]})", errc::missing_field},
      {R"({"type":"l2update","product_id":"X","changes":[["buy","x1","2"]]})", errc::bad_number},
      {R"({"type":"l2update","product_id":"X","changes":[["buy","1","-2"]]})", errc::bad_number},
      {R"({"type":"l2update","product_id":"X","changes":[["sell","0","2"]]})", errc::bad_number},
      {R"({"type":"l2update","product_id":"X","changes":[["buy","1e400","2"]]})", errc::number_overflow},
      {R"({"type":"l2update","product_id":"X","changes":[["buy","1","99999999999999999999999"]]})", errc::number_overflow},
      {R"({"type":"snapshot","product_id":"X","bids":"none","asks":[]})", errc::wrong_type},
      {R"({"type":"snapshot","product_id":"X","bids":[["1","2"]],"asks":[["1e-30","1"]]})", errc::number_overflow},
      {R"({"type":"snapshot","product_id":"X","bids":[["1","2"]]})", errc::missing_field},
      {R"({"type":"l2update","changes":[]})", errc::missing_field},
      {R"({"type":"l2update","product_id":"","changes":[]})", errc::missing_field},
      {R"({"type":"mystery","product_id":"X"})", errc::unknown_message},
      {R"({"product_id":"X"})", errc::unknown_message},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto p = parse(c.text);
    CHECK(p.st.code() == c.code);
    CHECK(core::condition_of(p.st.code()) == core::condition::drop_message);
  }
}
