// Kraken subscribe builders (subscribe.hpp), settings validation (settings.hpp) and what the
// protocol asks its owner to send.
#include "venues/kraken/subscribe.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/json.hpp"
#include "support/run.hpp"
#include "venues/kraken/settings.hpp"
#include "venues/kraken/sync.hpp"
#include "venues/protocol.hpp"

namespace {
using namespace depthmon;
using namespace depthmon::venues::kraken;

std::unique_ptr<venues::venue_protocol> make(core::venue v, venues::protocol_options opt) {
  auto p = venues::make_protocol(v, opt);
  REQUIRE(p);
  return std::move(p).value();
}
}  // namespace

TEST_CASE("v2 book subscribe / unsubscribe frames", "[kraken][subscribe]") {
  const std::vector<std::string> syms = {"ALGO/USD", "MATIC/USD"};
  CHECK(v2_book_subscribe(syms, 10, 1) ==
        R"({"method":"subscribe","params":{"channel":"book","symbol":["ALGO/USD","MATIC/USD"],"depth":10,"snapshot":true},"req_id":1})");
  CHECK(v2_book_unsubscribe(std::span(syms).subspan(0, 1), 10, 7) ==
        R"({"method":"unsubscribe","params":{"channel":"book","symbol":["ALGO/USD"],"depth":10},"req_id":7})");
  CHECK(v2_instrument_subscribe(3) ==
        R"({"method":"subscribe","params":{"channel":"instrument","snapshot":true},"req_id":3})");
  CHECK(v2_ping(101) == R"({"method":"ping","req_id":101})");
  // Every frame is valid JSON.
  simdjson::dom::parser p;
  CHECK_NOTHROW(test::parse_json(p, v2_book_subscribe(syms, 1000, 2)));
}

TEST_CASE("v1 subscribe frame is what the reference capture's client sent", "[kraken][subscribe]") {
  const std::vector<std::string> pairs = {"WAVES/EUR", "XMR/USD", "KSM/XBT", "GRT/ETH", "SC/EUR",
                                          "ETH/CHF",   "OCEAN/XBT", "OMG/USD", "XBT/CHF",
                                          "ADA/XBT"};
  const auto sent = test::read_lines(test::data_path("kraken/v1_book1000_cryptofeed_2021.sent.jsonl"));
  REQUIRE(sent.size() >= 1);
  CHECK(v1_book_subscribe(pairs, 1000) == sent[0]);
  CHECK(v1_book_unsubscribe(std::span(pairs).subspan(1, 1), 1000) ==
        R"({"event":"unsubscribe","pair":["XMR/USD"],"subscription":{"name":"book","depth":1000}})");
  CHECK(v1_ping(4) == R"({"event":"ping","reqid":4})");
}

TEST_CASE("symbols are JSON-escaped", "[kraken][subscribe]") {
  const std::vector<std::string> odd = {"A\"B\\C"};
  CHECK(v1_book_subscribe(odd, 10) ==
        R"({"event":"subscribe","pair":["A\"B\\C"],"subscription":{"name":"book","depth":10}})");
}

TEST_CASE("protocol subscribe_messages", "[kraken][subscribe]") {
  venues::protocol_options opt;
  opt.symbols = {"BTC/USD", "ETH/USD"};
  SECTION("v2 without configured precisions subscribes to the instrument channel first") {
    opt.settings["depth"] = "25";
    auto p = make(core::venue::kraken, opt);
    const auto m = p->subscribe_messages();
    REQUIRE(m.size() == 2);
    CHECK(m[0] == v2_instrument_subscribe(1));
    CHECK(m[1] ==
          R"({"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD","ETH/USD"],"depth":25,"snapshot":true},"req_id":2})");
    const auto u = p->unsubscribe_messages("ETH/USD");
    REQUIRE(u.size() == 1);
    CHECK(u[0].find(R"("symbol":["ETH/USD"],"depth":25)") != std::string::npos);
    CHECK(u[0].find(R"("method":"unsubscribe")") != std::string::npos);
  }
  SECTION("v2 with every precision configured needs no instrument channel") {
    opt.settings["precision.BTC/USD"] = "1:8";
    opt.settings["precision.ETH/USD"] = "2:8";
    auto p = make(core::venue::kraken, opt);
    const auto m = p->subscribe_messages();
    REQUIRE(m.size() == 1);
    CHECK(m[0].find(R"("channel":"book")") != std::string::npos);
    CHECK(m[0].find(R"("depth":10)") != std::string::npos);  // default depth
  }
  SECTION("v1") {
    opt.settings["depth"] = "1000";
    auto p = make(core::venue::kraken_v1, opt);
    const auto m = p->subscribe_messages();
    REQUIRE(m.size() == 1);
    CHECK(m[0] ==
          R"({"event":"subscribe","pair":["BTC/USD","ETH/USD"],"subscription":{"name":"book","depth":1000}})");
    CHECK(p->unsubscribe_messages("BTC/USD")[0] ==
          R"({"event":"unsubscribe","pair":["BTC/USD"],"subscription":{"name":"book","depth":1000}})");
  }
  SECTION("many symbols are split over several frames") {
    opt.symbols.clear();
    for (int i = 0; i < 250; ++i) opt.symbols.push_back("S" + std::to_string(i) + "/USD");
    auto p = make(core::venue::kraken_v1, opt);
    CHECK(p->subscribe_messages().size() == 3);
  }
  SECTION("no symbols: nothing to subscribe (replay)") {
    opt.symbols.clear();
    auto p = make(core::venue::kraken, opt);
    CHECK(p->subscribe_messages().empty());
  }
}

TEST_CASE("kraken settings are validated by the factory", "[kraken][settings]") {
  auto bad = [](std::map<std::string, std::string> kv) {
    venues::protocol_options opt;
    opt.settings = std::move(kv);
    for (core::venue v : {core::venue::kraken, core::venue::kraken_v1}) {
      auto p = venues::make_protocol(v, opt);
      REQUIRE_FALSE(p);
      CHECK(p.code() == core::errc::invalid_argument);
      CHECK(std::string(p.err().detail).find("kraken setting") != std::string::npos);
    }
  };
  bad({{"depth", "15"}});
  bad({{"depth", "abc"}});
  bad({{"depth", ""}});
  bad({{"depth", "-10"}});
  bad({{"precision.MATIC/USD", "4"}});
  bad({{"precision.MATIC/USD", "4:"}});
  bad({{"precision.MATIC/USD", "x:8"}});
  bad({{"precision.MATIC/USD", "19:8"}});
  bad({{"precision.MATIC/USD", "4:8:1"}});
  bad({{"precision.", "4:8"}});
  bad({{"channel", "books"}});

  auto good = parse_settings({{"depth", "500"}, {"precision.MATIC/USD", "4:8"},
                              {"precision.XBT/USD", "1:0"}});
  REQUIRE(good);
  CHECK(good->depth == 500);
  CHECK(good->depth_given);
  CHECK(good->precisions.at("MATIC/USD") == pair_precisions{4, 8});
  CHECK(good->precisions.at("XBT/USD") == pair_precisions{1, 0});
  auto def = parse_settings({});
  REQUIRE(def);
  CHECK(def->depth == 10);
  CHECK_FALSE(def->depth_given);
  for (const char* d : {"10", "25", "100", "500", "1000"}) CHECK(parse_settings({{"depth", d}}));
}
