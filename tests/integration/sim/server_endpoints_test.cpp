// sim::server's control endpoints over real HTTP on 127.0.0.1: the truth (book JSON equal to
// the venue_sim's own truth, symbols with '/' plain or percent-encoded), faults (a good request
// is acknowledged and scheduled in the venue, bad ones get 400 naming the problem), REST
// refusals from a rest_429 fault counted in /sim/v1/stats, and pause/resume.
#include <catch2/catch.hpp>

#include <mutex>

#include "server_fixture.hpp"
#include "sim/truth.hpp"
#include "sim_support.hpp"
#include "support/json.hpp"

using namespace depthmon;
using namespace depthmon::test;

namespace {

sim::server_options two_venues() {
  sim::server_options o;
  o.venues = {core::venue::binance, core::venue::kraken};
  o.symbols_per_venue = 2;
  o.levels_scale = 0.2;
  o.rate = 50;
  return o;
}

}  // namespace

TEST_CASE("sim server: truth endpoint serves the venue_sim's book JSON", "[sim][integration]") {
  running_sim s(two_venues());
  REQUIRE(http_call("POST", s.control("/sim/v1/pause")).status == 200);

  const auto r = http_call("GET", s.control("/sim/v1/books/binance/BTCUSDT?levels=3"));
  INFO(r.error << r.body);
  REQUIRE(r.status == 200);
  std::string expected;
  {
    std::lock_guard lock(s.srv.mutex());
    expected = sim::truth_book_json(*s.srv.sim(core::venue::binance), "BTCUSDT", 3);
  }
  CHECK(r.body == expected);  // frozen market: exactly the truth
  simdjson::dom::parser p;
  auto doc = parse_json(p, r.body);
  CHECK(str(doc["venue"]) == "binance");
  CHECK(str(doc["symbol"]) == "BTCUSDT");
  CHECK(doc["bids"].get_array().size() == 3);
  CHECK(doc["asks"].get_array().size() == 3);

  // Kraken's "BTC/USD": as a path with '/' and percent-encoded, the same book.
  const auto plain = http_call("GET", s.control("/sim/v1/books/kraken/BTC/USD"));
  const auto encoded = http_call("GET", s.control("/sim/v1/books/kraken/BTC%2FUSD"));
  REQUIRE(plain.status == 200);
  CHECK(plain.body == encoded.body);
  CHECK(plain.body.find("\"symbol\":\"BTC/USD\"") != std::string::npos);

  CHECK(http_call("GET", s.control("/sim/v1/books/okx/BTC-USDT")).status == 404);  // not served
  CHECK(http_call("GET", s.control("/sim/v1/books/binance/NOPEUSDT")).status == 404);
  CHECK(http_call("GET", s.control("/sim/v1/books/binance/BTCUSDT?levels=x")).status == 400);

  // Resumed: the market moves again (the simulated clock runs).
  REQUIRE(http_call("POST", s.control("/sim/v1/resume")).status == 200);
  CHECK_FALSE(s.srv.paused());
}

TEST_CASE("sim server: faults endpoint acknowledges good requests and refuses bad ones", "[sim][integration]") {
  running_sim s(two_venues());
  const std::string url = s.control("/sim/v1/faults");

  const auto ok = http_call("POST", url, R"({"venue":"binance","symbol":"BTCUSDT","kind":"gap","duration_s":0})");
  INFO(ok.error << ok.body);
  REQUIRE(ok.status == 200);
  simdjson::dom::parser p;
  auto ack = parse_json(p, ok.body);
  CHECK(bool(ack["ok"]) == true);
  CHECK(str(ack["kind"]) == "gap");
  CHECK(str(ack["symbol"]) == "BTCUSDT");
  {
    std::lock_guard lock(s.srv.mutex());
    auto* v = s.srv.sim(core::venue::binance);
    CHECK(v->faults().pending(sim::fault_kind::gap, "BTCUSDT", v->now()));
    CHECK_FALSE(v->faults().pending(sim::fault_kind::gap, "ETHUSDT", v->now()));
  }

  struct bad_case {
    const char* body;
    const char* says;
  };
  const bad_case bad[] = {
      {"not json", "JSON"},
      {R"({"venue":"nowhere","kind":"gap"})", "'venue' must be one of"},
      {R"({"venue":"binance","kind":"explode"})", "'kind' must be one of"},
      {R"({"venue":"binance","kind":"gap","duration_s":-1})", "duration_s"},
      {R"({"venue":"binance","kind":"gap","symbol":7})", "symbol"},
      {R"({"venue":"okx","kind":"gap"})", "not served"},
      {R"({"venue":"binance","symbol":"NOPEUSDT","kind":"gap"})", "no symbol 'NOPEUSDT'"},
      {R"({"venue":"binance","kind":"bad_checksum"})", "not applicable"},  // Binance has none
  };
  for (const auto& b : bad) {
    const auto r = http_call("POST", url, b.body);
    INFO(b.body << " -> " << r.status << " " << r.body);
    CHECK(r.status == 400);
    CHECK(r.body.find(b.says) != std::string::npos);
    CHECK(r.body.rfind("{\"error\":", 0) == 0);
  }

  // A REST refusal window: the venue's snapshot endpoint answers 429 with Retry-After, counted.
  REQUIRE(http_call("POST", url, R"({"venue":"binance","symbol":null,"kind":"rest_429","duration_s":30})").status == 200);
  const auto refused = http_call("GET", s.srv.rest_url(core::venue::binance) + "/api/v3/depth?symbol=BTCUSDT&limit=100");
  CHECK(refused.status == 429);
  const auto stats = http_call("GET", s.control("/sim/v1/stats"));
  REQUIRE(stats.status == 200);
  auto st = parse_json(p, stats.body);
  bool seen = false;
  for (auto v : st["venues"].get_array()) {
    if (str(v["venue"]) != "binance") continue;
    seen = true;
    CHECK(std::uint64_t(v["rest_requests"]) == 1);
    CHECK(std::uint64_t(v["rest_refused"]) == 1);
    CHECK(std::uint64_t(v["rest_requests_last_minute"]) == 1);
    CHECK(str(v["ws_url"]) == s.srv.ws_url(core::venue::binance));
  }
  CHECK(seen);
}

TEST_CASE("sim server: venue URLs carry the documented base paths", "[sim]") {
  boost::asio::io_context ioc;
  sim::server_options o;
  o.symbols_per_venue = 1;
  o.levels_scale = 0.1;
  sim::server srv(ioc, o);
  REQUIRE(srv.start().ok());
  const std::string base = "ws://127.0.0.1:" + std::to_string(srv.port());
  CHECK(srv.venues().size() == core::all_venues.size());
  CHECK(srv.ws_url(core::venue::binance) == base + "/binance");
  CHECK(srv.ws_url(core::venue::binance_usdm) == base + "/binance-usdm/public");
  CHECK(srv.ws_url(core::venue::kraken) == base + "/kraken/v2");
  CHECK(srv.ws_url(core::venue::kraken_v1) == base + "/kraken-v1");
  CHECK(srv.ws_url(core::venue::okx) == base + "/okx/ws/v5/public");
  CHECK(srv.ws_url(core::venue::hyperliquid) == base + "/hyperliquid/ws");
  CHECK(srv.rest_url(core::venue::bitstamp) == "http://127.0.0.1:" + std::to_string(srv.port()) + "/bitstamp");
  srv.stop();
}
