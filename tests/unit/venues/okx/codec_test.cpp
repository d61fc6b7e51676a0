// venues/okx/codec: every message shape OKX sends, and what it must refuse.
#include "venues/okx/codec.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace depthmon;
using namespace depthmon::venues::okx;
using core::errc;

namespace {
struct parsed {
  core::status st;
  message m;
};
parsed parse(const std::string& text) {
  static codec c;
  static core::padded_buffer buf;
  parsed p;
  p.st = c.parse(buf.assign(text), p.m);
  return p;
}
core::decimal dec(const char* s) { return *core::parse_decimal(s); }
}  // namespace

TEST_CASE("books snapshot and update (documentation examples)", "[okx][codec]") {
  auto p = parse(
      R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{"asks":[["8476.98","415","0","13"],["8477","7","0","2"]],"bids":[["8476.97","256","0","12"],["8475.55","101","0","1"]],"ts":"1597026383085","checksum":0,"prevSeqId":-1,"seqId":123456}]})");
  REQUIRE(p.st.ok());
  const auto& m = p.m;
  CHECK(m.kind == msg_kind::book_data);
  CHECK(m.book_channel == channel::books);
  CHECK(m.inst_id == "BTC-USDT");
  CHECK(m.act == action::snapshot);
  REQUIRE(m.entry_count == 1);
  const auto& e = m.entries[0];
  REQUIRE(e.asks.size() == 2);
  REQUIRE(e.bids.size() == 2);
  CHECK(e.asks[0].price == dec("8476.98"));
  CHECK(e.asks[0].qty == dec("415"));
  CHECK(e.bids[1].price == dec("8475.55"));
  CHECK(e.checksum == 0);
  CHECK(e.has_prev_seq_id);
  CHECK(e.prev_seq_id == -1);
  CHECK(e.seq_id == 123456);
  CHECK(e.ts_ms == 1597026383085);

  // Key order is never assumed: data before arg, fields shuffled.
  auto q = parse(
      R"({"data":[{"seqId":123457,"ts":"1597026383085","bids":[],"checksum":-855196043,"prevSeqId":123456,"asks":[["8476.98","0","0","0"]]}],"action":"update","arg":{"instId":"BTC-USDT","channel":"books"}})");
  REQUIRE(q.st.ok());
  CHECK(q.m.kind == msg_kind::book_data);
  CHECK(q.m.act == action::update);
  CHECK(q.m.entries[0].checksum == -855196043);
  CHECK(q.m.entries[0].prev_seq_id == 123456);
  CHECK(q.m.entries[0].asks[0].qty == dec("0"));
}

TEST_CASE("books5 and bbo-tbt have no action", "[okx][codec]") {
  auto p = parse(
      R"({"arg":{"channel":"books5","instId":"BCH-USDT-SWAP"},"data":[{"asks":[["111.06","55154","0","2"]],"bids":[["111.05","57745","0","2"]],"instId":"BCH-USDT-SWAP","ts":"1670324386802","seqId":363996337}]})");
  REQUIRE(p.st.ok());
  CHECK(p.m.kind == msg_kind::book_data);
  CHECK(p.m.book_channel == channel::books5);
  CHECK(p.m.act == action::none);
  CHECK_FALSE(p.m.entries[0].has_prev_seq_id);
  auto q = parse(
      R"({"arg":{"channel":"bbo-tbt","instId":"BCH-USDT-SWAP"},"data":[{"asks":[["111.06","55154","0","2"]],"bids":[["111.05","57745","0","2"]],"ts":"1670324386802","seqId":363996337}]})");
  REQUIRE(q.st.ok());
  CHECK(q.m.book_channel == channel::bbo_tbt);
  // instId only inside data (arg without instId) is accepted.
  auto r = parse(
      R"({"arg":{"channel":"books5"},"data":[{"asks":[],"bids":[],"instId":"ETH-USDT","ts":"1"}]})");
  REQUIRE(r.st.ok());
  CHECK(r.m.inst_id == "ETH-USDT");
}

