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
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    if (key == "s") {
      if (auto e = v.get_string().get(f.data_symbol)) return {json::map_error(e), "data.s"};
      f.s = true;
    } else if (key == "b" || key == "a") {
      const bool bid = key[0] == 'b';
      if (auto st = json::parse_levels(v, bid ? m.bids : m.asks, "data.b/data.a"); !st) return st;
      (bid ? f.b : f.a) = true;
    } else if (key == "u") {
      if (auto e = v.get_uint64().get(m.update_id)) return {json::map_error(e), "data.u"};
      f.u = true;
    } else if (key == "seq") {
      if (auto e = v.get_uint64().get(m.cross_seq)) return {json::map_error(e), "data.seq"};
    }
  }
  return {};
}

core::status parse_top(od::object obj, message& m, fields& f) noexcept {
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    if (key == "topic") {
      if (auto e = v.get_string().get(m.topic)) return {json::map_error(e), "topic"};
      f.topic = true;
    } else if (key == "type") {
      if (auto e = v.get_string().get(f.type_text)) return {json::map_error(e), "type"};
      f.type = true;
    } else if (key == "ts") {
      if (auto e = v.get_int64().get(m.ts_ms)) return {json::map_error(e), "ts"};
    } else if (key == "cts") {
      if (auto e = v.get_int64().get(m.cts_ms)) return {json::map_error(e), "cts"};
    } else if (key == "data") {
      auto st = json::deferred_object(v, f.data_object, f.data_status,
                                      [&](od::object o) { return parse_data(o, m, f); });
      if (!st) return st;
    } else if (key == "op") {
      if (auto e = v.get_string().get(m.op)) return {json::map_error(e), "op"};
      f.op = true;
    } else if (key == "success") {
      if (auto e = v.get_bool().get(m.success)) return {json::map_error(e), "success"};
    }
    // ret_msg, conn_id, req_id, args ... are not needed.
  }
  return {};
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

using namespace bybit;

template <>
core::status codec_for<bybit::message>::parse(core::padded_view frame, bybit::message& out) noexcept {
  reset(out);
  od::document doc;
  od::object obj;
  if (auto st = json::iterate_object(parser().parser, frame, doc, obj); !st) return st;
  fields f;
  if (auto st = parse_top(obj, out, f); !st) return st;
  return classify(out, f);
}

}  // namespace depthmon::venues
