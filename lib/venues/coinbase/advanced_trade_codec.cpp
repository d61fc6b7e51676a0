#include "venues/coinbase/advanced_trade_codec.hpp"

#include <charconv>

#include "core/time.hpp"
#include "venues/common/json.hpp"

namespace depthmon::venues::coinbase {

namespace od = simdjson::ondemand;
using core::errc;

namespace {

at_channel classify_channel(std::string_view name) noexcept {
  if (name == "l2_data") return at_channel::l2_data;
  if (name == "heartbeats") return at_channel::heartbeats;
  if (name == "subscriptions") return at_channel::subscriptions;
  if (name == "ticker" || name == "ticker_batch" || name == "market_trades" ||
      name == "candles" || name == "status" || name == "user" ||
      name == "futures_balance_summary")
    return at_channel::other;
  return at_channel::unknown;
}

// An unsigned integer; a run of digits too long for uint64 is number_overflow (simdjson
// reports big integers as a type error).
core::status read_u64(od::value v, std::uint64_t& out, const char* what) noexcept {
  const auto e = v.get_uint64().get(out);
  if (!e) return {};
  if (e == simdjson::INCORRECT_TYPE) {
    const std::string_view raw = v.raw_json_token();
    std::size_t n = 0;
    while (n < raw.size() && raw[n] >= '0' && raw[n] <= '9') ++n;
    if (n > 19) return {errc::number_overflow, what};
  }
  return {json::map_error(e), what};
}

core::status read_side(od::value v, core::side& out) noexcept {
  std::string_view s;
  if (auto e = v.get_string().get(s)) return {json::map_error(e), "side"};
  if (s == "bid") {
    out = core::side::bid;
  } else if (s == "offer" || s == "ask") {
    out = core::side::ask;
  } else {
    return {errc::wrong_type, "side is not bid/offer"};
  }
  return {};
}

// {"side":..,"event_time":..,"price_level":..,"new_quantity":..} in any key order.
core::status parse_update(od::object obj, std::vector<at_level>& out) noexcept {
  at_level l;
  bool has_side = false, has_price = false, has_qty = false;
  // event_time: not needed (snapshots carry 1970-01-01).
  auto st = json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "side") {
      has_side = true;
      return read_side(v, l.side);
    }
    const bool price = key == "price_level";
    if (!price && key != "new_quantity") return {};
    auto d = json::decimal_of(v);
    if (!d) return d.err();
    (price ? l.level.price : l.level.qty) = *d;
    (price ? has_price : has_qty) = true;
    return {};
  });
  if (!st) return st;
  if (!has_side || !has_price || !has_qty)
    return {errc::missing_field, "update needs side, price_level, new_quantity"};
  if (st = check_level(l.level); !st) return st;
  out.push_back(l);
  return {};
}

core::status read_event_type(od::value v, at_event_type& out) noexcept {
  std::string_view t;
  if (auto st = json::read(v, t, "event type"); !st) return st;
  if (t == "snapshot") out = at_event_type::snapshot;
  else if (t == "update") out = at_event_type::update;
  else return {errc::unknown_message, "l2_data event type"};
  return {};
}

// One l2_data event {"type":..,"product_id":..,"updates":[...]}.
core::status parse_l2_event(od::object ev, at_message& m) noexcept {
  at_book_event be;
  be.first = m.levels.size();
  bool has_type = false, has_product = false, has_updates = false;
  auto st = json::for_each_field(ev, [&](std::string_view key, od::value fv) -> core::status {
    if (key == "type") {
      has_type = true;
      return read_event_type(fv, be.type);
    }
    if (key == "product_id") return json::read(fv, be.product_id, has_product, "product_id");
    if (key != "updates") return {};
    has_updates = true;
    return json::for_each_object(fv, "updates is not an array of objects",
                                 [&](od::object u) { return parse_update(u, m.levels); });
  });
  if (!st) return st;
  if (!has_type || !has_product || !has_updates)
    return {errc::missing_field, "l2_data event needs type, product_id, updates"};
  if (be.product_id.empty()) return {errc::missing_field, "empty product_id"};
  be.count = m.levels.size() - be.first;
  m.events.push_back(be);
  return {};
}

// l2_data "events": [{"type":..,"product_id":..,"updates":[...]}, ...].
core::status parse_l2_events(od::value v, at_message& m) noexcept {
  return json::for_each_object(v, "events is not an array of objects",
                               [&](od::object ev) { return parse_l2_event(ev, m); });
}

