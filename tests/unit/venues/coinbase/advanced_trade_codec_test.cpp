#include "venues/coinbase/advanced_trade_codec.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace depthmon;
using venues::coinbase::at_channel;
using venues::coinbase::at_event_type;
using venues::coinbase::at_message;

namespace {

struct parsed {
  core::status st;
  at_message m;
};

parsed parse(const std::string& s) {
  static venues::coinbase::advanced_trade_codec c;
  core::padded_buffer buf;
  parsed p;
  p.st = c.parse(buf.assign(s), p.m);
  return p;
}

std::string dec(const core::decimal& d) { return core::to_string(d); }

}  // namespace

TEST_CASE("AT codec: l2_data doc example", "[coinbase][codec]") {
  auto p = parse(R"({"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":0,"events":[{"type":"snapshot","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"21921.73","new_quantity":"0.06317902"},{"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"21921.3","new_quantity":"0.02"}]}]})");
  REQUIRE(p.st.ok());
  CHECK(p.m.channel == at_channel::l2_data);
  CHECK(p.m.has_sequence);
  CHECK(p.m.sequence_num == 0);
  CHECK(p.m.timestamp == 1675974770714964855LL);
  REQUIRE(p.m.events.size() == 1);
  CHECK(p.m.events[0].type == at_event_type::snapshot);
  CHECK(p.m.events[0].product_id == "BTC-USD");
  CHECK(p.m.events[0].first == 0);
  CHECK(p.m.events[0].count == 2);
  REQUIRE(p.m.levels.size() == 2);
  CHECK(p.m.levels[0].side == core::side::bid);
  CHECK(dec(p.m.levels[0].level.price) == "21921.73");
  CHECK(dec(p.m.levels[0].level.qty) == "0.06317902");
  CHECK(dec(p.m.levels[1].level.price) == "21921.3");
}

TEST_CASE("AT codec: any key order, several events and products, no client_id", "[coinbase][codec]") {
  // events before channel (second pass), sequence_num last, update keys shuffled, offer/bid mixed.
  auto p = parse(R"({"events":[{"updates":[{"new_quantity":"1.5","price_level":"10.10","side":"offer"},{"price_level":"9.9","side":"bid","new_quantity":"0"}],"product_id":"ETH-USD","type":"update"},{"product_id":"BTC-USD","type":"snapshot","updates":[]}],"timestamp":"2023-02-09T20:32:50Z","channel":"l2_data","sequence_num":42})");
  REQUIRE(p.st.ok());
  CHECK(p.m.sequence_num == 42);
  REQUIRE(p.m.events.size() == 2);
  CHECK(p.m.events[0].type == at_event_type::update);
  CHECK(p.m.events[0].product_id == "ETH-USD");
  CHECK(p.m.events[0].count == 2);
  CHECK(p.m.events[1].type == at_event_type::snapshot);
  CHECK(p.m.events[1].product_id == "BTC-USD");
  CHECK(p.m.events[1].first == 2);
  CHECK(p.m.events[1].count == 0);
  CHECK(p.m.levels[0].side == core::side::ask);
  CHECK(dec(p.m.levels[0].level.price) == "10.1");
  CHECK(p.m.levels[1].side == core::side::bid);
  CHECK(p.m.levels[1].level.qty.mantissa == 0);
}

TEST_CASE("AT codec: heartbeats counter as int or string; acks; other channels; errors", "[coinbase][codec]") {
  auto s = parse(R"({"channel":"heartbeats","client_id":"","timestamp":"2023-06-23T20:31:26.122969572Z","sequence_num":0,"events":[{"current_time":"2023-06-23 20:31:56.121961769 +0000 UTC m=+91717.525857105","heartbeat_counter":"3049"}]})");
  REQUIRE(s.st.ok());
  CHECK(s.m.channel == at_channel::heartbeats);
  CHECK(s.m.has_heartbeat_counter);
  CHECK(s.m.heartbeat_counter == 3049);
  auto i = parse(R"({"channel":"heartbeats","timestamp":"2023-06-23T20:31:26Z","sequence_num":7,"events":[{"current_time":"x","heartbeat_counter":3050}]})");
  REQUIRE(i.st.ok());
  CHECK(i.m.heartbeat_counter == 3050);
  CHECK(i.m.sequence_num == 7);
  auto a = parse(R"({"channel":"subscriptions","timestamp":"2026-08-12T19:27:33.489690582Z","sequence_num":1,"events":[{"subscriptions":{"ticker":["BTC-USD"]}}]})");
  REQUIRE(a.st.ok());
  CHECK(a.m.channel == at_channel::subscriptions);
  auto t = parse(R"({"channel":"ticker","timestamp":"2026-08-12T19:27:33.489674268Z","sequence_num":0,"events":[{"type":"snapshot","tickers":[{"type":"ticker","product_id":"BTC-USD","price":"63320.73"}]}]})");
  REQUIRE(t.st.ok());
  CHECK(t.m.channel == at_channel::other);
  CHECK(t.m.events.empty());
  auto e = parse(R"({"type":"error","message":"failure to subscribe"})");
  REQUIRE(e.st.ok());
  CHECK(e.m.channel == at_channel::error);
  CHECK(!e.m.has_sequence);
}

