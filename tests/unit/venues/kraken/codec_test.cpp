// Kraken v2 and v1 codecs (v2_codec.hpp, v1_codec.hpp): real and documented frames, key order,
// exact numbers, and every kind of bad input.
#include <catch2/catch.hpp>

#include <string>

#include "core/frame.hpp"
#include "support/run.hpp"
#include "venues/kraken/v1_codec.hpp"
#include "venues/kraken/v2_codec.hpp"
#include "core/time.hpp"
#include "venues/kraken/wire_text.hpp"

namespace {
using namespace depthmon;
using namespace depthmon::venues::kraken;

struct v2_fixture {
  v2_codec codec;
  message m;
  core::padded_buffer buf;
  core::status parse(std::string_view s) { return codec.parse(buf.assign(s), m); }
};
struct v1_fixture {
  v1_codec codec;
  message m;
  core::padded_buffer buf;
  core::status parse(std::string_view s) { return codec.parse(buf.assign(s), m); }
};

core::decimal dec(std::string_view s) {
  auto d = core::parse_decimal(s);
  REQUIRE(d);
  return *d;
}
}  // namespace

TEST_CASE("wire_text helpers", "[kraken][codec]") {
  CHECK(written_digits("2183.69000", dec("2183.69000")) == 5);
  CHECK(written_digits("0.566", dec("0.566")) == 3);
  CHECK(written_digits("45281.0", dec("45281.0")) == 1);
  CHECK(written_digits("12", dec("12")) == 0);
  CHECK(written_digits("1.5e-3", dec("1.5e-3")) == 4);
  CHECK(written_digits("1.50E+1", dec("1.50E+1")) == 1);
  CHECK(written_digits("1e-5", dec("1e-5")) == 5);
  CHECK(*core::parse_rfc3339("2023-10-06T17:35:55.440295Z") == 1696613755440295000LL);
  CHECK(*core::parse_rfc3339("1970-01-01T00:00:00Z") == 0);
  CHECK_FALSE(core::parse_rfc3339("2023-10-06T17:35:55").ok());  // no zone: unknown
  CHECK_FALSE(core::parse_rfc3339("garbage").ok());
  CHECK(parse_epoch_seconds("1618678133.365913") == 1618678133365913000LL);
  CHECK(parse_epoch_seconds("x") == 0);
  std::uint32_t c = 0;
  CHECK(parse_checksum("2583817756", c));
  CHECK(c == 2583817756U);
  CHECK_FALSE(parse_checksum("4294967296", c));
  CHECK_FALSE(parse_checksum("-1", c));
  CHECK_FALSE(parse_checksum("", c));
  CHECK_FALSE(parse_checksum("12a", c));
  std::uint32_t d = 0;
  CHECK(parse_book_channel("book-1000", d));
  CHECK(d == 1000);
  CHECK_FALSE(parse_book_channel("book", d));
  CHECK_FALSE(parse_book_channel("book-", d));
  CHECK_FALSE(parse_book_channel("book-1x", d));
  CHECK_FALSE(parse_book_channel("trade", d));
}