core::status read_counter(od::value v, std::uint64_t& out) noexcept {
  od::json_type t;
  if (auto e = v.type().get(t)) return {json::map_error(e), "heartbeat_counter"};
  if (t == od::json_type::number) {
    return read_u64(v, out, "heartbeat_counter");
  }
  std::string_view s;
  if (auto e = v.get_string().get(s)) return {json::map_error(e), "heartbeat_counter"};
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec == std::errc::result_out_of_range) return {errc::number_overflow, "heartbeat_counter"};
  if (ec != std::errc() || p != s.data() + s.size() || s.empty())
    return {errc::bad_number, "heartbeat_counter"};
  return {};
}

// heartbeats "events": [{"current_time":..,"heartbeat_counter":N or "N"}].
core::status parse_heartbeat_events(od::value v, at_message& m) noexcept {
  return json::for_each_object(v, "events is not an array of objects", [&](od::object ev) {
    return json::for_each_field(ev, [&](std::string_view key, od::value fv) -> core::status {
      if (key != "heartbeat_counter") return {};
      m.has_heartbeat_counter = true;
      return read_counter(fv, m.heartbeat_counter);
    });
  });
}

core::status parse_events(od::value v, at_message& m) noexcept {
  switch (m.channel) {
    case at_channel::l2_data: return parse_l2_events(v, m);
    case at_channel::heartbeats:
      // Nothing depends on the counter: a heartbeat whose events we cannot read is still a
      // heartbeat (a truncated frame still fails, in the envelope loop).
      if (!parse_heartbeat_events(v, m)) {
        m.has_heartbeat_counter = false;
        m.heartbeat_counter = 0;
      }
      return {};
    default: return {};  // acks, other channels: nothing needed from their events
  }
}

void reset(at_message& m) noexcept {
  m.channel = at_channel::unknown;
  m.has_sequence = false;
  m.sequence_num = 0;
  m.timestamp = 0;
  m.events.clear();
  m.levels.clear();
  m.has_heartbeat_counter = false;
  m.heartbeat_counter = 0;
}

}  // namespace

}  // namespace depthmon::venues::coinbase

namespace depthmon::venues {

using namespace coinbase;

DEPTHMON_CODEC_PARSE(coinbase::at_message) {
  coinbase::reset(out);
  od::document doc;
  od::object obj;
  if (auto st = json::iterate_object(parser().parser, frame, doc, obj); !st) return st;

  bool have_channel = false, have_events = false, events_pending = false, is_error = false;
  // client_id and anything else: not relied on.
  auto envelope = json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "channel") {
      std::string_view name;
      if (auto st = json::read(v, name, have_channel, "channel"); !st) return st;
      out.channel = classify_channel(name);
    } else if (key == "sequence_num") {
      out.has_sequence = true;
      return read_u64(v, out.sequence_num, "sequence_num");
    } else if (key == "timestamp") {
      std::string_view ts;
      if (!v.get_string().get(ts))
        if (auto t = core::parse_rfc3339(ts)) out.timestamp = *t;  // informational only
    } else if (key == "type") {
      std::string_view t;
      if (!v.get_string().get(t)) is_error = t == "error";
    } else if (key == "events") {
      if (!have_channel) {
        events_pending = true;  // channel not known yet: read them after a rewind
        return {};
      }
      have_events = true;
      return parse_events(v, out);
    }
    return {};
  });
  if (!envelope) return envelope;
  if (!have_channel) {
    if (is_error) {
      out.channel = at_channel::error;
      return {};
    }
    return {errc::unknown_message, "no channel"};
  }
  if (out.channel == at_channel::unknown) return {errc::unknown_message, "unknown channel"};
  if (out.channel == at_channel::l2_data) {
    if (events_pending) {
      // Strings unescaped in the first pass are overwritten from here on; only the channel
      // (an enum) and numbers are kept from it.
      doc.rewind();
      od::object again;
      if (doc.get_object().get(again)) return {errc::malformed_json, "not a JSON object"};
      od::value v;
      if (auto e = again.find_field_unordered("events").get(v); !e) {
        if (auto st = parse_events(v, out); !st) return st;
        have_events = true;
      } else if (e != simdjson::NO_SUCH_FIELD) {
        return {json::map_error(e), "events"};
      }
    }
    if (!have_events) return {errc::missing_field, "l2_data needs events"};
    if (!out.has_sequence) return {errc::missing_field, "l2_data needs sequence_num"};
  }
  return {};
}

}  // namespace depthmon::venues
