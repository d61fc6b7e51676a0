#include "venues/coinbase/exchange_codec.hpp"

#include "core/time.hpp"
#include "venues/common/json.hpp"

namespace depthmon::venues::coinbase {

namespace od = simdjson::ondemand;
using core::errc;

namespace {

// [["buy"|"sell", price, size], ...]
core::status parse_changes(od::value v, std::vector<ex_change>& out) noexcept {
  od::array arr;
  if (auto e = v.get_array().get(arr)) return {json::map_error(e), "changes must be an array"};
  for (auto elem : arr) {
    od::array entry;
    if (auto e = elem.get_array().get(entry)) return {json::map_error(e), "change is not an array"};
    ex_change c;
    int i = 0;
    for (auto item : entry) {
      od::value iv;
      if (auto e = item.get(iv)) return {json::map_error(e), "change entry"};
      if (i == 0) {
        std::string_view s;
        if (auto e = iv.get_string().get(s)) return {json::map_error(e), "change side"};
        if (s == "buy") c.side = core::side::bid;
        else if (s == "sell") c.side = core::side::ask;
        else return {errc::wrong_type, "change side is not buy/sell"};
      } else if (i == 1 || i == 2) {
        auto d = json::decimal_of(iv);
        if (!d) return d.err();
        (i == 1 ? c.level.price : c.level.qty) = *d;
      }
      ++i;
    }
    if (i < 3) return {errc::missing_field, "change needs side, price, size"};
    if (auto st = check_level(c.level); !st) return st;
    out.push_back(c);
  }
  return {};
}

bool is_ignored_type(std::string_view t) noexcept {
  return t == "ticker" || t == "match" || t == "last_match" || t == "received" ||
         t == "open" || t == "done" || t == "change" || t == "activate" || t == "status" ||
         t == "auction" || t == "rfq_match" || t == "ticker_batch";
}

void reset(exchange_message& m) noexcept {
  m.kind = ex_kind::ignored;
  m.type = {};
  m.product_id = {};
  m.bids.clear();
  m.asks.clear();
  m.changes.clear();
  m.time = 0;
  m.sequence = 0;
  m.last_trade_id = 0;
}

}  // namespace

}  // namespace depthmon::venues::coinbase

namespace depthmon::venues {

using namespace coinbase;

template <>
core::status codec_for<coinbase::exchange_message>::parse(core::padded_view frame, coinbase::exchange_message& out) noexcept {
  reset(out);
  od::document doc;
  od::object obj;
  if (auto st = json::iterate_object(parser().parser, frame, doc, obj); !st) return st;

  bool has_type = false, has_product = false, has_bids = false, has_asks = false,
       has_changes = false;
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    core::status st;
    if (key == "type") {
      if (auto e = v.get_string().get(out.type)) return {json::map_error(e), "type"};
      has_type = true;
    } else if (key == "product_id") {
      if (auto e = v.get_string().get(out.product_id)) return {json::map_error(e), "product_id"};
      has_product = true;
    } else if (key == "bids") {
      st = json::parse_levels(v, out.bids, "bids must be an array");
      has_bids = true;
    } else if (key == "asks") {
      st = json::parse_levels(v, out.asks, "asks must be an array");
      has_asks = true;
    } else if (key == "changes") {
      st = parse_changes(v, out.changes);
      has_changes = true;
    } else if (key == "time") {
      std::string_view ts;
      if (!v.get_string().get(ts))
        if (auto t = core::parse_rfc3339(ts)) out.time = *t;  // informational only
    } else if (key == "sequence") {
      // heartbeat/ticker: informational only, never checked.
      if (v.get_uint64().get(out.sequence) != simdjson::SUCCESS) out.sequence = 0;
    } else if (key == "last_trade_id") {
      if (v.get_uint64().get(out.last_trade_id) != simdjson::SUCCESS) out.last_trade_id = 0;
    }
    if (!st) return st;
  }
  if (!has_type) return {errc::unknown_message, "no type"};
  const std::string_view t = out.type;
  if (t == "snapshot") {
    if (!has_product || !has_bids || !has_asks)
      return {errc::missing_field, "snapshot needs product_id, bids, asks"};
    if (out.product_id.empty()) return {errc::missing_field, "empty product_id"};
    out.kind = ex_kind::snapshot;
  } else if (t == "l2update") {
    if (!has_product || !has_changes)
      return {errc::missing_field, "l2update needs product_id, changes"};
    if (out.product_id.empty()) return {errc::missing_field, "empty product_id"};
    out.kind = ex_kind::l2update;
  } else if (t == "subscriptions") {
    out.kind = ex_kind::subscriptions;
  } else if (t == "heartbeat") {
    out.kind = ex_kind::heartbeat;
  } else if (t == "error") {
    out.kind = ex_kind::error;
  } else if (is_ignored_type(t)) {
    out.kind = ex_kind::ignored;
  } else {
    return {errc::unknown_message, "unknown type"};
  }
  return {};
}

}  // namespace depthmon::venues