TEST_CASE("v2 codec: documented book messages", "[kraken][codec][v2]") {
  v2_fixture f;
  const auto lines = test::read_lines(test::data_path("kraken/v2_doc_book_channel_maticusd.jsonl"));
  REQUIRE(lines.size() == 5);
  // Our own subscribe request (recorded in the doc example) and the acks.
  REQUIRE(f.parse(lines[0]));
  CHECK(f.m.kind == msg_kind::control);
  REQUIRE(f.parse(lines[1]));
  CHECK(f.m.kind == msg_kind::subscribed);
  CHECK(f.m.symbol == "ALGO/USD");
  CHECK(f.m.depth == 10);

  REQUIRE(f.parse(lines[3]));
  REQUIRE(f.m.kind == msg_kind::book);
  REQUIRE(f.m.book_count == 1);
  const book_data& s = f.m.books[0];
  CHECK(s.snapshot);
  CHECK(s.symbol == "MATIC/USD");
  CHECK(s.bids.size() == 10);
  CHECK(s.asks.size() == 10);
  CHECK(s.bids[0].price == dec("0.5666"));
  CHECK(s.bids[0].qty == dec("4831.75496356"));
  CHECK(s.bids[6].price == dec("0.566"));
  CHECK(s.has_checksum);
  CHECK(s.checksum == 2439117997U);
  CHECK(s.price_digits == 4);
  CHECK(s.qty_digits == 8);
  CHECK(s.event_time == 1696613755440295000LL);

  REQUIRE(f.parse(lines[4]));
  REQUIRE(f.m.kind == msg_kind::book);
  const book_data& u = f.m.books[0];
  CHECK_FALSE(u.snapshot);
  CHECK(u.bids.size() == 1);
  CHECK(u.asks.empty());
  CHECK(u.bids[0].qty == dec("1098.3947558"));
  CHECK(u.checksum == 2114181697U);
}

TEST_CASE("v2 codec: string prices, control messages, instrument", "[kraken][codec][v2]") {
  v2_fixture f;
  const auto guide = test::read_lines(test::data_path("kraken/v2_doc_checksum_guide_btcusd.jsonl"));
  REQUIRE(f.parse(guide.at(0)));
  REQUIRE(f.m.kind == msg_kind::book);
  CHECK(f.m.books[0].symbol == "BTC/USD");
  CHECK(f.m.books[0].price_digits == 1);  // "45281.0" keeps its zero
  CHECK(f.m.books[0].qty_digits == 8);
  CHECK(f.m.books[0].checksum == 3310070434U);

  for (const auto& l : test::read_lines(test::data_path("kraken/v2_doc_misc_control.jsonl"))) {
    INFO(l);
    REQUIRE(f.parse(l));
    CHECK(f.m.kind == msg_kind::control);  // heartbeat, ping, pong, status (uint64 id)
  }

  REQUIRE(f.parse(
      R"({"channel":"instrument","type":"snapshot","data":{"assets":[{"id":"BTC","precision":10}],"pairs":[{"symbol":"BTC/USD","base":"BTC","quote":"USD","status":"online","qty_precision":8,"qty_increment":0.00000001,"price_precision":1,"cost_precision":5,"price_increment":0.1,"qty_min":0.0001},{"symbol":"NEW/USD","status":"online"}]}})"));
  CHECK(f.m.kind == msg_kind::instrument);
  REQUIRE(f.m.precisions.size() == 1);  // NEW/USD has no precisions to learn
  CHECK(f.m.precisions[0].symbol == "BTC/USD");
  CHECK(f.m.precisions[0].price == 1);
  CHECK(f.m.precisions[0].qty == 8);

  REQUIRE(f.parse(R"({"channel":"ticker","type":"update","data":[{"symbol":"BTC/USD","bid":1,"ask":2}]})"));
  CHECK(f.m.kind == msg_kind::ignored);
  REQUIRE(f.parse(R"({"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","price":1.5,"qty":2}]})"));
  CHECK(f.m.kind == msg_kind::ignored);
  REQUIRE(f.parse(R"({"error":"Currency pair not supported","method":"subscribe","success":false,"symbol":"FOO/USD"})"));
  CHECK(f.m.kind == msg_kind::control);
}

TEST_CASE("v2 codec: key order is not assumed", "[kraken][codec][v2]") {
  v2_fixture f;
  // "data" before "channel" and "type"; level keys reversed; checksum before levels.
  REQUIRE(f.parse(
      R"({"data":[{"checksum":123,"asks":[{"qty":2,"price":"10.50"}],"timestamp":"2023-10-06T17:35:55Z","bids":[{"qty":1.25,"price":10.4}],"symbol":"X/USD"}],"type":"snapshot","channel":"book"})"));
  REQUIRE(f.m.kind == msg_kind::book);
  const book_data& b = f.m.books[0];
  CHECK(b.snapshot);
  CHECK(b.symbol == "X/USD");
  CHECK(b.checksum == 123U);
  CHECK(b.asks.at(0).price == dec("10.5"));
  CHECK(b.bids.at(0).qty == dec("1.25"));
  CHECK(b.price_digits == 2);  // "10.50" as a string keeps its digits
  CHECK(b.qty_digits == 2);
  // Ack with result fields in another order.
  REQUIRE(f.parse(
      R"({"success":true,"result":{"symbol":"X/USD","snapshot":true,"depth":100,"channel":"book"},"method":"subscribe"})"));
  CHECK(f.m.kind == msg_kind::subscribed);
  CHECK(f.m.depth == 100);
}

