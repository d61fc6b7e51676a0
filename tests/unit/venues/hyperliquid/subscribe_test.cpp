// Hyperliquid subscribe builders and settings validation in the factory.
#include "venues/hyperliquid/subscribe.hpp"

#include <catch2/catch.hpp>

#include "harness.hpp"
#include "venues/hyperliquid/settings.hpp"

using namespace depthmon;
using namespace depthmon::venues::hyperliquid;

TEST_CASE("hyperliquid subscribe messages", "[hyperliquid][subscribe]") {
  CHECK(subscribe_message("BTC") == R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC"}})");
  CHECK(unsubscribe_message("BTC") == R"({"method":"unsubscribe","subscription":{"type":"l2Book","coin":"BTC"}})");
  CHECK(subscribe_message("BTC", {4, std::nullopt, false}) ==
        R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC","nSigFigs":4}})");
  CHECK(subscribe_message("@107", {5, 2, true}) ==
        R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"@107","nSigFigs":5,"mantissa":2,"fast":true}})");
  CHECK(subscribe_message("PURR/USDC") ==
        R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"PURR/USDC"}})");
  CHECK(ping_message() == R"({"method":"ping"})");

  hl_test::harness h({"BTC", "ETH"}, {{"nsigfigs", "5"}, {"mantissa", "5"}});
  CHECK(h.p->subscribe_messages() ==
        std::vector<std::string>{
            R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC","nSigFigs":5,"mantissa":5}})",
            R"({"method":"subscribe","subscription":{"type":"l2Book","coin":"ETH","nSigFigs":5,"mantissa":5}})"});
  CHECK(h.p->unsubscribe_messages("ETH") ==
        std::vector<std::string>{
            R"({"method":"unsubscribe","subscription":{"type":"l2Book","coin":"ETH","nSigFigs":5,"mantissa":5}})"});
  hl_test::harness nulls({"BTC"}, {{"nsigfigs", "null"}});
  CHECK(nulls.p->subscribe_messages().at(0) == subscribe_message("BTC"));
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
