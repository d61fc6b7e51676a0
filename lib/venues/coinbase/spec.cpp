#include "venues/coinbase/spec.hpp"

#include "core/json_escape.hpp"
#include "venues/coinbase/advanced_trade_sync.hpp"
#include "venues/coinbase/exchange_sync.hpp"
#include "venues/common/settings.hpp"
#include "venues/registry.hpp"

namespace depthmon::venues::coinbase {
namespace {

// {"type":"subscribe"|"unsubscribe","product_ids":[...]<tail>}
std::string typed(bool subscribe, std::span<const std::string> products, std::string_view tail) {
  std::string out = subscribe ? "{\"type\":\"subscribe\"" : "{\"type\":\"unsubscribe\"";
  out += ",\"product_ids\":[";
  for (std::size_t i = 0; i < products.size(); ++i) {
    if (i) out.push_back(',');
    core::append_json_string(out, products[i]);
  }
  out += ']';
  out += tail;
  return out;
}

std::vector<std::string> one_or_none(bool subscribe, std::span<const std::string> products,
                                     std::string_view tail) {
  if (products.empty()) return {};
  return {typed(subscribe, products, tail)};
}

constexpr std::string_view k_level2 = ",\"channel\":\"level2\"}";
constexpr std::string_view k_level2_batch = ",\"channels\":[\"level2_batch\",\"heartbeat\"]}";

}  // namespace

connection_plan advanced_trade_spec::connect(std::span<const std::string> symbols) const {
  connection_plan plan{base().ws_url, subscribe(symbols)};
  plan.frames.emplace_back(R"({"type":"subscribe","channel":"heartbeats"})");
  return plan;
}

std::vector<std::string> advanced_trade_spec::subscribe(std::span<const std::string> symbols) const {
  return one_or_none(true, symbols, k_level2);
}

std::vector<std::string> advanced_trade_spec::unsubscribe(
    std::span<const std::string> symbols) const {
  return one_or_none(false, symbols, k_level2);
}

keep_alive advanced_trade_spec::keepalive() const {
  // The heartbeats subscription (sent by connect) keeps the channels open.
  return {{}, 0, false, 60'000};
}

core::result<instrument_info> advanced_trade_spec::instrument_of(
    std::string_view symbol, const std::map<std::string, std::string>&) const {
  return split_separated(symbol, '-');  // BTC-USD
}

venue_limits advanced_trade_spec::limits() const {
  venue_limits l;
  l.client_messages = {8, 1};
  l.connections = {8, 1};
  return l;
}

std::vector<std::string> exchange_spec::subscribe(std::span<const std::string> symbols) const {
  return one_or_none(true, symbols, k_level2_batch);
}

std::vector<std::string> exchange_spec::unsubscribe(std::span<const std::string> symbols) const {
  return one_or_none(false, symbols, k_level2_batch);
}

keep_alive exchange_spec::keepalive() const { return {}; }  // the heartbeat channel suffices

core::result<instrument_info> exchange_spec::instrument_of(
    std::string_view symbol, const std::map<std::string, std::string>&) const {
  return split_separated(symbol, '-');  // BTC-USD
}

venue_limits exchange_spec::limits() const { return {}; }

// ---- registration ---------------------------------------------------------------------

namespace {

template <core::venue V>
core::result<no_settings> checked(const protocol_options& opt) {
  if (auto st = check_setting_keys(V, opt.settings, {}); !st) return st.err();
  return no_settings{};
}

constexpr endpoint_defaults k_at{at_ws_url, at_rest_url};
constexpr endpoint_defaults k_exchange{exchange_ws_url, exchange_rest_url};

}  // namespace
}  // namespace depthmon::venues::coinbase

DEPTHMON_DEFINE_VENUE(coinbase, false, "", coinbase::advanced_trade_protocol,
                      coinbase::advanced_trade_spec, &coinbase::checked<core::venue::coinbase>,
                      coinbase::k_at)
DEPTHMON_DEFINE_VENUE(coinbase_exchange, false, "", coinbase::exchange_protocol,
                      coinbase::exchange_spec,
                      &coinbase::checked<core::venue::coinbase_exchange>, coinbase::k_exchange)