TEST_CASE("v2 codec: numbers are exact, never doubles", "[kraken][codec][v2]") {
  v2_fixture f;
  REQUIRE(f.parse(
      R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":0.1,"qty":0.30000000000000004}],"asks":[{"price":123456789.123456789,"qty":1e-8}],"checksum":0}]})"));
  const book_data& b = f.m.books[0];
  CHECK(b.bids[0].price == core::decimal{1, 1});
  CHECK(b.bids[0].qty == core::decimal{30000000000000004LL, 17});
  CHECK(b.asks[0].price == core::decimal{123456789123456789LL, 9});
  CHECK(b.asks[0].qty == core::decimal{1, 8});
}

TEST_CASE("v2 codec: bad input is reported, never guessed", "[kraken][codec][v2]") {
  v2_fixture f;
  struct bad_case {
    const char* json;
    core::errc code;
  };
  const bad_case cases[] = {
      // truncated frames
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":1,"qty":2}],"asks":[],"checks)", core::errc::malformed_json},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":1,"qty":2)", core::errc::malformed_json},
      {R"({"channel":"book")", core::errc::malformed_json},
      {"", core::errc::malformed_json},
      {"xyz", core::errc::malformed_json},
      {"{not json}", core::errc::malformed_json},
      // wrong types
      {R"({"channel":"book","type":"update","data":{"symbol":"S"}})", core::errc::wrong_type},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":true,"qty":2}],"asks":[],"checksum":1}]})", core::errc::wrong_type},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":{"price":1,"qty":2},"asks":[],"checksum":1}]})", core::errc::wrong_type},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[[1,2]],"asks":[],"checksum":1}]})", core::errc::wrong_type},
      {R"({"channel":"book","type":"update","data":[{"symbol":7,"bids":[],"asks":[],"checksum":1}]})", core::errc::wrong_type},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[],"asks":[],"checksum":"abc"}]})", core::errc::bad_number},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[],"asks":[],"checksum":4294967296}]})", core::errc::bad_number},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":"1.x","qty":2}],"asks":[],"checksum":1}]})", core::errc::bad_number},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":-1,"qty":2}],"asks":[],"checksum":1}]})", core::errc::bad_number},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":1,"qty":-2}],"asks":[],"checksum":1}]})", core::errc::bad_number},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":0,"qty":2}],"asks":[],"checksum":1}]})", core::errc::bad_number},
      // huge numbers (> 18 significant digits)
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":1234567890123456789.5,"qty":2}],"asks":[],"checksum":1}]})", core::errc::number_overflow},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":1,"qty":1e400}],"asks":[],"checksum":1}]})", core::errc::number_overflow},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":1,"qty":1.0000000000000000001}],"asks":[],"checksum":1}]})", core::errc::number_overflow},
      // missing fields
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[{"price":1}],"asks":[],"checksum":1}]})", core::errc::missing_field},
      {R"({"channel":"book","type":"update","data":[{"bids":[],"asks":[],"checksum":1}]})", core::errc::missing_field},
      {R"({"channel":"book","type":"update","data":[{"symbol":"S","bids":[],"asks":[]}]})", core::errc::missing_field},
      {R"({"channel":"book","type":"update"})", core::errc::missing_field},
      {R"({"channel":"book","data":[{"symbol":"S","bids":[],"asks":[],"checksum":1}]})", core::errc::missing_field},
      {R"({"channel":"book","type":"update","data":[]})", core::errc::missing_field},
      // unknown messages
      {R"({"channel":"book","type":"delta","data":[{"symbol":"S","bids":[],"asks":[],"checksum":1}]})", core::errc::unknown_message},
      {R"({"channel":"mystery","type":"update","data":[]})", core::errc::unknown_message},
      {R"({"method":"teleport","success":true})", core::errc::unknown_message},
      {R"({"foo":"bar"})", core::errc::unknown_message},
      {R"([992,{"b":[["1","2","3"]],"c":"1"},"book-10","XMR/USD"])", core::errc::unknown_message},
      {"42", core::errc::unknown_message},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    auto st = f.parse(c.json);
    REQUIRE_FALSE(st);
    CHECK(st.code() == c.code);
  }
}

