// venues/okx/settings (factory validation, ctval) and venues/okx/spec (the connection contract).
#include "venues/okx/settings.hpp"
#include "venues/okx/spec.hpp"
#include "venues/okx/sync.hpp"

#include <catch2/catch.hpp>
#include <simdjson.h>

#include <string>

#include "../common/spec_checks.hpp"

using namespace depthmon;
using namespace depthmon::venues::okx;
using core::errc;

namespace {
core::result<std::unique_ptr<venues::venue_protocol>> make(
    std::map<std::string, std::string> settings, std::vector<std::string> symbols = {}) {
  venues::protocol_options o;
  o.settings = std::move(settings);
  o.symbols = std::move(symbols);
  return venues::make_protocol(core::venue::okx, o);
}
}  // namespace

TEST_CASE("channel setting", "[okx][settings]") {
  {
    auto p = make({});
    REQUIRE(p.ok());
    CHECK(dynamic_cast<protocol&>(*p.value()).book_channel() == channel::books);
    CHECK(p.value()->venue() == core::venue::okx);
  }
  for (auto [name, c] : {std::pair{"books", channel::books}, std::pair{"books5", channel::books5},
                         std::pair{"bbo-tbt", channel::bbo_tbt},
                         std::pair{"books-l2-tbt", channel::books_l2_tbt},
                         std::pair{"books50-l2-tbt", channel::books50_l2_tbt}}) {
    auto p = make({{"channel", name}});
    REQUIRE(p.ok());
    CHECK(dynamic_cast<protocol&>(*p.value()).book_channel() == c);
  }
  CHECK(view_depth(channel::books) == 400);
  CHECK(view_depth(channel::books5) == 5);
  CHECK(view_depth(channel::bbo_tbt) == 1);
  for (const char* bad : {"", "Books", "books400", "trades", "books5 "}) {
    INFO(bad);
    auto p = make({{"channel", bad}});
    REQUIRE_FALSE(p.ok());
    CHECK(p.code() == errc::invalid_argument);
    CHECK(std::string(p.err().detail).find("channel") != std::string::npos);
  }
}

TEST_CASE("unknown settings and bad symbols are refused", "[okx][settings]") {
  auto p = make({{"depth", "400"}});
  REQUIRE_FALSE(p.ok());
  CHECK(p.code() == errc::invalid_argument);
  CHECK(std::string(p.err().detail) ==
        "okx: unknown setting 'depth' (valid: channel, ctval.<SYMBOL>)");
  CHECK(make({{"ctval.", "1"}}).code() == errc::invalid_argument);
  CHECK(make({}, {"BTC-USDT", ""}).code() == errc::invalid_argument);
  CHECK(make({}, {"BTC-USDT\"}"}).code() == errc::invalid_argument);
  CHECK(make({}, {"BTC-USDT", "BTC-USD-220527-30000-C"}).ok());
}

TEST_CASE("contract values for derivatives", "[okx][settings]") {
  auto p = make({{"ctval.BTC-USDT-SWAP", "0.01"}, {"ctval.BTC-USD-220527", "100"}});
  REQUIRE(p.ok());
  const auto& okx = dynamic_cast<protocol&>(*p.value());
  CHECK(okx.contract_value("BTC-USDT-SWAP") == core::decimal{1, 2});
  CHECK(okx.contract_value("BTC-USD-220527") == core::decimal{100, 0});
  CHECK(okx.contract_value("BTC-USDT") == core::decimal{1, 0});  // spot: sizes are base units
  CHECK_FALSE(okx.contract_value("ETH-USDT-SWAP").has_value());   // derivative, unknown ctVal
  CHECK(is_contract_instrument("BTC-USDT-SWAP"));
  CHECK(is_contract_instrument("BTC-USD-220527-30000-C"));
  CHECK_FALSE(is_contract_instrument("BTC-USDT"));

  for (const char* v : {"0", "-1", "abc", "", "1e99"}) {
    INFO(v);
    auto q = make({{"ctval.BTC-USDT-SWAP", v}});
    REQUIRE_FALSE(q.ok());
    CHECK(q.code() == errc::invalid_argument);
    CHECK(std::string(q.err().detail).find("ctval") != std::string::npos);
  }
  // Spot has no contract value; a ctval for an instrument not configured is a typo.
  CHECK(make({{"ctval.BTC-USDT", "1"}}).code() == errc::invalid_argument);
  CHECK(make({{"ctval.ETH-USDT-SWAP", "0.1"}}, {"BTC-USDT-SWAP"}).code() == errc::invalid_argument);
  CHECK(make({{"ctval.BTC-USDT-SWAP", "0.01"}}, {"BTC-USDT-SWAP"}).ok());
}

