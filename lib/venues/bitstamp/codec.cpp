#include "venues/bitstamp/codec.hpp"

#include <charconv>

#include "venues/common/json.hpp"

namespace depthmon::venues::bitstamp {

namespace od = simdjson::ondemand;
using core::errc;

namespace {

constexpr std::string_view k_diff_prefix = "diff_order_book_";

// Fields of a book object (the WS "data" or a REST body).
struct book_fields {
  bool mts = false, bids = false, asks = false, error = false;
};

struct fields {
  bool event = false, channel = false, data_object = false;
  book_fields data;
  // "data" comes before "event"/"channel": its first error only matters for diff channels.
  core::status data_status;
};

core::status read_microtimestamp(od::value v, std::uint64_t& out) noexcept {
  auto t = json::token_text(v);
  if (!t) return t.err();
  const std::string_view s = *t;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec == std::errc::result_out_of_range) return {errc::number_overflow, "microtimestamp"};
  if (ec != std::errc() || p != s.data() + s.size() || s.empty())
    return {errc::bad_number, "microtimestamp"};
  return {};
}

// One pass over a book object's fields. Unknown keys (timestamp, trade fields ...) are skipped.
core::status parse_book_object(od::object obj, message& m, book_fields& f) noexcept {
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    if (key == "microtimestamp") {
      if (auto st = read_microtimestamp(v, m.microtimestamp); !st) return st;
      f.mts = true;
    } else if (key == "bids" || key == "asks") {
      const bool bid = key[0] == 'b';
      if (auto st = json::parse_levels(v, bid ? m.bids : m.asks, "bids/asks"); !st) return st;
      (bid ? f.bids : f.asks) = true;
    } else if (key == "status" || key == "reason" || key == "errors" || key == "code") {
      f.error = true;
    }
  }
  return {};
}

core::status parse_top(od::object obj, message& m, fields& f) noexcept {
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    if (key == "event") {
      if (auto e = v.get_string().get(m.event)) return {json::map_error(e), "event"};
      f.event = true;
    } else if (key == "channel") {
      if (auto e = v.get_string().get(m.channel)) return {json::map_error(e), "channel"};
      f.channel = true;
    } else if (key == "data") {
      auto st = json::deferred_object(v, f.data_object, f.data_status,
                                      [&](od::object o) { return parse_book_object(o, m, f.data); });
      if (!st) return st;
    }
  }
  return {};
}

bool is_ignored_channel(std::string_view c) noexcept {
  return c.starts_with("live_trades_") || c.starts_with("live_orders_") ||
         c.starts_with("order_book_") || c.starts_with("detail_order_book_");
}

core::status classify(message& m, const fields& f) noexcept {
  if (!f.event) return {errc::unknown_message, "not a Bitstamp event"};
  const std::string_view ev = m.event;
  if (ev == "data" && f.channel && m.channel.starts_with(k_diff_prefix)) {
    m.pair = m.channel.substr(k_diff_prefix.size());
    if (m.pair.empty()) return {errc::malformed_json, "diff channel without a pair"};
    if (!f.data_object) return {errc::missing_field, "diff needs a data object"};
    if (!f.data_status) return f.data_status;
    if (!f.data.mts || !f.data.bids || !f.data.asks)
      return {errc::missing_field, "diff needs microtimestamp, bids, asks"};
    m.kind = msg_kind::diff;
    return {};
  }
  if (ev == "data" || ev == "trade" || ev == "order_created" || ev == "order_changed" ||
      ev == "order_deleted") {
    if (f.channel && is_ignored_channel(m.channel)) {
      m.kind = msg_kind::ignored;
      return {};
    }
    return {errc::unknown_message, "unknown channel"};
  }
  if (ev == "bts:request_reconnect") {
    m.kind = msg_kind::reconnect;
    return {};
  }
  if (ev == "bts:subscription_succeeded" || ev == "bts:unsubscription_succeeded" ||
      ev == "bts:heartbeat" || ev == "bts:error" || ev == "bts:subscribe" ||
      ev == "bts:unsubscribe") {
    m.kind = msg_kind::control;
    return {};
  }
  return {errc::unknown_message, "unknown event"};
}

void reset(message& m) noexcept {
  m.kind = msg_kind::ignored;
  m.event = m.channel = m.pair = {};
  m.microtimestamp = 0;
  m.bids.clear();
  m.asks.clear();
}

}  // namespace

core::status codec::parse(core::padded_view frame, message& out) noexcept {
  reset(out);
  od::document doc;
  od::object obj;
  if (auto st = json::iterate_object(parser().parser, frame, doc, obj); !st) return st;
  fields f;
  if (auto st = parse_top(obj, out, f); !st) return st;
  return classify(out, f);
}

core::status codec::parse_snapshot(core::padded_view body, message& out) noexcept {
  reset(out);
  od::document doc;
  od::object obj;
  if (auto st = json::iterate_object(parser().parser, body, doc, obj); !st) return st;
  book_fields f;
  if (auto st = parse_book_object(obj, out, f); !st) return st;
  if (f.mts && f.bids && f.asks) {
    out.kind = msg_kind::snapshot;
    return {};
  }
  if (f.error) {
    out.kind = msg_kind::error;
    return {};
  }
  return {errc::missing_field, "order_book needs microtimestamp, bids, asks"};
}

}  // namespace depthmon::venues::bitstamp