TEST_CASE("v1 codec: real snapshot and update frames", "[kraken][codec][v1]") {
  v1_fixture f;
  const auto lines = test::read_lines(test::data_path("kraken/v1_book1000_cryptofeed_2021.jsonl"));
  REQUIRE(f.parse(lines.at(0)));  // systemStatus with a connectionID above int64
  CHECK(f.m.kind == msg_kind::control);
  REQUIRE(f.parse(lines.at(1)));  // subscriptionStatus
  CHECK(f.m.kind == msg_kind::subscribed);
  CHECK(f.m.symbol == "WAVES/EUR");
  CHECK(f.m.depth == 1000);
  REQUIRE(f.parse(lines.at(6)));  // heartbeat
  CHECK(f.m.kind == msg_kind::control);

  REQUIRE(f.parse(lines.at(7)));  // ETH/CHF snapshot
  REQUIRE(f.m.kind == msg_kind::book);
  const book_data& s = f.m.books[0];
  CHECK(s.snapshot);
  CHECK(s.symbol == "ETH/CHF");
  CHECK(s.depth == 1000);
  CHECK(s.asks.size() == 151);
  CHECK(s.bids.size() == 278);
  CHECK(s.asks[0].price == dec("2192.68"));
  CHECK(s.price_digits == 5);
  CHECK(s.qty_digits == 8);
  CHECK_FALSE(s.has_checksum);
  CHECK(s.event_time >= 1618678133162950000LL);

  REQUIRE(f.parse(lines.at(12)));
  const book_data& u = f.m.books[0];
  CHECK_FALSE(u.snapshot);
  CHECK(u.symbol == "XMR/USD");
  CHECK(u.bids.size() == 1);
  CHECK(u.bids[0].price == dec("354.15"));
  CHECK(u.has_checksum);
  CHECK(u.checksum == 2583817756U);
  CHECK(u.event_time == 1618678133365913000LL);
}

