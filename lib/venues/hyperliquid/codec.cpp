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

core::status parse_level(od::object obj, std::vector<wire_level>& out) noexcept {
  wire_level w{};
  bool px = false, sz = false;
  auto st = json::for_each_field(obj, [&](std::string_view key, od::value fv) -> core::status {
    if (key == "n") {
      std::uint64_t n = 0;
      return json::read(fv, n, "level n");
    }
    if (key != "px" && key != "sz") return {};
    auto d = json::decimal_of(fv);
    if (!d) return d.err();
    (key == "px" ? w.price : w.qty) = *d;
    (key == "px" ? px : sz) = true;
    return {};
  });
  if (!st) return st;
  if (!px || !sz) return {errc::missing_field, "level needs px and sz"};
  if (st = check_level(w); !st) return st;
  out.push_back(w);
  return {};
}

// "levels": exactly [bids, asks], each an array of {px, sz, n} objects.
core::status parse_levels(od::value v, message& m) noexcept {
  int i = 0;
  auto st = json::for_each_element(v, "levels is not an array", [&](od::value sv) -> core::status {
    if (i > 1) return {errc::malformed_json, "levels must be [bids, asks]"};
    std::vector<wire_level>& side = i++ == 0 ? m.bids : m.asks;
    side.clear();
    return json::for_each_object(sv, "levels side is not an array of objects",
                                 [&](od::object o) { return parse_level(o, side); });
  });
  if (!st) return st;
  if (i != 2) return {errc::missing_field, "levels must be [bids, asks]"};
  return {};
}

core::status parse_data(od::object obj, message& m, fields& f) noexcept {
  return json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "coin") return json::read(v, m.coin, f.coin, "data.coin");
    if (key == "time") return json::read(v, m.time_ms, m.has_time, "data.time");
    if (key != "levels") return {};
    f.levels = true;
    return parse_levels(v, m);
  });
}

core::status parse_top(od::object obj, message& m, fields& f) noexcept {
  return json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "channel") return json::read(v, m.channel, f.channel, "channel");
    if (key == "method") return json::read(v, f.method_text, f.method, "method");
    if (key != "data") return {};
    return json::deferred_object(v, f.data_object, f.data_status,
                                 [&](od::object o) { return parse_data(o, m, f); });
  });
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

DEPTHMON_CODEC_PARSE(hyperliquid::message) {
  return json::read_then_classify<hyperliquid::fields>(parser().parser, frame, out,
                                                       hyperliquid::reset, hyperliquid::parse_top,
                                                       hyperliquid::classify);
}

}  // namespace depthmon::venues
