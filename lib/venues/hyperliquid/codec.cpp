#include "venues/hyperliquid/codec.hpp"

#include "venues/common/json.hpp"

namespace depthmon::venues::hyperliquid {

namespace od = simdjson::ondemand;
using core::errc;

namespace {

struct fields {
  bool channel = false, method = false, data_object = false;
  std::string_view method_text;
  bool coin = false, levels = false;
  // "data" may be read before "channel": its first error only matters for l2Book.
  core::status data_status;
};

core::status parse_level(od::value v, wire_level& out) noexcept {
  od::object obj;
  if (auto e = v.get_object().get(obj)) return {json::map_error(e), "level is not an object"};
  bool px = false, sz = false;
  for (auto field : obj) {
    std::string_view key;
    od::value fv;
    if (auto st = json::key_value(field, key, fv); !st) return st;
    if (key == "px" || key == "sz") {
      auto d = json::decimal_of(fv);
      if (!d) return d.err();
      (key == "px" ? out.price : out.qty) = *d;
      (key == "px" ? px : sz) = true;
    } else if (key == "n") {
      std::uint64_t n = 0;
      if (auto e = fv.get_uint64().get(n)) return {json::map_error(e), "level n"};
    }
  }
  if (!px || !sz) return {errc::missing_field, "level needs px and sz"};
  return check_level(out);
}

core::status parse_side(od::value v, std::vector<wire_level>& out) noexcept {
  od::array arr;
  if (auto e = v.get_array().get(arr)) return {json::map_error(e), "levels side is not an array"};
  out.clear();
  for (auto elem : arr) {
    od::value lv;
    if (auto e = elem.get(lv)) return {json::map_error(e), "level"};
    wire_level w{};
    if (auto st = parse_level(lv, w); !st) return st;
    out.push_back(w);
  }
  return {};
}

core::status parse_levels(od::value v, message& m) noexcept {
  od::array arr;
  if (auto e = v.get_array().get(arr)) return {json::map_error(e), "levels is not an array"};
  int i = 0;
  for (auto elem : arr) {
    od::value sv;
    if (auto e = elem.get(sv)) return {json::map_error(e), "levels entry"};
    if (i > 1) return {errc::malformed_json, "levels must be [bids, asks]"};
    if (auto st = parse_side(sv, i == 0 ? m.bids : m.asks); !st) return st;
    ++i;
  }
  if (i != 2) return {errc::missing_field, "levels must be [bids, asks]"};
  return {};
}

core::status parse_data(od::object obj, message& m, fields& f) noexcept {
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    if (key == "coin") {
      if (auto e = v.get_string().get(m.coin)) return {json::map_error(e), "data.coin"};
      f.coin = true;
    } else if (key == "time") {
      if (auto e = v.get_uint64().get(m.time_ms)) return {json::map_error(e), "data.time"};
      m.has_time = true;
    } else if (key == "levels") {
      if (auto st = parse_levels(v, m); !st) return st;
      f.levels = true;
    }
  }
  return {};
}

core::status parse_top(od::object obj, message& m, fields& f) noexcept {
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    if (key == "channel") {
      if (auto e = v.get_string().get(m.channel)) return {json::map_error(e), "channel"};
      f.channel = true;
    } else if (key == "data") {
      auto st = json::deferred_object(v, f.data_object, f.data_status,
                                      [&](od::object o) { return parse_data(o, m, f); });
      if (!st) return st;
    } else if (key == "method") {
      if (auto e = v.get_string().get(f.method_text)) return {json::map_error(e), "method"};
      f.method = true;
    }
  }
  return {};
}

bool is_ignored_channel(std::string_view c) noexcept {
  for (std::string_view k : {"bbo", "trades", "candle", "allMids", "activeAssetCtx",
                             "activeSpotAssetCtx", "activeAssetData", "notification", "webData2",
                             "webData3", "orderUpdates", "userEvents", "userFills", "userFundings",
                             "userNonFundingLedgerUpdates", "userTwapSliceFills",
                             "userTwapHistory", "user", "post"})
    if (c == k) return true;
  return false;
}

core::status classify(message& m, const fields& f) noexcept {
  if (f.channel) {
    if (m.channel == "l2Book") {
      if (!f.data_object) return {errc::missing_field, "l2Book needs a data object"};
      if (!f.data_status) return f.data_status;
      if (!f.coin || !f.levels) return {errc::missing_field, "l2Book data needs coin and levels"};
      if (m.coin.empty()) return {errc::missing_field, "l2Book coin is empty"};
      m.kind = msg_kind::l2_book;
      return {};
    }
    if (m.channel == "subscriptionResponse" || m.channel == "pong" || m.channel == "error") {
      m.kind = msg_kind::control;
      return {};
    }
    if (is_ignored_channel(m.channel)) {
      m.kind = msg_kind::ignored;
      return {};
    }
    return {errc::unknown_message, "unknown channel"};
  }
  if (f.method) {
    // {"method":"subscribe"|"unsubscribe"|"ping",...}: our own requests, as recordings and the
    // documentation examples interleave them with what the server sent.
    if (f.method_text == "subscribe" || f.method_text == "unsubscribe" ||
        f.method_text == "ping" || f.method_text == "post") {
      m.kind = msg_kind::control;
      return {};
    }
    return {errc::unknown_message, "unknown method"};
  }
  return {errc::unknown_message, "not a Hyperliquid message"};
}

void reset(message& m) noexcept {
  m.kind = msg_kind::ignored;
  m.channel = m.coin = {};
  m.time_ms = 0;
  m.has_time = false;
  m.bids.clear();
  m.asks.clear();
}

}  // namespace

}  // namespace depthmon::venues::hyperliquid

namespace depthmon::venues {

using namespace hyperliquid;

template <>
core::status codec_for<hyperliquid::message>::parse(core::padded_view frame, hyperliquid::message& out) noexcept {
  reset(out);
  od::document doc;
  od::object obj;
  if (auto st = json::iterate_object(parser().parser, frame, doc, obj); !st) return st;
  fields f;
  if (auto st = parse_top(obj, out, f); !st) return st;
  return classify(out, f);
}

}  // namespace depthmon::venues
