// Bybit subscribe builders, ping, and settings validation in the factory.
#include "venues/bybit/subscribe.hpp"

#include <catch2/catch.hpp>

#include "harness.hpp"
#include "venues/bybit/settings.hpp"

using namespace depthmon;
using namespace depthmon::venues::bybit;

TEST_CASE("bybit subscribe and ping messages", "[bybit][subscribe]") {
  const std::vector<std::string> topics{orderbook_topic(50, "BTCUSDT"), orderbook_topic(50, "ETHUSDT")};
  CHECK(subscribe_message(topics, "test") ==
        R"({"req_id":"test","op":"subscribe","args":["orderbook.50.BTCUSDT","orderbook.50.ETHUSDT"]})");
  CHECK(unsubscribe_message(std::span(topics).first(1), "customised_id") ==
        R"({"req_id":"customised_id","op":"unsubscribe","args":["orderbook.50.BTCUSDT"]})");
  CHECK(ping_message("100001") == R"({"req_id":"100001","op":"ping"})");
}

TEST_CASE("bybit spot subscriptions carry at most 10 args per request", "[bybit][subscribe]") {
  std::vector<std::string> syms;
  for (int i = 0; i < 25; ++i) syms.push_back("C" + std::to_string(i) + "USDT");
  bybit_test::harness h(syms, {{"depth", "1000"}});
  const auto msgs = h.p->subscribe_messages();
  REQUIRE(msgs.size() == 3);
  auto count = [](const std::string& s) {
    std::size_t n = 0;
    for (std::size_t p = s.find("orderbook."); p != std::string::npos; p = s.find("orderbook.", p + 1)) ++n;
    return n;
  };
  CHECK(count(msgs[0]) == 10);
  CHECK(count(msgs[1]) == 10);
  CHECK(count(msgs[2]) == 5);
  CHECK(msgs[0].starts_with(R"({"req_id":"1","op":"subscribe","args":["orderbook.1000.C0USDT",)"));
  CHECK(msgs[2].find(R"("req_id":"3")") != std::string::npos);

  bybit_test::harness lin(syms, {{"category", "linear"}, {"depth", "200"}});
  const auto lm = lin.p->subscribe_messages();
  REQUIRE(lm.size() == 1);
  CHECK(count(lm[0]) == 25);
  CHECK(lm[0].find("orderbook.200.C24USDT") != std::string::npos);

  bybit_test::harness dflt({"BTCUSDT"});
  CHECK(dflt.p->subscribe_messages() ==
        std::vector<std::string>{R"({"req_id":"1","op":"subscribe","args":["orderbook.1000.BTCUSDT"]})"});
  CHECK(dflt.p->unsubscribe_messages("BTCUSDT") ==
        std::vector<std::string>{R"({"req_id":"unsub","op":"unsubscribe","args":["orderbook.1000.BTCUSDT"]})"});
}

TEST_CASE("bybit settings are validated by the factory", "[bybit][settings]") {
  auto make = [](std::map<std::string, std::string> kv) {
    venues::protocol_options o;
    o.settings = std::move(kv);
    return venues::make_protocol(core::venue::bybit, o);
  };
  CHECK(make({}).ok());
  CHECK(make({{"depth", "1"}}).ok());
  CHECK(make({{"depth", "50"}, {"category", "linear"}}).ok());
  CHECK(make({{"depth", "25"}, {"category", "option"}}).ok());
  for (const auto& kv : std::vector<std::map<std::string, std::string>>{
           {{"depth", "500"}}, {{"depth", "abc"}}, {{"depth", ""}}, {{"depth", "25"}},
           {{"category", "futures"}}, {{"depht", "50"}}, {{"depth", "50"}, {"category", "option"}}}) {
    auto r = make(kv);
    CHECK_FALSE(r.ok());
    CHECK(r.code() == core::errc::invalid_argument);
    CHECK(std::string(r.err().detail).find("bybit") != std::string::npos);
  }
  venues::protocol_options o;
  o.symbols = {""};
  CHECK(venues::make_protocol(core::venue::bybit, o).code() == core::errc::invalid_argument);
  auto s = parse_settings({{"category", "inverse"}});
  REQUIRE(s.ok());
  CHECK(s->subscribe_depth() == 1000);
  CHECK(parse_settings({{"category", "option"}})->subscribe_depth() == 100);
}
