#include "venues/kraken/v2_codec.hpp"

#include "venues/common/json.hpp"
#include "core/time.hpp"
#include "venues/kraken/wire_text.hpp"

namespace depthmon::venues::kraken {

namespace od = simdjson::ondemand;
using core::errc;

namespace {

struct envelope {
  std::string_view channel, type, method;
  bool has_channel = false, has_type = false, has_method = false, has_data = false;
  bool success = false;
  std::string_view ack_channel, ack_symbol;
  std::uint64_t ack_depth = 0;
};

// A price or size: exact decimal from the token text, plus the digits it was written with.
core::status read_value(od::value v, core::decimal& out, unsigned& digits_max) noexcept {
  auto t = json::token_text(v);
  if (!t) return t.err();
  auto d = core::parse_decimal(*t);
  if (!d) return d.err();
  out = *d;
  const unsigned w = written_digits(*t, *d);
  if (w > digits_max) digits_max = w;
  return {};
}

// [{"price":p,"qty":q}, ...]
core::status parse_levels(od::value v, std::vector<wire_level>& out, book_data& b) noexcept {
  od::array arr;
  if (auto e = v.get_array().get(arr)) return {json::map_error(e), "bids/asks must be arrays"};
  for (auto elem : arr) {
    od::object lo;
    if (auto e = elem.get_object().get(lo)) return {json::map_error(e), "level must be an object"};
    wire_level w{};
    bool has_price = false, has_qty = false;
    for (auto f : lo) {
      std::string_view k;
      od::value lv;
      if (auto st = json::key_value(f, k, lv); !st) return st;
      core::status st;
      if (k == "price") {
        st = read_value(lv, w.price, b.price_digits);
        has_price = true;
      } else if (k == "qty") {
        st = read_value(lv, w.qty, b.qty_digits);
        has_qty = true;
      }
      if (!st) return st;
    }
    if (!has_price || !has_qty) return {errc::missing_field, "level needs price and qty"};
    if (w.price.mantissa <= 0) return {errc::bad_number, "price must be positive"};
    if (w.qty.mantissa < 0) return {errc::bad_number, "qty must not be negative"};
    out.push_back(w);
  }
  return {};
}

// One element of a book message's "data".
core::status parse_book_entry(od::object o, book_data& b) noexcept {
  bool has_symbol = false;
  for (auto f : o) {
    std::string_view k;
    od::value v;
    if (auto st = json::key_value(f, k, v); !st) return st;
    core::status st;
    if (k == "symbol") {
      if (auto e = v.get_string().get(b.symbol)) return {json::map_error(e), "symbol"};
      has_symbol = true;
    } else if (k == "bids") {
      st = parse_levels(v, b.bids, b);
    } else if (k == "asks") {
      st = parse_levels(v, b.asks, b);
    } else if (k == "checksum") {
      auto t = json::token_text(v);
      if (!t) return {t.code(), "checksum must be a number"};
      if (!parse_checksum(*t, b.checksum))
        return {errc::bad_number, "checksum must be an unsigned 32-bit integer"};
      b.has_checksum = true;
    } else if (k == "timestamp") {
      std::string_view ts;
      if (!v.get_string().get(ts))
        if (auto t = core::parse_rfc3339(ts)) b.event_time = *t;
    }
    if (!st) return st;
  }
  if (!has_symbol) return {errc::missing_field, "book data needs symbol"};
  if (!b.has_checksum) return {errc::missing_field, "book data needs checksum"};
  return {};
}

// {"symbol":"BTC/USD","price_precision":1,"qty_precision":8,...}
core::status parse_pair(od::object o, message& m) noexcept {
  pair_precision p;
  bool has_symbol = false, has_price = false, has_qty = false;
  for (auto f : o) {
    std::string_view k;
    od::value v;
    if (auto st = json::key_value(f, k, v); !st) return st;
    std::uint64_t n = 0;
    if (k == "symbol") {
      if (auto e = v.get_string().get(p.symbol)) return {json::map_error(e), "pair symbol"};
      has_symbol = true;
    } else if (k == "price_precision") {
      if (auto e = v.get_uint64().get(n)) return {json::map_error(e), "price_precision"};
      p.price = static_cast<unsigned>(n > core::max_scale ? core::max_scale + 1 : n);
      has_price = true;
    } else if (k == "qty_precision") {
      if (auto e = v.get_uint64().get(n)) return {json::map_error(e), "qty_precision"};
      p.qty = static_cast<unsigned>(n > core::max_scale ? core::max_scale + 1 : n);
      has_qty = true;
    }
  }
  // Pairs without both precisions (or absurd ones) teach nothing about the checksum.
  if (has_symbol && has_price && has_qty && p.price <= core::max_scale && p.qty <= core::max_scale)
    m.precisions.push_back(p);
  return {};
}

core::status parse_pair_array(od::array arr, message& m) noexcept {
  for (auto elem : arr) {
    od::object o;
    if (auto e = elem.get_object().get(o)) return {json::map_error(e), "pair must be an object"};
    if (auto st = parse_pair(o, m); !st) return st;
  }
  return {};
}

// instrument "data": {"assets":[...],"pairs":[...]} (or an array of pairs).
core::status parse_instrument_data(od::value v, message& m) noexcept {
  od::json_type t;
  if (auto e = v.type().get(t)) return {json::map_error(e), "instrument data"};
  if (t == od::json_type::array) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return {json::map_error(e), "instrument data"};
    return parse_pair_array(arr, m);
  }
  od::object o;
  if (auto e = v.get_object().get(o)) return {json::map_error(e), "instrument data"};
  for (auto f : o) {
    std::string_view k;
    if (auto e = f.unescaped_key().get(k)) return {json::map_error(e), "key"};
    if (k != "pairs") continue;
    od::array arr;
    if (auto e = f.value().get_array().get(arr)) return {json::map_error(e), "pairs"};
    if (auto st = parse_pair_array(arr, m); !st) return st;
  }
  return {};
}

core::status parse_data(std::string_view channel, od::value v, message& m) noexcept {
  if (channel == "book") {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return {json::map_error(e), "book data must be an array"};
    for (auto elem : arr) {
      od::object o;
      if (auto e = elem.get_object().get(o))
        return {json::map_error(e), "book data element must be an object"};
      if (auto st = parse_book_entry(o, m.add_book()); !st) return st;
    }
    return {};
  }
  if (channel == "instrument") return parse_instrument_data(v, m);
  return {};  // other channels' payloads are not needed
}

core::status parse_result(od::value v, envelope& env) noexcept {
  od::object o;
  if (v.get_object().get(o)) return {};  // pong and errors carry no result object
  for (auto f : o) {
    std::string_view k;
    od::value rv;
    if (auto st = json::key_value(f, k, rv); !st) return st;
    if (k == "channel") {
      if (auto e = rv.get_string().get(env.ack_channel)) return {json::map_error(e), "channel"};
    } else if (k == "symbol") {
      if (auto e = rv.get_string().get(env.ack_symbol)) return {json::map_error(e), "symbol"};
    } else if (k == "depth") {
      if (auto e = rv.get_uint64().get(env.ack_depth)) return {json::map_error(e), "depth"};
    }
  }
  return {};
}

bool is_ignored_channel(std::string_view c) noexcept {
  return c == "ticker" || c == "trade" || c == "ohlc" || c == "level3" || c == "executions" ||
         c == "balances";
}

core::status classify(const envelope& env, message& m) noexcept {
  if (env.has_channel) {
    const std::string_view ch = env.channel;
    if (ch == "book") {
      if (!env.has_data) return {errc::missing_field, "book message needs data"};
      if (!env.has_type) return {errc::missing_field, "book message needs type"};
      bool snapshot = false;
      if (env.type == "snapshot") snapshot = true;
      else if (env.type != "update") return {errc::unknown_message, "book type not snapshot/update"};
      if (m.book_count == 0) return {errc::missing_field, "book data is empty"};
      for (std::size_t i = 0; i < m.book_count; ++i) m.books[i].snapshot = snapshot;
      m.kind = msg_kind::book;
      return {};
    }
    if (ch == "heartbeat" || ch == "status") {
      m.kind = msg_kind::control;
      return {};
    }
    if (ch == "instrument") {
      m.kind = msg_kind::instrument;
      return {};
    }
    if (is_ignored_channel(ch)) {
      m.kind = msg_kind::ignored;
      return {};
    }
    return {errc::unknown_message, "unknown Kraken v2 channel"};
  }
  if (env.has_method) {
    const std::string_view me = env.method;
    if (me == "subscribe" && env.success && env.ack_channel == "book" && !env.ack_symbol.empty()) {
      m.kind = msg_kind::subscribed;
      m.symbol = env.ack_symbol;
      m.depth = valid_depth(env.ack_depth) ? static_cast<std::uint32_t>(env.ack_depth) : 0;
      return {};
    }
    if (me == "subscribe" || me == "unsubscribe" || me == "pong" || me == "ping") {
      m.kind = msg_kind::control;
      return {};
    }
    return {errc::unknown_message, "unknown Kraken v2 method"};
  }
  return {errc::unknown_message, "not a Kraken v2 message"};
}

}  // namespace

}  // namespace depthmon::venues::kraken

