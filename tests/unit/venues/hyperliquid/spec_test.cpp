// Hyperliquid's connection contract (venues/hyperliquid/spec.hpp) and settings validation.
#include "venues/hyperliquid/spec.hpp"

#include <catch2/catch.hpp>

#include "../common/spec_checks.hpp"
#include "harness.hpp"
#include "venues/hyperliquid/settings.hpp"

using namespace depthmon;
using namespace depthmon::venues::hyperliquid;

TEST_CASE("hyperliquid spec: endpoints, subscribe messages, keep-alive, limits",
          "[hyperliquid][spec]") {
  auto s = spec_test::make(core::venue::hyperliquid);
  CHECK(s->base().ws_url == "wss://api.hyperliquid.xyz/ws");
  CHECK(s->base().rest_url == "https://api.hyperliquid.xyz");
  CHECK(s->subscribe_one("BTC") ==
        std::vector<std::string>{R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC"}})"});
  CHECK(s->unsubscribe_one("BTC") ==
        std::vector<std::string>{R"({"method":"unsubscribe","subscription":{"type":"l2Book","coin":"BTC"}})"});
  CHECK(s->subscribe_one("PURR/USDC") ==
        std::vector<std::string>{R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"PURR/USDC"}})"});
  CHECK(spec_test::make(core::venue::hyperliquid, {}, {{"nsigfigs", "4"}})->subscribe_one("BTC") ==
        std::vector<std::string>{
            R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC","nSigFigs":4}})"});
  CHECK(spec_test::make(core::venue::hyperliquid, {}, {{"nsigfigs", "5"}, {"mantissa", "2"}, {"fast", "true"}})
            ->subscribe_one("@107") ==
        std::vector<std::string>{
            R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"@107","nSigFigs":5,"mantissa":2,"fast":true}})"});
  const auto k = s->keepalive();
  CHECK(k.payload == R"({"method":"ping"})");
  CHECK(k.interval_ms == 30'000);
  CHECK(k.idle_timeout_ms == 60'000);
  const auto l = s->limits();
  CHECK(l.max_connections == 10);
  CHECK(l.connections.count == 30);
  CHECK(l.connections.per_seconds == 60);
  CHECK(l.client_messages.count == 2000);
  CHECK(l.streams_per_connection == 1000);
  CHECK_FALSE(s->metadata_request("BTC"));
  spec_test::check_sane(*s);

  auto testnet = spec_test::make(core::venue::hyperliquid, {}, {},
                                 "wss://api.hyperliquid-testnet.xyz/ws");
  const std::vector<std::string> two{"BTC", "ETH"};
  const auto plan = testnet->connect(two);
  CHECK(plan.url == "wss://api.hyperliquid-testnet.xyz/ws");
  CHECK(plan.frames.size() == 2);
  spec_test::check_json(plan.frames);

  hl_test::harness h({"BTC", "ETH"}, {{"nsigfigs", "5"}, {"mantissa", "5"}});
  CHECK(h.p->subscribe_messages() ==
        std::vector<std::string>{
            R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC","nSigFigs":5,"mantissa":5}})",
            R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"ETH","nSigFigs":5,"mantissa":5}})"});
  CHECK(h.p->unsubscribe_messages("ETH") ==
        std::vector<std::string>{
            R"({"method":"unsubscribe","subscription":{"type":"l2Book","coin":"ETH","nSigFigs":5,"mantissa":5}})"});
}

TEST_CASE("hyperliquid settings are validated by the factory", "[hyperliquid][settings]") {
  auto make = [](std::map<std::string, std::string> kv) {
    venues::protocol_options o;
    o.settings = std::move(kv);
    return venues::make_protocol(core::venue::hyperliquid, o);
  };
  CHECK(make({}).ok());
  CHECK(make({{"nsigfigs", "2"}}).ok());
  CHECK(make({{"nsigfigs", "none"}}).ok());
  CHECK(make({{"nsigfigs", "5"}, {"mantissa", "2"}}).ok());
  CHECK(make({{"fast", "false"}, {"levels", "50"}}).ok());
  for (const auto& kv : std::vector<std::map<std::string, std::string>>{
           {{"nsigfigs", "1"}}, {{"nsigfigs", "6"}}, {{"nsigfigs", "four"}}, {{"mantissa", "2"}},
           {{"nsigfigs", "4"}, {"mantissa", "2"}}, {{"nsigfigs", "5"}, {"mantissa", "3"}},
           {{"fast", "yes"}}, {{"levels", "0"}}, {{"levels", "-1"}}, {{"levels", "20x"}},
           {{"depth", "20"}}}) {
    auto r = make(kv);
    CHECK_FALSE(r.ok());
    CHECK(r.code() == core::errc::invalid_argument);
    CHECK(std::string(r.err().detail).find("hyperliquid") != std::string::npos);
  }
  CHECK(parse_settings({})->levels == 20);
  CHECK(parse_settings({{"fast", "true"}})->levels == 5);
  CHECK(parse_settings({{"fast", "true"}, {"levels", "7"}})->levels == 7);
  CHECK(parse_settings({{"nsigfigs", "3"}})->n_sig_figs == 3);
  core::padded_buffer b;
  hl_test::harness h;
  CHECK(h.p->on_snapshot("BTC", b.assign("{}"), 0).code() == core::errc::invalid_argument);
}

TEST_CASE("hyperliquid instruments: perps by coin in USD, spot pairs by name", "[hyperliquid][spec]") {
  auto s = spec_test::make(core::venue::hyperliquid);
  CHECK(spec_test::instrument(*s, "BTC") == spec_test::inst{"BTC", "USD", "1"});
  CHECK(spec_test::instrument(*s, "kPEPE") == spec_test::inst{"kPEPE", "USD", "1"});  // the coin name as listed
  CHECK(spec_test::instrument(*s, "PURR/USDC") == spec_test::inst{"PURR", "USDC", "1"});
  CHECK(spec_test::instrument(*s, "@107") == spec_test::inst{"", "", ""});
}
