// Coinbase's connection contracts (venues/coinbase/spec.hpp), RFC 3339 times, and the bulk
// snapshot load both feeds rely on (any level order).
#include "venues/coinbase/spec.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "../common/spec_checks.hpp"
#include "book/l2_book.hpp"
#include "core/time.hpp"
#include "venues/common/wire.hpp"

using namespace depthmon;
using namespace depthmon::venues::coinbase;

TEST_CASE("coinbase advanced trade spec", "[coinbase][spec]") {
  auto s = spec_test::make(core::venue::coinbase);
  CHECK(s->base().ws_url == "wss://advanced-trade-ws.coinbase.com");
  CHECK(s->base().rest_url == "https://api.coinbase.com");
  const std::vector<std::string> p{"BTC-USD", "SOL-USD"};
  const auto plan = s->connect(p);
  CHECK(plan.url == "wss://advanced-trade-ws.coinbase.com");
  CHECK(plan.frames ==
        std::vector<std::string>{
            R"({"type":"subscribe","product_ids":["BTC-USD","SOL-USD"],"channel":"level2"})",
            R"({"type":"subscribe","channel":"heartbeats"})"});
  CHECK(s->unsubscribe(p) ==
        std::vector<std::string>{
            R"({"type":"unsubscribe","product_ids":["BTC-USD","SOL-USD"],"channel":"level2"})"});
  CHECK(s->subscribe({}).empty());
  CHECK(s->keepalive().payload.empty());  // the heartbeats channel keeps it open
  CHECK(s->limits().connections.count == 8);
  CHECK(s->limits().client_messages.count == 8);
  CHECK_FALSE(s->snapshot_request("BTC-USD", 0));
  spec_test::check_sane(*s);
  spec_test::check_json(plan.frames);
  auto sim = spec_test::make(core::venue::coinbase, {}, {}, "ws://127.0.0.1:7000");
  CHECK(sim->connect(p).url == "ws://127.0.0.1:7000");
}

TEST_CASE("coinbase exchange spec", "[coinbase][spec]") {
  auto s = spec_test::make(core::venue::coinbase_exchange);
  CHECK(s->base().ws_url == "wss://ws-feed.exchange.coinbase.com");
  CHECK(s->base().rest_url == "https://api.exchange.coinbase.com");
  const std::vector<std::string> p{"BTC-USD", "SOL-USD"};
  CHECK(s->connect(p).frames ==
        std::vector<std::string>{
            R"({"type":"subscribe","product_ids":["BTC-USD","SOL-USD"],"channels":["level2_batch","heartbeat"]})"});
  const std::vector<std::string> odd{"A\"B\\C"};
  CHECK(s->unsubscribe(odd) ==
        std::vector<std::string>{
            R"({"type":"unsubscribe","product_ids":["A\"B\\C"],"channels":["level2_batch","heartbeat"]})"});
  spec_test::check_sane(*s);
  // The protocol sends what the spec builds.
  venues::protocol_options o;
  o.symbols = p;
  auto proto = venues::make_protocol(core::venue::coinbase_exchange, o);
  REQUIRE(proto);
  CHECK(proto.value()->subscribe_messages() == s->connect(p).frames);
}

