#include "venues/kraken/v2_codec.hpp"

#include "venues/common/json.hpp"
#include "core/time.hpp"
#include "venues/kraken/book_fields.hpp"

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
  note_digits(*t, *d, digits_max);
  return {};
}

// {"price":p,"qty":q}
core::status parse_level(od::object lo, std::vector<wire_level>& out, book_data& b) noexcept {
  wire_level w{};
  bool has_price = false, has_qty = false;
  auto st = json::for_each_field(lo, [&](std::string_view k, od::value lv) -> core::status {
    const bool price = k == "price";
    if (!price && k != "qty") return {};
    (price ? has_price : has_qty) = true;
    return price ? read_value(lv, w.price, b.price_digits) : read_value(lv, w.qty, b.qty_digits);
  });
  if (!st) return st;
  if (!has_price || !has_qty) return {errc::missing_field, "level needs price and qty"};
  if (st = check_level(w); !st) return st;
  out.push_back(w);
  return {};
}

// [{"price":p,"qty":q}, ...]
core::status parse_levels(od::value v, std::vector<wire_level>& out, book_data& b) noexcept {
  return json::for_each_object(v, "bids/asks must be arrays of objects",
                               [&](od::object lo) { return parse_level(lo, out, b); });
}

// One element of a book message's "data".
core::status parse_book_entry(od::object o, book_data& b) noexcept {
  bool has_symbol = false;
  auto st = json::for_each_field(o, [&](std::string_view k, od::value v) -> core::status {
    if (k == "symbol") return json::read(v, b.symbol, has_symbol, "symbol");
    if (k == "bids") return parse_levels(v, b.bids, b);
    if (k == "asks") return parse_levels(v, b.asks, b);
    if (k == "checksum") return read_checksum(v, b, "checksum must be a number");
    if (k == "timestamp") {
      std::string_view ts;
      if (!v.get_string().get(ts))
        if (auto t = core::parse_rfc3339(ts)) b.event_time = *t;
    }
    return {};
  });
  if (!st) return st;
  if (!has_symbol) return {errc::missing_field, "book data needs symbol"};
  if (!b.has_checksum) return {errc::missing_field, "book data needs checksum"};
  return {};
}

// A precision as published; absurd ones are kept above max_scale so the caller drops them.
core::status read_precision(od::value v, unsigned& out, bool& seen, const char* what) noexcept {
  std::uint64_t n = 0;
  if (auto st = json::read(v, n, seen, what); !st) return st;
  out = static_cast<unsigned>(n > core::max_scale ? core::max_scale + 1 : n);
  return {};
}

// {"symbol":"BTC/USD","price_precision":1,"qty_precision":8,...}
core::status parse_pair(od::object o, message& m) noexcept {
  pair_precision p;
  bool has_symbol = false, has_price = false, has_qty = false;
  auto st = json::for_each_field(o, [&](std::string_view k, od::value v) -> core::status {
    if (k == "symbol") return json::read(v, p.symbol, has_symbol, "pair symbol");
    if (k == "price_precision") return read_precision(v, p.price, has_price, "price_precision");
    if (k == "qty_precision") return read_precision(v, p.qty, has_qty, "qty_precision");
    return {};
  });
  if (!st) return st;
  // Pairs without both precisions (or absurd ones) teach nothing about the checksum.
  if (has_symbol && has_price && has_qty && p.price <= core::max_scale && p.qty <= core::max_scale)
    m.precisions.push_back(p);
  return {};
}

core::status parse_pair_array(od::value v, message& m) noexcept {
  return json::for_each_object(v, "pairs must be an array of objects",
                               [&](od::object o) { return parse_pair(o, m); });
}

// instrument "data": {"assets":[...],"pairs":[...]} (or an array of pairs).
core::status parse_instrument_data(od::value v, message& m) noexcept {
  od::json_type t;
  if (auto e = v.type().get(t)) return {json::map_error(e), "instrument data"};
  if (t == od::json_type::array) return parse_pair_array(v, m);
  od::object o;
  if (auto e = v.get_object().get(o)) return {json::map_error(e), "instrument data"};
  return json::for_each_field(o, [&](std::string_view k, od::value pv) -> core::status {
    return k == "pairs" ? parse_pair_array(pv, m) : core::status{};
  });
}

core::status parse_data(std::string_view channel, od::value v, message& m) noexcept {
  if (channel == "book")
    return json::for_each_object(v, "book data must be an array of objects",
                                 [&](od::object o) { return parse_book_entry(o, m.add_book()); });
  if (channel == "instrument") return parse_instrument_data(v, m);
  return {};  // other channels' payloads are not needed
}

core::status parse_result(od::value v, envelope& env) noexcept {
  od::object o;
  if (v.get_object().get(o)) return {};  // pong and errors carry no result object
  return json::for_each_field(o, [&](std::string_view k, od::value rv) -> core::status {
    if (k == "channel") return json::read(rv, env.ack_channel, "channel");
    if (k == "symbol") return json::read(rv, env.ack_symbol, "symbol");
    if (k == "depth") return json::read(rv, env.ack_depth, "depth");
    return {};
  });
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
    if (me == "unsubscribe" && env.success && env.ack_channel == "book" &&
        !env.ack_symbol.empty()) {
      m.kind = msg_kind::unsubscribed;
      m.symbol = env.ack_symbol;
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

DEPTHMON_CODEC_PARSE(kraken::message, kraken::v2_tag) {
  kraken::message& m = out;
  m.reset();
  od::document doc;
  od::json_type t;
  if (auto st = json::iterate_document(parser().parser, frame, doc, t); !st) return st;
  if (t != od::json_type::object) return {errc::unknown_message, "not a JSON object"};
  od::object obj;
  if (auto e = doc.get_object().get(obj)) return {json::map_error(e), "document"};

  envelope env;
  bool data_deferred = false;
  auto st = json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "channel") return json::read(v, env.channel, env.has_channel, "channel");
    if (key == "type") return json::read(v, env.type, env.has_type, "type");
    if (key == "method") return json::read(v, env.method, env.has_method, "method");
    if (key == "success") return json::read(v, env.success, "success");
    if (key == "result") return parse_result(v, env);
    if (key != "data") return {};
    env.has_data = true;
    // Kraken sends "channel" first; if not, come back for "data" once the channel is known.
    data_deferred = !env.has_channel;
    return env.has_channel ? parse_data(env.channel, v, m) : core::status{};
  });
  if (!st) return st;
  if (data_deferred && env.has_channel) {
    bool non_empty = false;
    if (auto e = obj.reset().get(non_empty)) return {json::map_error(e), "document"};
    od::value v;
    if (auto e = obj.find_field_unordered("data").get(v)) return {json::map_error(e), "data"};
    if (auto st2 = parse_data(env.channel, v, m); !st2) return st2;
  }
  return classify(env, m);
}

}  // namespace depthmon::venues
