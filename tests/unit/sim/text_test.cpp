// The simulator's own text tools: CRC32, decimal output, timestamps, request parsing.
#include <catch2/catch.hpp>

#include "sim/crc32.hpp"
#include "sim/fault.hpp"
#include "sim/text.hpp"

using namespace depthmon;

TEST_CASE("crc32 reproduces Kraken's documented checksum", "[sim][text]") {
  // docs/protocols.md §3.4: the official BTC/USD example.
  const std::string asks =
      "45285210000045286415457195345286615457110945289615456091145290215890660452918154553491452947445474945296135380000452975994554245299518772827";
  const std::string bids =
      "452835100000004528341545820154528211000000045281010000000452803154592586452790799000045277633101034527753000000045277315460273745276615445238";
  CHECK(sim::crc32(asks + bids) == 3310070434u);
  CHECK(sim::crc32("") == 0u);
  CHECK(sim::crc32("123456789") == 0xCBF43926u);
}

TEST_CASE("decimal output is exact at any precision", "[sim][text]") {
  CHECK(sim::fixed(35210, 5, 8) == "0.35210000");
  CHECK(sim::fixed(10000000, 2, 2) == "100000.00");
  CHECK(sim::fixed(7, 0, 0) == "7");
  CHECK(sim::fixed(-5, 3, 3) == "-0.005");
  CHECK(sim::canonical(35210, 5) == "0.3521");
  CHECK(sim::canonical(100000, 0) == "100000");
  CHECK(sim::canonical(5660, 4) == "0.566");
  CHECK(sim::rfc3339(1'759'276'800'123'456'789, 9) == "2025-10-01T00:00:00.123456789Z");
  CHECK(sim::rfc3339(1'759'276'800'123'456'789, 6) == "2025-10-01T00:00:00.123456Z");
  CHECK(sim::rfc3339(951'782'400'000'000'000, 0) == "2000-02-29T00:00:00Z");
}

TEST_CASE("the minimal JSON reader takes what clients send and rejects broken text", "[sim][text]") {
  auto v = sim::parse_json(R"({"method":"SUBSCRIBE","params":["btcusdt@depth","x\"y"],"id":12,"n":null})");
  REQUIRE(v);
  CHECK(v->str("method") == "SUBSCRIBE");
  CHECK(v->scalar("id") == "12");
  REQUIRE(v->get("params"));
  CHECK(v->get("params")->items.size() == 2);
  CHECK(v->get("params")->items[1].text == "x\"y");
  CHECK_FALSE(sim::parse_json("{\"a\":1"));
  CHECK_FALSE(sim::parse_json("ping"));
  CHECK_FALSE(sim::parse_json("{\"a\":1} x"));
}

TEST_CASE("fault requests parse as DESIGN.md writes them", "[sim][fault]") {
  auto r = sim::parse_fault_request(
      R"({"venue":"binance","symbol":"BTCUSDT","kind":"gap","duration_s":5})");
  REQUIRE(r);
  CHECK(r->venue == core::venue::binance);
  CHECK(r->f.kind == sim::fault_kind::gap);
  CHECK(r->f.symbol == std::optional<std::string>("BTCUSDT"));
  CHECK(r->f.duration_s == 5.0);
  auto all = sim::parse_fault_request(R"({"venue":"okx","symbol":null,"kind":"planned_close"})");
  REQUIRE(all);
  CHECK_FALSE(all->f.symbol);
  CHECK_FALSE(sim::parse_fault_request(R"({"venue":"nyse","kind":"gap"})"));
  CHECK_FALSE(sim::parse_fault_request(R"({"venue":"okx","kind":"meteor"})"));
  CHECK_FALSE(sim::parse_fault_request(R"({"venue":"okx","kind":"gap","duration_s":-1})"));
  for (auto k : sim::all_fault_kinds) CHECK(sim::parse_fault_kind(sim::to_string(k)) == k);
}