TEST_CASE("v1 codec: a and b in separate objects, republish flag, key order", "[kraken][codec][v1]") {
  v1_fixture f;
  REQUIRE(f.parse(
      R"([1664,{"a":[["13.284500","1396.00000000","1618678133.383209"]]},{"b":[["13.203800","15.02366304","1618678133.463424","r"]],"c":"176333288"},"book-1000","WAVES/EUR"])"));
  REQUIRE(f.m.kind == msg_kind::book);
  const book_data& u = f.m.books[0];
  CHECK(u.asks.size() == 1);
  CHECK(u.bids.size() == 1);
  CHECK(u.bids[0].qty == dec("15.02366304"));
  CHECK(u.checksum == 176333288U);
  CHECK(u.price_digits == 6);
  // "c" first, snapshot with "bs" before "as".
  REQUIRE(f.parse(R"([5,{"c":"1","b":[["1.0","2.0","3.0"]]},"book-25","A/B"])"));
  CHECK(f.m.books[0].depth == 25);
  REQUIRE(f.parse(R"([5,{"bs":[["1.0","2.0","3.0"]],"as":[["1.5","2.0","3.0"]]},"book-10","A/B"])"));
  CHECK(f.m.books[0].snapshot);
  CHECK(f.m.books[0].asks.size() == 1);
  // Other channels are known and ignored; trade's payload is an array.
  REQUIRE(f.parse(R"([0,[["5541.20000","0.15850568","1534614057.321597","s","l",""]],"trade","XBT/USD"])"));
  CHECK(f.m.kind == msg_kind::ignored);
  REQUIRE(f.parse(R"([0,{"a":["5525.40000",1,"1.000"],"c":["5525.10000","0.00398963"]},"ticker","XBT/USD"])"));
  CHECK(f.m.kind == msg_kind::ignored);
  REQUIRE(f.parse(R"([42,["1542057314.748456","1542057360.435743"],"ohlc-5","XBT/USD"])"));
  CHECK(f.m.kind == msg_kind::ignored);
  REQUIRE(f.parse(R"({"event":"pong","reqid":42})"));
  CHECK(f.m.kind == msg_kind::control);
  REQUIRE(f.parse(R"({"errorMessage":"Subscription depth not supported","event":"subscriptionStatus","pair":"XBT/USD","status":"error","subscription":{"depth":42,"name":"book"}})"));
  CHECK(f.m.kind == msg_kind::control);
}

TEST_CASE("v1 codec: bad input is reported, never guessed", "[kraken][codec][v1]") {
  v1_fixture f;
  struct bad_case {
    const char* json;
    core::errc code;
  };
  const bad_case cases[] = {
      {R"([992,{"b":[["354.15000000","5.00000000","1618678133.365913"]],"c":"2583817756"},"book-1000","XMR/USD")", core::errc::malformed_json},
      {R"([992,{"b":[["354.15000000","5.00000000","16186)", core::errc::malformed_json},
      {R"([992,{"b":[["354.15000000" "5.00000000"]],"c":"1"},"book-1000","XMR/USD"])", core::errc::malformed_json},
      {R"([992,{"b":[{"price":"1"}],"c":"1"},"book-1000","XMR/USD"])", core::errc::wrong_type},
      {R"([992,{"b":"1","c":"1"},"book-1000","XMR/USD"])", core::errc::wrong_type},
      {R"([992,["x"],"book-1000","XMR/USD"])", core::errc::wrong_type},
      {R"([992,{"b":[[true,"2","3"]],"c":"1"},"book-1000","XMR/USD"])", core::errc::wrong_type},
      {R"([992,{"b":[["1","2","3"]],"c":"x"},"book-1000","XMR/USD"])", core::errc::bad_number},
      {R"([992,{"b":[["1","2","3"]],"c":"99999999999"},"book-1000","XMR/USD"])", core::errc::bad_number},
      {R"([992,{"b":[["12345678901234567890","2","3"]],"c":"1"},"book-1000","XMR/USD"])", core::errc::number_overflow},
      {R"([992,{"b":[["1.0000000000000000001","2","3"]],"c":"1"},"book-1000","XMR/USD"])", core::errc::number_overflow},
      {R"([992,{"b":[["1"]],"c":"1"},"book-1000","XMR/USD"])", core::errc::missing_field},
      {R"([992,{"c":"1"},"book-1000","XMR/USD"])", core::errc::missing_field},
      {R"([992,{"as":[],"b":[]},"book-1000","XMR/USD"])", core::errc::unknown_message},
      {R"([992,{"b":[]},"bookish","XMR/USD"])", core::errc::unknown_message},
      {R"([992,{"b":[]},"book-1000"])", core::errc::unknown_message},
      {R"(["992",{"b":[]},"book-1000","XMR/USD"])", core::errc::unknown_message},
      {R"({"event":"teleport"})", core::errc::unknown_message},
      {R"({"channel":"book"})", core::errc::unknown_message},
      {"", core::errc::malformed_json},
  };
  for (const auto& c : cases) {
    INFO(c.json);
    auto st = f.parse(c.json);
    REQUIRE_FALSE(st);
    CHECK(st.code() == c.code);
  }
}