TEST_CASE("okx spec: endpoints, subscribe / unsubscribe, keep-alive, limits", "[okx][spec]") {
  auto sp = spec_test::make(core::venue::okx);
  CHECK(sp->base().ws_url == "wss://ws.okx.com:8443/ws/v5/public");
  CHECK(sp->base().rest_url == "https://www.okx.com");
  const std::vector<std::string> syms{"BTC-USDT"};
  CHECK(sp->connect(syms).url == "wss://ws.okx.com:8443/ws/v5/public");
  CHECK(sp->subscribe(syms) ==
        std::vector<std::string>{
            R"({"id":"s1","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})"});
  CHECK(sp->unsubscribe(syms) ==
        std::vector<std::string>{
            R"({"id":"u1","op":"unsubscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})"});
  const auto k = sp->keepalive();
  CHECK(k.payload == "ping");
  CHECK(k.interval_ms == keepalive_idle_ms);
  CHECK(k.interval_ms < 30'000);
  CHECK(k.idle_timeout_ms == 30'000);
  CHECK(pong_frame == "pong");
  const auto l = sp->limits();
  CHECK(l.connections.count == 3);
  CHECK(l.connections.per_seconds == 1);
  CHECK(l.client_messages.count == 480);
  CHECK(l.client_messages.per_seconds == 3600);
  CHECK(l.streams_per_connection < 30);
  spec_test::check_sane(*sp);

  // Overridden bases (a simulator, the demo host) are used as given.
  auto sim = spec_test::make(core::venue::okx, {}, {{"channel", "bbo-tbt"}},
                             "ws://127.0.0.1:9000/ws/v5/public", "http://127.0.0.1:9000");
  const std::vector<std::string> two{"BTC-USDT", "ETH-USDT-SWAP"};
  const auto plan = sim->connect(two);
  CHECK(plan.url == "ws://127.0.0.1:9000/ws/v5/public");
  CHECK(plan.frames ==
        std::vector<std::string>{
            R"({"id":"s1","op":"subscribe","args":[{"channel":"bbo-tbt","instId":"BTC-USDT"},{"channel":"bbo-tbt","instId":"ETH-USDT-SWAP"}]})"});

  // One request per 100 instruments, each valid JSON.
  std::vector<std::string> many;
  for (int i = 0; i < 250; ++i) many.push_back("C" + std::to_string(i) + "-USDT");
  auto p = make({{"channel", "books5"}}, many);
  REQUIRE(p.ok());
  const auto subs = p.value()->subscribe_messages();
  REQUIRE(subs.size() == 3);
  spec_test::check_json(subs);
  simdjson::dom::parser parser;
  std::size_t args = 0;
  for (const auto& s : subs) {
    simdjson::dom::element doc = parser.parse(s);
    CHECK(std::string_view(doc["op"]) == "subscribe");
    for (auto a : simdjson::dom::array(doc["args"])) {
      CHECK(std::string_view(a["channel"]) == "books5");
      ++args;
    }
  }
  CHECK(args == 250);
  CHECK(subs[2].starts_with(R"({"id":"s3",)"));
  const auto& ps = p.value()->spec();
  CHECK(ps.subscribe_one("C7-USDT") ==
        std::vector<std::string>{
            R"({"id":"s1","op":"subscribe","args":[{"channel":"books5","instId":"C7-USDT"}]})"});
  CHECK(p.value()->unsubscribe_messages("C7-USDT") == ps.unsubscribe_one("C7-USDT"));
  // OKX starts books from the websocket: no REST snapshots.
  core::padded_buffer buf;
  CHECK(p.value()->on_snapshot("C7-USDT", buf.assign("{}"), 0).code() == errc::invalid_argument);
  CHECK_FALSE(venues::uses_rest_snapshot(core::venue::okx));
  CHECK_FALSE(ps.snapshot_request("C7-USDT", 400));
}

TEST_CASE("okx spec: instrument metadata only where no ctval setting gives it", "[okx][spec]") {
  auto sp = spec_test::make(core::venue::okx, {"BTC-USDT", "BTC-USDT-SWAP", "ETH-USDT-SWAP",
                                               "BTC-USD-220527", "BTC-USD-220527-30000-C"},
                            {{"ctval.ETH-USDT-SWAP", "0.1"}}, {}, "https://sim.local/");
  CHECK_FALSE(sp->metadata_request("BTC-USDT"));       // spot: sizes are base currency
  CHECK_FALSE(sp->metadata_request("ETH-USDT-SWAP"));  // the setting gives it
  const auto swap = sp->metadata_request("BTC-USDT-SWAP");
  REQUIRE(swap);
  CHECK(swap->method == "GET");
  CHECK(sp->rest_url(*swap) ==
        "https://sim.local/api/v5/public/instruments?instType=SWAP&instId=BTC-USDT-SWAP");
  CHECK(sp->metadata_request("BTC-USD-220527")->query == "instType=FUTURES&instId=BTC-USD-220527");
  CHECK(sp->metadata_request("BTC-USD-220527-30000-C")->query ==
        "instType=OPTION&instFamily=BTC-USD&instId=BTC-USD-220527-30000-C");
}

// A real GET /api/v5/public/instruments answer (BTC-USD-SWAP, as quoted in
// github.com/burakoner/OKX.Api issue 7), in OKX's {"code","msg","data"} envelope.
constexpr std::string_view k_btc_usd_swap = R"({"code":"0","msg":"","data":[{"alias":"","baseCcy":"","category":"1","ctMult":"1","ctType":"inverse","ctVal":"100","ctValCcy":"USD","expTime":"","instFamily":"BTC-USD","instId":"BTC-USD-SWAP","instType":"SWAP","lever":"125","listTime":"1611916828000","lotSz":"1","maxIcebergSz":"100000000.0000000000000000","maxLmtSz":"100000000","maxMktSz":"10000","maxStopSz":"10000","maxTriggerSz":"100000000.0000000000000000","maxTwapSz":"100000000.0000000000000000","minSz":"1","optType":"","quoteCcy":"","settleCcy":"BTC","state":"live","stk":"","tickSz":"0.1","uly":"BTC-USD"}]})";

TEST_CASE("okx spec: the instruments answer supplies ctVal where no setting does",
          "[okx][spec]") {
  auto sp = spec_test::make(core::venue::okx, {"BTC-USD-SWAP", "BTC-USDT"}, {}, {}, {});
  std::map<std::string, std::string> settings;
  REQUIRE(sp->apply_metadata("BTC-USD-SWAP", k_btc_usd_swap, settings));
  CHECK(settings == std::map<std::string, std::string>{{"ctval.BTC-USD-SWAP", "100"}});
  // Protocols built from the learned settings know the contract value.
  auto p = make(settings, {"BTC-USD-SWAP", "BTC-USDT"});
  REQUIRE(p);
  const auto* okx = dynamic_cast<const protocol*>(p.value().get());
  REQUIRE(okx != nullptr);
  REQUIRE(okx->contract_value("BTC-USD-SWAP"));
  CHECK(core::to_string(*okx->contract_value("BTC-USD-SWAP")) == "100");

  // A setting wins: the answer is not even read.
  std::map<std::string, std::string> given{{"ctval.BTC-USD-SWAP", "50"}};
  REQUIRE(sp->apply_metadata("BTC-USD-SWAP", "not json", given));
  CHECK(given.at("ctval.BTC-USD-SWAP") == "50");
  // Spot sizes are base currency: nothing to learn.
  std::map<std::string, std::string> spot;
  REQUIRE(sp->apply_metadata("BTC-USDT", k_btc_usd_swap, spot));
  CHECK(spot.empty());

  // Errors leave the settings untouched.
  std::map<std::string, std::string> none;
  CHECK(sp->apply_metadata("BTC-USD-SWAP",
                           R"({"code":"51001","msg":"Instrument ID does not exist","data":[]})",
                           none)
            .code() == errc::unknown_message);
  CHECK(sp->apply_metadata("BTC-USD-SWAP", R"({"code":"0","msg":"","data":[]})", none).code() ==
        errc::missing_field);
  CHECK(sp->apply_metadata("ETH-USD-SWAP", k_btc_usd_swap, none).code() == errc::missing_field);
  CHECK(sp->apply_metadata("BTC-USD-SWAP",
                           R"({"code":"0","data":[{"instId":"BTC-USD-SWAP","ctVal":"0"}]})", none)
            .code() == errc::bad_number);
  CHECK(sp->apply_metadata("BTC-USD-SWAP", R"({"code":"0","data":[{"instId")", none).code() ==
        errc::malformed_json);
  CHECK(none.empty());
}

TEST_CASE("okx spec: ping only after an idle receive interval", "[okx][spec]") {
  auto sp = spec_test::make(core::venue::okx);
  CHECK(sp->keepalive().after_receive_idle);
  // Venues whose keep-alive is a timer on sending keep the default.
  CHECK_FALSE(spec_test::make(core::venue::bybit)->keepalive().after_receive_idle);
}

TEST_CASE("REST weight budgets per minute where the venue documents one", "[spec][limits]") {
  CHECK(spec_test::make(core::venue::binance)->limits().rest_weight_per_minute == 6000);
  CHECK(spec_test::make(core::venue::binance_usdm)->limits().rest_weight_per_minute == 2400);
  CHECK(spec_test::make(core::venue::hyperliquid)->limits().rest_weight_per_minute == 1200);
  CHECK(spec_test::make(core::venue::okx)->limits().rest_weight_per_minute == 0);  // undocumented
}

TEST_CASE("okx instruments: spot, linear swaps with ctval from settings or metadata", "[okx][spec]") {
  auto sp = spec_test::make(core::venue::okx, {"BTC-USDT", "ETH-USDT-SWAP"},
                            {{"ctval.ETH-USDT-SWAP", "0.1"}});
  CHECK(spec_test::instrument(*sp, "BTC-USDT") == spec_test::inst{"BTC", "USDT", "1"});
  CHECK(spec_test::instrument(*sp, "ETH-USDT-SWAP") == spec_test::inst{"ETH", "USDT", "0.1"});  // the spec's setting
  // What apply_metadata learned (the feed's settings) counts where the spec has nothing.
  CHECK(spec_test::instrument(*sp, "BTC-USDT-SWAP") == spec_test::inst{"", "", ""});
  CHECK(spec_test::instrument(*sp, "BTC-USDT-SWAP", {{"ctval.BTC-USDT-SWAP", "0.01"}}) ==
        spec_test::inst{"BTC", "USDT", "0.01"});
  CHECK(spec_test::instrument(*sp, "BTC-USDC-250328", {{"ctval.BTC-USDC-250328", "0.0001"}}) ==
        spec_test::inst{"BTC", "USDC", "0.0001"});
  // Inverse (USD-sized) and option contracts have no base contract value.
  CHECK(spec_test::instrument(*sp, "BTC-USD-SWAP", {{"ctval.BTC-USD-SWAP", "100"}}) == spec_test::inst{"", "", ""});
  CHECK(spec_test::instrument(*sp, "BTC-USDT-250328-60000-C", {{"ctval.BTC-USDT-250328-60000-C", "1"}}) ==
        spec_test::inst{"", "", ""});
  CHECK(spec_test::instrument(*sp, "BTCUSDT") == spec_test::inst{"", "", ""});
}
