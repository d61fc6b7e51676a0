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
  return json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "microtimestamp") {
      f.mts = true;
      return read_microtimestamp(v, m.microtimestamp);
    }
    if (key == "bids" || key == "asks") {
      const bool bid = key[0] == 'b';
      (bid ? f.bids : f.asks) = true;
      return json::parse_levels(v, bid ? m.bids : m.asks, "bids/asks");
    }
    if (key == "status" || key == "reason" || key == "errors" || key == "code") f.error = true;
    return {};
  });
}

core::status parse_top(od::object obj, message& m, fields& f) noexcept {
  return json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "event") return json::read(v, m.event, f.event, "event");
    if (key == "channel") return json::read(v, m.channel, f.channel, "channel");
    if (key != "data") return {};
    return json::deferred_object(v, f.data_object, f.data_status,
                                 [&](od::object o) { return parse_book_object(o, m, f.data); });
  });
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
    // A (un)subscription ack of a book channel names its pair (the feed's quiet-pair rule).
    if (f.channel && m.channel.starts_with(k_diff_prefix)) m.pair = m.channel.substr(k_diff_prefix.size());
    return {};
  }
  return {errc::unknown_message, "unknown event"};
}

core::status classify_snapshot(message& m, const book_fields& f) noexcept {
  if (f.mts && f.bids && f.asks) {
    m.kind = msg_kind::snapshot;
    return {};
  }
  if (!f.error) return {errc::missing_field, "order_book needs microtimestamp, bids, asks"};
  m.kind = msg_kind::error;
  return {};
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
  return json::read_then_classify<fields>(parser().parser, frame, out, reset, parse_top, classify);
}

core::status codec::parse_snapshot(core::padded_view body, message& out) noexcept {
  return json::read_then_classify<book_fields>(parser().parser, body, out, reset,
                                               parse_book_object, classify_snapshot);
}

}  // namespace depthmon::venues::bitstamp
