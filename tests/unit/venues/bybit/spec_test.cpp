// Bybit's connection contract (venues/bybit/spec.hpp) and settings validation in the factory.
#include "venues/bybit/spec.hpp"

#include <catch2/catch.hpp>

#include "../common/spec_checks.hpp"
#include "harness.hpp"
#include "venues/bybit/settings.hpp"

using namespace depthmon;
using namespace depthmon::venues::bybit;

TEST_CASE("bybit spec: endpoints by category, frames, keep-alive, limits", "[bybit][spec]") {
  auto s = spec_test::make(core::venue::bybit, {}, {{"depth", "50"}});
  CHECK(s->base().ws_url == "wss://stream.bybit.com");
  CHECK(s->base().rest_url == "https://api.bybit.com");
  const std::vector<std::string> syms{"BTCUSDT", "ETHUSDT"};
  const auto plan = s->connect(syms);
  CHECK(plan.url == "wss://stream.bybit.com/v5/public/spot");
  CHECK(plan.frames ==
        std::vector<std::string>{
            R"({"req_id":"1","op":"subscribe","args":["orderbook.50.BTCUSDT","orderbook.50.ETHUSDT"]})"});
  CHECK(s->unsubscribe_one("BTCUSDT") ==
        std::vector<std::string>{R"({"req_id":"1","op":"unsubscribe","args":["orderbook.50.BTCUSDT"]})"});
  const auto k = s->keepalive();
  CHECK(k.payload == R"({"req_id":"ping","op":"ping"})");
  CHECK(k.interval_ms == 20'000);
  CHECK(k.idle_timeout_ms == 600'000);
  CHECK_FALSE(s->metadata_request("BTCUSDT"));
  CHECK(s->limits().connections.count == 500);
  CHECK(s->limits().connections.per_seconds == 300);
  CHECK(s->limits().symbols_per_subscribe == 10);
  spec_test::check_sane(*s);
  spec_test::check_json(plan.frames);

  // The testnet (or a simulator) host, and the category's path on it.
  auto lin = spec_test::make(core::venue::bybit, {}, {{"category", "linear"}},
                             "wss://stream-testnet.bybit.com", "https://api-testnet.bybit.com");
  CHECK(lin->connect(syms).url == "wss://stream-testnet.bybit.com/v5/public/linear");
  CHECK(lin->base().rest_url == "https://api-testnet.bybit.com");
  auto opt = spec_test::make(core::venue::bybit, {}, {{"category", "option"}});
  CHECK(opt->connect(syms).url == "wss://stream.bybit.com/v5/public/option");
  CHECK(opt->limits().streams_per_connection == 2000);
  CHECK(opt->subscribe_one("BTC-30JUN23-30000-C")[0].find("orderbook.100.") != std::string::npos);
}

TEST_CASE("bybit spot subscriptions carry at most 10 args per request", "[bybit][spec]") {
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
        std::vector<std::string>{R"({"req_id":"1","op":"unsubscribe","args":["orderbook.1000.BTCUSDT"]})"});
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
  CHECK(std::string(make({{"depht", "50"}}).err().detail) ==
        "bybit: unknown setting 'depht' (valid: category, depth)");
  venues::protocol_options o;
  o.symbols = {""};
  CHECK(venues::make_protocol(core::venue::bybit, o).code() == core::errc::invalid_argument);
  auto s = parse_settings({{"category", "inverse"}});
  REQUIRE(s.ok());
  CHECK(s->subscribe_depth() == 1000);
  CHECK(parse_settings({{"category", "option"}})->subscribe_depth() == 100);
}

TEST_CASE("bybit instruments: BTCUSDT, USDC perpetuals, inverse not valued", "[bybit][spec]") {
  auto spot = spec_test::make(core::venue::bybit);
  CHECK(spec_test::instrument(*spot, "BTCUSDT") == spec_test::inst{"BTC", "USDT", "1"});
  CHECK(spec_test::instrument(*spot, "ETHUSDC") == spec_test::inst{"ETH", "USDC", "1"});
  auto lin = spec_test::make(core::venue::bybit, {}, {{"category", "linear"}});
  CHECK(spec_test::instrument(*lin, "SOLUSDT") == spec_test::inst{"SOL", "USDT", "1"});
  CHECK(spec_test::instrument(*lin, "BTCPERP") == spec_test::inst{"BTC", "USDC", "1"});
  auto inv = spec_test::make(core::venue::bybit, {}, {{"category", "inverse"}});
  CHECK(spec_test::instrument(*inv, "BTCUSD") == spec_test::inst{"", "", ""});
}
