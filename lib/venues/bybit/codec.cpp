#include "venues/bybit/codec.hpp"

#include <charconv>

#include "venues/common/json.hpp"

namespace depthmon::venues::bybit {

namespace od = simdjson::ondemand;
using core::errc;

namespace {

struct fields {
  bool topic = false, type = false, data_object = false, op = false;
  bool s = false, b = false, a = false, u = false;
  std::string_view type_text;
  std::string_view data_symbol;
  // "data" is read before we may know the topic: its first error is kept here and only matters
  // for orderbook topics (other topics' payloads are skipped).
  core::status data_status;
};

core::status parse_data(od::object obj, message& m, fields& f) noexcept {
  return json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "s") return json::read(v, f.data_symbol, f.s, "data.s");
    if (key == "u") return json::read(v, m.update_id, f.u, "data.u");
    if (key == "seq") return json::read(v, m.cross_seq, "data.seq");
    if (key != "b" && key != "a") return {};
    const bool bid = key[0] == 'b';
    (bid ? f.b : f.a) = true;
    return json::parse_levels(v, bid ? m.bids : m.asks, "data.b/data.a");
  });
}

core::status parse_top(od::object obj, message& m, fields& f) noexcept {
  // ret_msg, conn_id, req_id, args ... are not needed.
  return json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "topic") return json::read(v, m.topic, f.topic, "topic");
    if (key == "type") return json::read(v, f.type_text, f.type, "type");
    if (key == "ts") return json::read(v, m.ts_ms, "ts");
    if (key == "cts") return json::read(v, m.cts_ms, "cts");
    if (key == "op") return json::read(v, m.op, f.op, "op");
    if (key == "success") return json::read(v, m.success, "success");
    if (key != "data") return {};
    return json::deferred_object(v, f.data_object, f.data_status,
                                 [&](od::object o) { return parse_data(o, m, f); });
  });
}

bool is_ignored_topic(std::string_view t) noexcept {
  for (std::string_view p : {"publicTrade.", "tickers.", "kline.", "liquidation.",
                             "allLiquidation.", "kline_lt.", "tickers_lt.", "lt.", "insurance.",
                             "priceLimit.", "adlAlert."})
    if (t.starts_with(p)) return true;
  return false;
}

bool is_control_op(std::string_view op) noexcept {
  return op == "subscribe" || op == "unsubscribe" || op == "ping" || op == "pong" ||
         op == "auth";
}

core::status classify(message& m, const fields& f) noexcept {
  if (f.topic) {
    if (m.topic.starts_with("orderbook.")) {
      if (auto st = split_orderbook_topic(m.topic, m.depth, m.symbol); !st) return st;
      if (!f.type) return {errc::missing_field, "orderbook message needs type"};
      if (!f.data_object) return {errc::missing_field, "orderbook message needs a data object"};
      if (!f.data_status) return f.data_status;
      if (!f.b || !f.a || !f.u) return {errc::missing_field, "orderbook data needs b, a, u"};
      if (f.s && f.data_symbol != m.symbol)
        return {errc::malformed_json, "data.s differs from the topic's symbol"};
      if (f.type_text == "snapshot") {
        m.kind = msg_kind::book_snapshot;
      } else if (f.type_text == "delta") {
        m.kind = msg_kind::book_delta;
      } else {
        return {errc::unknown_message, "orderbook type is neither snapshot nor delta"};
      }
      return {};
    }
    if (is_ignored_topic(m.topic)) {
      m.kind = msg_kind::ignored;
      return {};
    }
    return {errc::unknown_message, "unknown topic"};
  }
  if (f.op) {
    if (is_control_op(m.op)) {
      m.kind = msg_kind::control;
      return {};
    }
    return {errc::unknown_message, "unknown op"};
  }
  return {errc::unknown_message, "not a Bybit message"};
}

void reset(message& m) noexcept {
  m.kind = msg_kind::ignored;
  m.topic = m.symbol = m.op = {};
  m.depth = 0;
  m.success = true;
  m.update_id = m.cross_seq = 0;
  m.ts_ms = m.cts_ms = 0;
  m.bids.clear();
  m.asks.clear();
}

}  // namespace

core::status split_orderbook_topic(std::string_view topic, std::uint32_t& depth,
                                   std::string_view& symbol) noexcept {
  constexpr std::string_view prefix = "orderbook.";
  if (!topic.starts_with(prefix)) return {errc::unknown_message, "not an orderbook topic"};
  const std::string_view rest = topic.substr(prefix.size());
  const auto dot = rest.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == rest.size())
    return {errc::malformed_json, "orderbook topic is not orderbook.{depth}.{symbol}"};
  const std::string_view d = rest.substr(0, dot);
  if (d == "full") return {errc::unknown_message, "orderbook.full (REST-initialised) is not supported"};
  std::uint32_t n = 0;
  auto [p, ec] = std::from_chars(d.data(), d.data() + d.size(), n);
  if (ec != std::errc() || p != d.data() + d.size() || n == 0)
    return {errc::bad_number, "orderbook topic depth"};
  depth = n;
  symbol = rest.substr(dot + 1);
  return {};
}

}  // namespace depthmon::venues::bybit

namespace depthmon::venues {

DEPTHMON_CODEC_PARSE(bybit::message) {
  return json::read_then_classify<bybit::fields>(parser().parser, frame, out, bybit::reset,
                                                 bybit::parse_top, bybit::classify);
}
}  // namespace depthmon::venues
