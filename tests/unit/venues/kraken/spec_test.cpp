// Kraken's connection contract (venues/kraken/spec.hpp) and settings validation.
#include "venues/kraken/spec.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "../common/spec_checks.hpp"
#include "support/run.hpp"
#include "venues/kraken/settings.hpp"

namespace {
using namespace depthmon;
using namespace depthmon::venues::kraken;
}  // namespace

TEST_CASE("kraken v2 spec: endpoints, subscribe, unsubscribe, keep-alive", "[kraken][spec]") {
  auto s = spec_test::make(core::venue::kraken, {}, {{"depth", "25"}});
  CHECK(s->base().ws_url == "wss://ws.kraken.com/v2");
  CHECK(s->base().rest_url == "https://api.kraken.com");
  const std::vector<std::string> syms = {"ALGO/USD", "MATIC/USD"};
  CHECK(s->subscribe(syms) ==
        std::vector<std::string>{
            R"({"method":"subscribe","params":{"channel":"book","symbol":["ALGO/USD","MATIC/USD"],"depth":25,"snapshot":true},"req_id":1})"});
  CHECK(s->unsubscribe_one("ALGO/USD") ==
        std::vector<std::string>{
            R"({"method":"unsubscribe","params":{"channel":"book","symbol":["ALGO/USD"],"depth":25},"req_id":1001})"});
  const auto k = s->keepalive();
  CHECK(k.payload == R"({"method":"ping"})");
  CHECK(k.interval_ms == 30'000);
  CHECK_FALSE(k.server_pings);
  CHECK_FALSE(s->metadata_request("ALGO/USD"));
  CHECK_FALSE(s->snapshot_request("ALGO/USD", 10));
  spec_test::check_sane(*s);
  spec_test::check_json(s->subscribe(syms));
  CHECK(s->limits().connections.count == 150);
  CHECK(s->limits().connections.per_seconds == 600);
}

TEST_CASE("kraken v2 connect: instrument channel first unless every precision is set",
          "[kraken][spec]") {
  const std::vector<std::string> syms = {"BTC/USD", "ETH/USD"};
  auto s = spec_test::make(core::venue::kraken, {}, {}, "wss://sim.local:9443/v2/");
  const auto plan = s->connect(syms);
  CHECK(plan.url == "wss://sim.local:9443/v2");  // the override, trailing '/' dropped
  REQUIRE(plan.frames.size() == 2);
  CHECK(plan.frames[0] ==
        R"({"method":"subscribe","params":{"channel":"instrument","snapshot":true},"req_id":100})");
  CHECK(plan.frames[1].find(R"("symbol":["BTC/USD","ETH/USD"],"depth":10)") != std::string::npos);

  auto all_set = spec_test::make(core::venue::kraken, {},
                                 {{"precision.BTC/USD", "1:8"}, {"precision.ETH/USD", "2:8"}});
  CHECK(all_set->connect(syms).frames.size() == 1);
  // 250 pairs: three frames of at most 100.
  std::vector<std::string> many;
  for (int i = 0; i < 250; ++i) many.push_back("S" + std::to_string(i) + "/USD");
  CHECK(all_set->subscribe(many).size() == 3);
}

TEST_CASE("kraken v1 spec: the reference capture's subscribe frame", "[kraken][spec]") {
  const std::vector<std::string> pairs = {"WAVES/EUR", "XMR/USD", "KSM/XBT", "GRT/ETH", "SC/EUR",
                                          "ETH/CHF",   "OCEAN/XBT", "OMG/USD", "XBT/CHF",
                                          "ADA/XBT"};
  const auto sent = test::read_lines(test::data_path("kraken/v1_book1000_cryptofeed_2021.sent.jsonl"));
  REQUIRE(sent.size() >= 1);
  auto s = spec_test::make(core::venue::kraken_v1, {}, {{"depth", "1000"}});
  CHECK(s->base().ws_url == "wss://ws.kraken.com");
  const auto plan = s->connect(pairs);
  CHECK(plan.url == "wss://ws.kraken.com");
  CHECK(plan.frames == std::vector<std::string>{sent[0]});
  CHECK(s->unsubscribe_one("XMR/USD") ==
        std::vector<std::string>{
            R"({"event":"unsubscribe","pair":["XMR/USD"],"subscription":{"name":"book","depth":1000}})"});
  CHECK(s->keepalive().payload == R"({"event":"ping"})");
  spec_test::check_sane(*s);
  // Symbols are JSON-escaped.
  CHECK(s->subscribe_one("A\"B\\C") ==
        std::vector<std::string>{
            R"({"event":"subscribe","pair":["A\"B\\C"],"subscription":{"name":"book","depth":1000}})"});
}

