#include "venues/binance/codec.hpp"

#include <string>

#include "venues/common/json.hpp"

namespace depthmon::venues::binance {

namespace od = simdjson::ondemand;
using core::errc;

struct codec::impl {
  od::parser parser;
  std::string symbol;  // a partial's symbol, uppercased from its stream name
};

namespace {

struct fields {
  bool has_e = false, has_U = false, has_u = false, has_last_update_id = false;
  bool has_bids = false, has_asks = false, has_b_str = false, has_a_str = false;
  bool has_B = false, has_A = false, has_result = false, has_id = false, has_code = false;
  bool has_s = false;
};

core::status read_u64(od::value v, std::uint64_t& out) noexcept {
  if (auto e = v.get_uint64().get(out)) return {json::map_error(e), "update id"};
  return {};
}

core::status read_i64(od::value v, std::int64_t& out) noexcept {
  if (auto e = v.get_int64().get(out)) return {json::map_error(e), "integer"};
  return {};
}

core::status read_decimal(od::value v, core::decimal& out) noexcept {
  auto d = json::decimal_of(v);
  if (!d) return d.err();
  out = *d;
  return {};
}

// One pass over an object's fields, whatever their order. `depth` guards "data" nesting.
core::status parse_object(od::object obj, message& m, fields& f, int depth) noexcept {
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    core::status st;
    if (key == "e") {
      if (auto e = v.get_string().get(m.event_type)) return {json::map_error(e), "e"};
      f.has_e = true;
    } else if (key == "s") {
      if (auto e = v.get_string().get(m.symbol)) return {json::map_error(e), "s"};
      f.has_s = true;
    } else if (key == "U") {
      st = read_u64(v, m.first_update_id);
      f.has_U = true;
    } else if (key == "u") {
      st = read_u64(v, m.final_update_id);
      f.has_u = true;
    } else if (key == "pu") {
      std::int64_t pu = 0;
      st = read_i64(v, pu);
      m.prev_final_update_id = static_cast<std::uint64_t>(pu);
      m.has_prev = true;
    } else if (key == "lastUpdateId") {
      st = read_u64(v, m.final_update_id);
      f.has_last_update_id = true;
    } else if (key == "E") {
      st = read_i64(v, m.event_time_ms);
    } else if (key == "T") {
      st = read_i64(v, m.transaction_time_ms);
    } else if (key == "b" || key == "a" || key == "bids" || key == "asks") {
      const bool bid = key[0] == 'b';
      od::json_type t;
      if (auto e = v.type().get(t)) return {json::map_error(e), "b/a"};
      if (t == od::json_type::array) {
        od::array arr;
        if (auto e = v.get_array().get(arr)) return {json::map_error(e), "levels"};
        st = json::parse_level_array(arr, bid ? m.bids : m.asks);
        (bid ? f.has_bids : f.has_asks) = true;
      } else if (key.size() == 1) {
        st = read_decimal(v, bid ? m.best_bid.price : m.best_ask.price);
        (bid ? f.has_b_str : f.has_a_str) = true;
      } else {
        return {errc::wrong_type, "bids/asks must be arrays"};
      }
    } else if (key == "B") {
      st = read_decimal(v, m.best_bid.qty);
      f.has_B = true;
    } else if (key == "A") {
      st = read_decimal(v, m.best_ask.qty);
      f.has_A = true;
    } else if (key == "stream" && depth == 0) {
      if (auto e = v.get_string().get(m.stream)) return {json::map_error(e), "stream"};
    } else if (key == "data" && depth == 0) {
      od::object inner;
      if (auto e = v.get_object().get(inner)) return {json::map_error(e), "data"};
      st = parse_object(inner, m, f, depth + 1);
    } else if (key == "result") {
      f.has_result = true;
    } else if (key == "id") {
      f.has_id = true;
    } else if (key == "code") {
      std::int64_t c = 0;
      if (!v.get_int64().get(c)) m.error_code = c;
      f.has_code = true;
    } else if (key == "error" && depth == 0) {
      f.has_code = true;
      od::object err;
      if (!v.get_object().get(err)) {
        std::int64_t c = 0;
        if (!err.find_field_unordered("code").get_int64().get(c)) m.error_code = c;
      }
    }
    // Other keys ("stream", "msg", trade/kline payload fields ...) are not needed.
    if (!st) return st;
  }
  return {};
}

// "<symbol>@depth<N>" or "<symbol>@depth<N>@<speed>": the partial book depth streams (N = 5, 10,
// 20). Returns N, or 0 for any other stream ("@depth" and "@depth@100ms" are diff streams).
std::uint32_t partial_levels_of(std::string_view stream) noexcept {
  const auto at = stream.find("@depth");
  if (at == std::string_view::npos) return 0;
  std::uint32_t n = 0;
  std::size_t i = at + 6;
  for (; i < stream.size() && stream[i] >= '0' && stream[i] <= '9' && n < 1000; ++i)
    n = n * 10 + static_cast<std::uint32_t>(stream[i] - '0');
  if (i < stream.size() && stream[i] != '@') return 0;
  return n;
}

bool is_ignored_event(std::string_view e) noexcept {
  return e == "aggTrade" || e == "trade" || e == "kline" || e == "24hrTicker" ||
         e == "24hrMiniTicker" || e == "avgPrice" || e == "markPriceUpdate" ||
         e == "forceOrder" || e == "continuous_kline" || e == "compositeIndex" ||
         e == "contractInfo" || e == "assetIndexUpdate" || e == "1hTicker" ||
         e == "4hTicker" || e == "1dTicker";
}

core::status classify(message& m, const fields& f) noexcept {
  // A partial carries no symbol on spot and looks like a diff event on USD-M: only the stream
  // name tells it apart.
  if (const std::uint32_t n = partial_levels_of(m.stream); n > 0) {
    if (!(f.has_last_update_id || f.has_u) || !f.has_bids || !f.has_asks)
      return {errc::missing_field, "partial depth needs lastUpdateId (or u), bids, asks"};
    m.kind = msg_kind::partial_depth;
    m.partial_levels = n;
    return {};
  }
  if (f.has_e) {
    if (m.event_type == "depthUpdate") {
      if (!f.has_U || !f.has_u || !f.has_s || !f.has_bids || !f.has_asks)
        return {errc::missing_field, "depthUpdate needs s, U, u, b, a"};
      m.kind = msg_kind::depth_update;
      return {};
    }
    if (m.event_type == "bookTicker") {
      if (!(f.has_u && f.has_s && f.has_b_str && f.has_B && f.has_a_str && f.has_A))
        return {errc::missing_field, "bookTicker needs u, s, b, B, a, A"};
      m.kind = msg_kind::book_ticker;
      return {};
    }
    if (m.event_type == "serverShutdown") {
      m.kind = msg_kind::server_shutdown;
      return {};
    }
    if (is_ignored_event(m.event_type)) {
      m.kind = msg_kind::ignored;
      return {};
    }
    return {errc::unknown_message, "unknown event type"};
  }
  // Spot bookTicker has no "e".
  if (f.has_u && f.has_s && f.has_b_str && f.has_B && f.has_a_str && f.has_A) {
    m.kind = msg_kind::book_ticker;
    return {};
  }
  if (f.has_last_update_id && f.has_bids && f.has_asks) {
    m.kind = msg_kind::depth_snapshot;
    return {};
  }
  if (f.has_code) {
    m.kind = msg_kind::error;
    return {};
  }
  if (f.has_result && f.has_id) {
    m.kind = msg_kind::subscription;
    return {};
  }
  return {errc::unknown_message, "not a Binance market-data message"};
}

void reset(message& m) noexcept {
  m.kind = msg_kind::ignored;
  m.symbol = {};
  m.stream = {};
  m.partial_levels = 0;
  m.event_type = {};
  m.first_update_id = m.final_update_id = m.prev_final_update_id = 0;
  m.has_prev = false;
  m.event_time_ms = m.transaction_time_ms = 0;
  m.bids.clear();
  m.asks.clear();
  m.best_bid = m.best_ask = {};
  m.error_code = 0;
}

}  // namespace

codec::codec() : impl_(std::make_unique<impl>()) {}
codec::~codec() = default;

core::status codec::parse(core::padded_view frame, message& out) noexcept {
  reset(out);
  od::document doc;
  od::object obj;
  if (auto st = json::iterate_object(impl_->parser, frame, doc, obj); !st) return st;
  fields f;
  if (auto st = parse_object(obj, out, f, 0); !st) return st;
  if (auto st = classify(out, f); !st) return st;
  if (out.kind == msg_kind::partial_depth && out.symbol.empty()) {
    // Stream names use the lowercase symbol; books and REST use the uppercase one.
    const std::string_view name = out.stream.substr(0, out.stream.find('@'));
    impl_->symbol.assign(name);
    for (char& c : impl_->symbol)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    out.symbol = impl_->symbol;
  }
  return {};
}

core::status codec::parse_snapshot(core::padded_view body, message& out) noexcept {
  auto st = parse(body, out);
  if (!st) return st;
  if (out.kind != msg_kind::depth_snapshot && out.kind != msg_kind::error)
    return {errc::unknown_message, "not a depth snapshot"};
  return {};
}

}  // namespace depthmon::venues::binance