TEST_CASE("RFC 3339 timestamps", "[coinbase][time]") {
  CHECK(*core::parse_rfc3339("1970-01-01T00:00:00Z") == 0);
  CHECK(*core::parse_rfc3339("2021-04-17T16:43:37.075687Z") == 1618677817075687000LL);
  CHECK(*core::parse_rfc3339("2023-02-09T20:32:50.714964855Z") == 1675974770714964855LL);
  CHECK(*core::parse_rfc3339("2023-02-09T20:32:50.7149648559Z") == 1675974770714964855LL);
  CHECK(*core::parse_rfc3339("2023-02-09T21:32:50+01:00") == 1675974770LL * 1'000'000'000);
  CHECK(*core::parse_rfc3339("2000-02-29T00:00:00Z") == 951782400LL * 1'000'000'000);
  CHECK(core::parse_rfc3339("9999-12-31T23:59:59Z").code() == core::errc::number_overflow);
  CHECK(*core::parse_rfc3339("2262-04-11T23:47:16Z") == 9223372036000000000LL);
  for (const char* bad : {"", "2023-02-09", "2023-02-09T20:32:50", "2023-13-09T20:32:50Z",
                          "2023-02-09 20:32:50.1 +0000 UTC", "2023-02-09T20:32:50.Z", "2023-02-09T20:32:50Zx"}) {
    INFO(bad);
    CHECK(!core::parse_rfc3339(bad));
  }
}

TEST_CASE("snapshot loader: any order, last repeat wins", "[coinbase][book]") {
  auto d = [](const char* s) { return *core::parse_decimal(s); };
  auto lvl = [&](const char* p, const char* q) { return venues::wire_level{d(p), d(q)}; };
  for (int order = 0; order < 3; ++order) {
    INFO(order);
    std::vector<venues::wire_level> bids{lvl("100", "1"), lvl("99.5", "2"), lvl("98", "3")};
    std::vector<venues::wire_level> asks{lvl("101", "1"), lvl("101.25", "2"), lvl("103", "3")};
    if (order == 1) {  // worst first
      std::reverse(bids.begin(), bids.end());
      std::reverse(asks.begin(), asks.end());
    } else if (order == 2) {  // shuffled with a repeated price (the later size wins)
      bids = {lvl("99.5", "7"), lvl("100", "1"), lvl("98", "3"), lvl("99.5", "2")};
      asks = {lvl("103", "3"), lvl("101", "1"), lvl("101.25", "2")};
    }
    book::l2_book b;
    REQUIRE(venues::load_snapshot(b, bids, asks).ok());
    REQUIRE(b.size(core::side::bid) == 3);
    REQUIRE(b.size(core::side::ask) == 3);
    CHECK(core::to_canonical_string(b.nth(core::side::bid, 0).price, b.price_scale()) == "100");
    CHECK(core::to_canonical_string(b.nth(core::side::bid, 1).price, b.price_scale()) == "99.5");
    CHECK(core::to_canonical_string(b.nth(core::side::bid, 1).qty, b.qty_scale()) == "2");
    CHECK(core::to_canonical_string(b.nth(core::side::bid, 2).price, b.price_scale()) == "98");
    CHECK(core::to_canonical_string(b.nth(core::side::ask, 0).price, b.price_scale()) == "101");
    CHECK(core::to_canonical_string(b.nth(core::side::ask, 1).price, b.price_scale()) == "101.25");
    CHECK(core::to_canonical_string(b.nth(core::side::ask, 2).price, b.price_scale()) == "103");
  }
  // A size of "0" inside a snapshot simply leaves no level.
  std::vector<venues::wire_level> bids{lvl("100", "0")}, asks{};
  book::l2_book b;
  REQUIRE(venues::load_snapshot(b, bids, asks).ok());
  CHECK(b.empty());
}

TEST_CASE("snapshot loader: large best-first book stays fast", "[coinbase][book]") {
  // 200 000 levels per side, best first (the Exchange's order): must not be quadratic.
  std::vector<venues::wire_level> bids, asks;
  for (std::int64_t i = 0; i < 200000; ++i) {
    bids.push_back({core::decimal{1000000 - i, 2}, core::decimal{1, 0}});
    asks.push_back({core::decimal{1000001 + i, 2}, core::decimal{1, 0}});
  }
  book::l2_book b;
  REQUIRE(venues::load_snapshot(b, bids, asks).ok());
  CHECK(b.size(core::side::bid) == 200000);
  CHECK(b.best(core::side::bid)->price == 1000000);
  CHECK(b.best(core::side::ask)->price == 1000001);
}

TEST_CASE("coinbase instruments: BASE-QUOTE", "[coinbase][spec]") {
  for (auto v : {depthmon::core::venue::coinbase, depthmon::core::venue::coinbase_exchange}) {
    auto s = spec_test::make(v);
    CHECK(spec_test::instrument(*s, "BTC-USD") == spec_test::inst{"BTC", "USD", "1"});
    CHECK(spec_test::instrument(*s, "ETH-USDC") == spec_test::inst{"ETH", "USDC", "1"});
    CHECK(spec_test::instrument(*s, "BTCUSD") == spec_test::inst{"", "", ""});
    CHECK(spec_test::instrument(*s, "-USD") == spec_test::inst{"", "", ""});
  }
}