TEST_CASE("AT codec: an unreadable heartbeat counter is not fatal", "[coinbase][codec]") {
  for (const char* c : {"null", "\"99999999999999999999999\"", "123456789012345678901234", "{}", "\"x\"", "-4"}) {
    INFO(c);
    auto p = parse(std::string(R"({"channel":"heartbeats","sequence_num":4,"events":[{"current_time":"x","heartbeat_counter":)") + c + "}]}");
    REQUIRE(p.st.ok());
    CHECK(p.m.channel == at_channel::heartbeats);
    CHECK(!p.m.has_heartbeat_counter);
    CHECK(p.m.sequence_num == 4);
  }
  auto q = parse(R"({"channel":"heartbeats","sequence_num":5,"events":"none"})");
  REQUIRE(q.st.ok());
  CHECK(q.m.sequence_num == 5);
}

TEST_CASE("AT codec: unknown messages keep their envelope", "[coinbase][codec]") {
  auto u = parse(R"({"channel":"mystery","sequence_num":9,"events":[]})");
  CHECK(u.st.code() == core::errc::unknown_message);
  CHECK(u.m.channel == at_channel::unknown);
  CHECK(u.m.has_sequence);
  CHECK(u.m.sequence_num == 9);
  CHECK(parse(R"({"hello":"world"})").st.code() == core::errc::unknown_message);
  auto ev = parse(R"({"channel":"l2_data","sequence_num":3,"events":[{"type":"delta","product_id":"BTC-USD","updates":[]}]})");
  CHECK(ev.st.code() == core::errc::unknown_message);
  CHECK(ev.m.channel == at_channel::l2_data);
}

TEST_CASE("AT codec: malformed, wrong types, huge numbers", "[coinbase][codec]") {
  const std::string good = R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","price_level":"1","new_quantity":"2"}]}]})";
  REQUIRE(parse(good).st.ok());
  using core::errc;
  struct tc { std::string text; errc code; };
  const std::vector<tc> cases{
      {good.substr(0, good.size() / 2), errc::malformed_json},
      {"", errc::malformed_json},
      {"not json", errc::malformed_json},
      {"[1,2]", errc::malformed_json},
      {R"({"channel":7,"sequence_num":1,"events":[]})", errc::wrong_type},
      {R"({"channel":"l2_data","sequence_num":"1","events":[]})", errc::wrong_type},
      {R"({"channel":"l2_data","sequence_num":-1,"events":[]})", errc::wrong_type},
      {R"({"channel":"l2_data","sequence_num":1,"events":{}})", errc::wrong_type},
      {R"({"channel":"l2_data","sequence_num":1,"events":[7]})", errc::wrong_type},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":5,"updates":[]}]})", errc::wrong_type},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":{}}]})", errc::wrong_type},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":[{"side":"buy","price_level":"1","new_quantity":"2"}]}]})", errc::wrong_type},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":[{"side":"bid","price_level":{},"new_quantity":"2"}]}]})", errc::wrong_type},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":[{"side":"bid","price_level":"1","new_quantity":true}]}]})", errc::wrong_type},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":[{"side":"bid","price_level":"abc","new_quantity":"2"}]}]})", errc::bad_number},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":[{"side":"bid","price_level":"0","new_quantity":"2"}]}]})", errc::bad_number},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":[{"side":"bid","price_level":"1","new_quantity":"-2"}]}]})", errc::bad_number},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":[{"side":"bid","price_level":"1e400","new_quantity":"2"}]}]})", errc::number_overflow},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":[{"side":"bid","price_level":"1","new_quantity":"123456789012345678901234567890"}]}]})", errc::number_overflow},
      {R"({"channel":"l2_data","sequence_num":123456789012345678901234567890,"events":[]})", errc::number_overflow},
      {R"({"channel":"heartbeats","sequence_num":1,"events":[{"heartbeat_counter":1}])", errc::malformed_json},
      {R"({"channel":"l2_data","sequence_num":1})", errc::missing_field},
      {R"({"channel":"l2_data","events":[]})", errc::missing_field},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","updates":[]}]})", errc::missing_field},
      {R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"X","updates":[{"side":"bid","price_level":"1"}]}]})", errc::missing_field},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto p = parse(c.text);
    CHECK(p.st.code() == c.code);
    CHECK(core::condition_of(p.st.code()) == core::condition::drop_message);
  }
}