TEST_CASE("kraken protocols take their frames from the spec", "[kraken][spec]") {
  venues::protocol_options opt;
  opt.symbols = {"BTC/USD", "ETH/USD"};
  opt.settings["depth"] = "25";
  auto p = venues::make_protocol(core::venue::kraken, opt);
  REQUIRE(p);
  CHECK(p.value()->subscribe_messages() == p.value()->spec().connect(opt.symbols).frames);
  CHECK(p.value()->unsubscribe_messages("ETH/USD") == p.value()->spec().unsubscribe_one("ETH/USD"));
  opt.symbols.clear();  // replay: nothing configured, nothing to subscribe
  auto r = venues::make_protocol(core::venue::kraken, opt);
  REQUIRE(r);
  CHECK(r.value()->subscribe_messages().empty());
}

TEST_CASE("kraken settings are validated by the factory", "[kraken][settings]") {
  auto bad = [](std::map<std::string, std::string> kv, std::string_view says) {
    venues::protocol_options opt;
    opt.settings = std::move(kv);
    for (core::venue v : {core::venue::kraken, core::venue::kraken_v1}) {
      auto p = venues::make_protocol(v, opt);
      REQUIRE_FALSE(p);
      CHECK(p.code() == core::errc::invalid_argument);
      INFO(p.err().detail);
      CHECK(std::string(p.err().detail).find(says) != std::string::npos);
      CHECK_FALSE(venues::make_spec(v, opt));
    }
  };
  bad({{"depth", "15"}}, "kraken setting depth");
  bad({{"depth", "abc"}}, "kraken setting depth");
  bad({{"depth", ""}}, "kraken setting depth");
  bad({{"depth", "-10"}}, "kraken setting depth");
  bad({{"precision.MATIC/USD", "4"}}, "kraken setting precision");
  bad({{"precision.MATIC/USD", "4:"}}, "kraken setting precision");
  bad({{"precision.MATIC/USD", "x:8"}}, "kraken setting precision");
  bad({{"precision.MATIC/USD", "19:8"}}, "kraken setting precision");
  bad({{"precision.MATIC/USD", "4:8:1"}}, "kraken setting precision");
  bad({{"precision.", "4:8"}}, "unknown setting 'precision.'");
  bad({{"channel", "books"}}, "unknown setting 'channel' (valid: depth, precision.<SYMBOL>)");

  auto good = parse_settings(core::venue::kraken, {{"depth", "500"}, {"precision.MATIC/USD", "4:8"},
                                                   {"precision.XBT/USD", "1:0"}});
  REQUIRE(good);
  CHECK(good->depth == 500);
  CHECK(good->depth_given);
  CHECK(good->precisions.at("MATIC/USD") == pair_precisions{4, 8});
  CHECK(good->precisions.at("XBT/USD") == pair_precisions{1, 0});
  auto def = parse_settings(core::venue::kraken, {});
  REQUIRE(def);
  CHECK(def->depth == 10);
  CHECK_FALSE(def->depth_given);
  for (const char* d : {"10", "25", "100", "500", "1000"})
    CHECK(parse_settings(core::venue::kraken, {{"depth", d}}));
}

TEST_CASE("kraken instruments: BASE/QUOTE, v1's XBT and XDG are BTC and DOGE", "[kraken][spec]") {
  auto v2 = spec_test::make(core::venue::kraken);
  CHECK(spec_test::instrument(*v2, "BTC/USD") == spec_test::inst{"BTC", "USD", "1"});
  CHECK(spec_test::instrument(*v2, "MINA/GBP") == spec_test::inst{"MINA", "GBP", "1"});
  auto v1 = spec_test::make(core::venue::kraken_v1);
  CHECK(spec_test::instrument(*v1, "XBT/USD") == spec_test::inst{"BTC", "USD", "1"});
  CHECK(spec_test::instrument(*v1, "XDG/EUR") == spec_test::inst{"DOGE", "EUR", "1"});
  CHECK(spec_test::instrument(*v1, "ETH/XBT") == spec_test::inst{"ETH", "BTC", "1"});
  CHECK(spec_test::instrument(*v1, "XBTUSD") == spec_test::inst{"", "", ""});
}