namespace depthmon::venues {

using namespace kraken;

template <>
core::status codec_for<kraken::message, kraken::v2_tag>::parse(core::padded_view frame, kraken::message& m) noexcept {
  m.reset();
  od::document doc;
  if (auto e = parser().parser.iterate(json::padded(frame)).get(doc))
    return {json::map_error(e), "document"};
  od::json_type t;
  if (doc.type().get(t)) return {errc::malformed_json, "not JSON"};
  if (t != od::json_type::object) return {errc::unknown_message, "not a JSON object"};
  od::object obj;
  if (auto e = doc.get_object().get(obj)) return {json::map_error(e), "document"};

  envelope env;
  bool data_deferred = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    core::status st;
    if (key == "channel") {
      if (auto e = v.get_string().get(env.channel)) return {json::map_error(e), "channel"};
      env.has_channel = true;
    } else if (key == "type") {
      if (auto e = v.get_string().get(env.type)) return {json::map_error(e), "type"};
      env.has_type = true;
    } else if (key == "method") {
      if (auto e = v.get_string().get(env.method)) return {json::map_error(e), "method"};
      env.has_method = true;
    } else if (key == "success") {
      if (auto e = v.get_bool().get(env.success)) return {json::map_error(e), "success"};
    } else if (key == "result") {
      st = parse_result(v, env);
    } else if (key == "data") {
      env.has_data = true;
      // Kraken sends "channel" first; if not, come back for "data" once the channel is known.
      if (env.has_channel) st = parse_data(env.channel, v, m);
      else data_deferred = true;
    }
    if (!st) return st;
  }
  if (data_deferred && env.has_channel) {
    bool non_empty = false;
    if (auto e = obj.reset().get(non_empty)) return {json::map_error(e), "document"};
    od::value v;
    if (auto e = obj.find_field_unordered("data").get(v)) return {json::map_error(e), "data"};
    if (auto st = parse_data(env.channel, v, m); !st) return st;
  }
  return classify(env, m);
}

}  // namespace depthmon::venues
