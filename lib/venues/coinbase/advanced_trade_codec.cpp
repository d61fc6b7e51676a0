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
core::status parse_update(od::value elem, std::vector<at_level>& out) noexcept {
  od::object obj;
  if (auto e = elem.get_object().get(obj)) return {json::map_error(e), "update is not an object"};
  at_level l;
  bool has_side = false, has_price = false, has_qty = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    if (key == "side") {
      if (auto st = read_side(v, l.side); !st) return st;
      has_side = true;
    } else if (key == "price_level") {
      auto d = json::decimal_of(v);
      if (!d) return d.err();
      l.level.price = *d;
      has_price = true;
    } else if (key == "new_quantity") {
      auto d = json::decimal_of(v);
      if (!d) return d.err();
      l.level.qty = *d;
      has_qty = true;
    }
    // event_time: not needed (snapshots carry 1970-01-01).
  }
  if (!has_side || !has_price || !has_qty)
    return {errc::missing_field, "update needs side, price_level, new_quantity"};
  if (auto st = check_level(l.level); !st) return st;
  out.push_back(l);
  return {};
}

// l2_data "events": [{"type":..,"product_id":..,"updates":[...]}, ...].
core::status parse_l2_events(od::value v, at_message& m) noexcept {
  od::array arr;
  if (auto e = v.get_array().get(arr)) return {json::map_error(e), "events is not an array"};
  for (auto elem : arr) {
    od::object ev;
    if (auto e = elem.get_object().get(ev)) return {json::map_error(e), "event is not an object"};
    at_book_event be;
    be.first = m.levels.size();
    bool has_type = false, has_product = false, has_updates = false;
    for (auto field : ev) {
      std::string_view key;
      od::value fv;
      if (auto st = json::key_value(field, key, fv); !st) return st;
      if (key == "type") {
        std::string_view t;
        if (auto e = fv.get_string().get(t)) return {json::map_error(e), "event type"};
        if (t == "snapshot") {
          be.type = at_event_type::snapshot;
        } else if (t == "update") {
          be.type = at_event_type::update;
        } else {
          return {errc::unknown_message, "l2_data event type"};
        }
        has_type = true;
      } else if (key == "product_id") {
        if (auto e = fv.get_string().get(be.product_id)) return {json::map_error(e), "product_id"};
        has_product = true;
      } else if (key == "updates") {
        od::array ups;
        if (auto e = fv.get_array().get(ups)) return {json::map_error(e), "updates is not an array"};
        for (auto u : ups) {
          od::value uv;
          if (auto e = u.get(uv)) return {json::map_error(e), "update"};
          if (auto st = parse_update(uv, m.levels); !st) return st;
        }
        has_updates = true;
      }
    }
    if (!has_type || !has_product || !has_updates)
      return {errc::missing_field, "l2_data event needs type, product_id, updates"};
    if (be.product_id.empty()) return {errc::missing_field, "empty product_id"};
    be.count = m.levels.size() - be.first;
    m.events.push_back(be);
  }
  return {};
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
  od::array arr;
  if (auto e = v.get_array().get(arr)) return {json::map_error(e), "events is not an array"};
  for (auto elem : arr) {
    od::object ev;
    if (auto e = elem.get_object().get(ev)) return {json::map_error(e), "event is not an object"};
    for (auto field : ev) {
      std::string_view key;
      if (auto e = field.unescaped_key().get(key)) return {json::map_error(e), "key"};
      if (key != "heartbeat_counter") continue;
      od::value fv;
      if (auto e = field.value().get(fv)) return {json::map_error(e), "value"};
      if (auto st = read_counter(fv, m.heartbeat_counter); !st) return st;
      m.has_heartbeat_counter = true;
    }
  }
  return {};
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

template <>
core::status codec_for<coinbase::at_message>::parse(core::padded_view frame, coinbase::at_message& out) noexcept {
  reset(out);
  od::document doc;
  od::object obj;
  if (auto st = json::iterate_object(parser().parser, frame, doc, obj); !st) return st;

  bool have_channel = false, have_events = false, events_pending = false, is_error = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    if (key == "channel") {
      std::string_view name;
      if (auto e = v.get_string().get(name)) return {json::map_error(e), "channel"};
      out.channel = classify_channel(name);
      have_channel = true;
    } else if (key == "sequence_num") {
      if (auto st = read_u64(v, out.sequence_num, "sequence_num"); !st) return st;
      out.has_sequence = true;
    } else if (key == "timestamp") {
      std::string_view ts;
      if (!v.get_string().get(ts))
        if (auto t = core::parse_rfc3339(ts)) out.timestamp = *t;  // informational only
    } else if (key == "type") {
      std::string_view t;
      if (!v.get_string().get(t)) is_error = t == "error";
    } else if (key == "events") {
      if (have_channel) {
        if (auto st = parse_events(v, out); !st) return st;
        have_events = true;
      } else {
        events_pending = true;  // channel not known yet: read them after a rewind
      }
    }
    // client_id and anything else: not relied on.
  }
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
      for (auto field : again) {
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return {json::map_error(e), "key"};
        if (key != "events") continue;
        od::value v;
        if (auto e = field.value().get(v)) return {json::map_error(e), "value"};
        if (auto st = parse_events(v, out); !st) return st;
        have_events = true;
        break;
      }
    }
    if (!have_events) return {errc::missing_field, "l2_data needs events"};
    if (!out.has_sequence) return {errc::missing_field, "l2_data needs sequence_num"};
  }
  return {};
}

}  // namespace depthmon::venues
