#include "venues/coinbase/exchange_codec.hpp"

#include "core/time.hpp"
#include "venues/common/json.hpp"

namespace depthmon::venues::coinbase {

namespace od = simdjson::ondemand;
using core::errc;

namespace {

// [["buy"|"sell", price, size], ...]
core::status parse_changes(od::value v, std::vector<ex_change>& out) noexcept {
  constexpr json::level_layout layout{.price = 1, .qty = 2, .min_entries = 3};
  return json::for_each_element(v, "changes must be an array", [&](od::value ev) -> core::status {
    od::array entry;
    if (auto e = ev.get_array().get(entry)) return {json::map_error(e), "change is not an array"};
    ex_change c;
    auto side = [&](int i, od::value iv, std::string_view, core::decimal) -> core::status {
      if (i != 0) return {};
      std::string_view s;
      if (auto st = json::read(iv, s, "change side"); !st) return st;
      if (s == "buy") c.side = core::side::bid;
      else if (s == "sell") c.side = core::side::ask;
      else return {errc::wrong_type, "change side is not buy/sell"};
      return {};
    };
    if (auto st = json::parse_positional_level(entry, layout, c.level, side); !st) return st;
    out.push_back(c);
    return {};
  });
}

struct fields {
  bool type = false, product = false, bids = false, asks = false, changes = false;
};

core::status parse_top(od::object obj, exchange_message& m, fields& f) noexcept {
  return json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "type") return json::read(v, m.type, f.type, "type");
    if (key == "product_id") return json::read(v, m.product_id, f.product, "product_id");
    if (key == "bids") return json::parse_levels(v, m.bids, f.bids, "bids must be an array");
    if (key == "asks") return json::parse_levels(v, m.asks, f.asks, "asks must be an array");
    if (key == "changes") {
      f.changes = true;
      return parse_changes(v, m.changes);
    }
    if (key == "time") {
      std::string_view ts;
      if (!v.get_string().get(ts))
        if (auto t = core::parse_rfc3339(ts)) m.time = *t;  // informational only
    } else if (key == "sequence") {
      // heartbeat/ticker: informational only, never checked.
      if (v.get_uint64().get(m.sequence) != simdjson::SUCCESS) m.sequence = 0;
    } else if (key == "last_trade_id") {
      if (v.get_uint64().get(m.last_trade_id) != simdjson::SUCCESS) m.last_trade_id = 0;
    }
    return {};
  });
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

core::status classify(exchange_message& m, const fields& f) noexcept {
  if (!f.type) return {errc::unknown_message, "no type"};
  const std::string_view t = m.type;
  if (t == "snapshot") {
    if (!f.product || !f.bids || !f.asks)
      return {errc::missing_field, "snapshot needs product_id, bids, asks"};
    if (m.product_id.empty()) return {errc::missing_field, "empty product_id"};
    m.kind = ex_kind::snapshot;
  } else if (t == "l2update") {
    if (!f.product || !f.changes)
      return {errc::missing_field, "l2update needs product_id, changes"};
    if (m.product_id.empty()) return {errc::missing_field, "empty product_id"};
    m.kind = ex_kind::l2update;
  } else if (t == "subscriptions") {
    m.kind = ex_kind::subscriptions;
  } else if (t == "heartbeat") {
    m.kind = ex_kind::heartbeat;
  } else if (t == "error") {
    m.kind = ex_kind::error;
  } else if (is_ignored_type(t)) {
    m.kind = ex_kind::ignored;
  } else {
    return {errc::unknown_message, "unknown type"};
  }
  return {};
}

}  // namespace

}  // namespace depthmon::venues::coinbase

namespace depthmon::venues {

DEPTHMON_CODEC_PARSE(coinbase::exchange_message) {
  return json::read_then_classify<coinbase::fields>(parser().parser, frame, out, coinbase::reset,
                                                    coinbase::parse_top, coinbase::classify);
}

}  // namespace depthmon::venues