TEST_CASE("control messages", "[okx][codec]") {
  CHECK(parse(R"({"id":"1512","event":"subscribe","arg":{"channel":"books","instId":"BTC-USDT"},"connId":"a4d3ae55"})")
            .m.kind == msg_kind::subscribed);
  CHECK(parse(R"({"event":"unsubscribe","arg":{"channel":"books","instId":"BTC-USDT"}})").m.kind ==
        msg_kind::subscribed);
  auto err = parse(R"({"id":"1512","event":"error","code":"60012","msg":"Invalid request: {\"op\": \"subscribe\"}","connId":"a4d3ae55"})");
  REQUIRE(err.st.ok());
  CHECK(err.m.kind == msg_kind::error);
  CHECK(err.m.code == "60012");
  auto n = parse(R"({"event":"notice","code":"64008","msg":"The connection will soon be closed for a service upgrade. Please reconnect.","connId":"a4d3ae55"})");
  REQUIRE(n.st.ok());
  CHECK(n.m.kind == msg_kind::notice);
  CHECK(n.m.code == "64008");
  CHECK(parse("pong").m.kind == msg_kind::pong);
  CHECK(parse(R"({"event":"channel-conn-count","channel":"books","connCount":"2","connId":"a4d3ae55"})")
            .m.kind == msg_kind::other_event);
  // Other channels are known pushes with nothing for a book.
  auto t = parse(R"({"arg":{"channel":"trades","instId":"BTC-USDT"},"data":[{"instId":"BTC-USDT","px":"30000","sz":"1","side":"buy","ts":"1"}]})");
  REQUIRE(t.st.ok());
  CHECK(t.m.kind == msg_kind::channel_data);
}

TEST_CASE("what the codec refuses", "[okx][codec]") {
  struct bad {
    const char* text;
    errc code;
  };
  const std::string snap_head = R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"snapshot","data":[{)";
  const bad cases[] = {
      {"", errc::malformed_json},
      {"ping", errc::malformed_json},  // only "pong" is a bare text frame we receive
      {"[1,2]", errc::malformed_json},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["1","2")", errc::malformed_json},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["1","2"]],"bids":[]}])", errc::malformed_json},
      {R"({"foo":1})", errc::unknown_message},
      {R"({"event":"party"})", errc::unknown_message},
      {R"({"id":"1","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]})", errc::unknown_message},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"merge","data":[{"asks":[],"bids":[]}]})", errc::unknown_message},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"data":[{"asks":[],"bids":[]}]})", errc::missing_field},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[]})", errc::missing_field},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[]}]})", errc::missing_field},
      {R"({"arg":{"channel":"books"},"action":"update","data":[{"asks":[],"bids":[]}]})", errc::missing_field},
      {R"({"arg":{"instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[]}]})", errc::missing_field},
      // wrong types
      {R"({"arg":"books","action":"update","data":[{"asks":[],"bids":[]}]})", errc::wrong_type},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":{"asks":[],"bids":[]}})", errc::wrong_type},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":{},"bids":[]}]})", errc::wrong_type},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"seqId":"12"}]})", errc::wrong_type},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"checksum":"5"}]})", errc::wrong_type},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[[true,"1"]],"bids":[]}]})", errc::wrong_type},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":7,"data":[{"asks":[],"bids":[]}]})", errc::wrong_type},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["1"]],"bids":[]}]})", errc::missing_field},
      // numbers that are not decimals or do not fit
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["abc","1"]],"bids":[]}]})", errc::bad_number},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["123456789012345678901234567890","1"]],"bids":[]}]})", errc::number_overflow},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["1","1e400"]],"bids":[]}]})", errc::number_overflow},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["0","1"]],"bids":[]}]})", errc::bad_number},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["-5","1"]],"bids":[]}]})", errc::bad_number},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["5","-1"]],"bids":[]}]})", errc::bad_number},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"seqId":-3}]})", errc::bad_number},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"prevSeqId":-2}]})", errc::bad_number},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"checksum":4294967296}]})", errc::number_overflow},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"ts":"99999999999999999"}]})", errc::number_overflow},
      {R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"ts":"12x"}]})", errc::bad_number},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto p = parse(c.text);
    CHECK_FALSE(p.st.ok());
    CHECK(p.st.code() == c.code);
    CHECK(core::condition_of(p.st.code()) == core::condition::drop_message);
  }
  // seqId beyond int64 fails too (whatever simdjson calls it), as a dropped message.
  const auto big = parse(R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[],"seqId":99999999999999999999999}]})");
  CHECK_FALSE(big.st.ok());
  CHECK(core::condition_of(big.st.code()) == core::condition::drop_message);
}

TEST_CASE("several data entries are kept in order", "[okx][codec]") {
  auto p = parse(
      R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[["2","1"]],"bids":[],"prevSeqId":1,"seqId":2},{"asks":[],"bids":[["1","3"]],"prevSeqId":2,"seqId":3}]})");
  REQUIRE(p.st.ok());
  REQUIRE(p.m.entry_count == 2);
  CHECK(p.m.entries[0].seq_id == 2);
  CHECK(p.m.entries[1].bids[0].qty == dec("3"));
  // The entries vector is reused: a later one-entry message reports one entry.
  auto q = parse(R"({"arg":{"channel":"books","instId":"BTC-USDT"},"action":"update","data":[{"asks":[],"bids":[]}]})");
  REQUIRE(q.st.ok());
  CHECK(q.m.entry_count == 1);
  CHECK_FALSE(q.m.entries[0].has_seq_id);
}
