#include "venues/hyperliquid/spec.hpp"

#include "core/json_escape.hpp"
#include "venues/hyperliquid/sync.hpp"
#include "venues/registry.hpp"

namespace depthmon::venues::hyperliquid {

std::vector<std::string> spec::method_messages(std::string_view method,
                                               std::span<const std::string> coins) const {
  std::vector<std::string> out;
  out.reserve(coins.size());
  for (const auto& coin : coins) {
    std::string m = "{\"method\":";
    core::append_json_string(m, method);
    m += ",\"subscription\":{\"type\":\"l2Book\",\"coin\":";
    core::append_json_string(m, coin);
    if (settings_.n_sig_figs) m += ",\"nSigFigs\":" + std::to_string(*settings_.n_sig_figs);
    if (settings_.mantissa) m += ",\"mantissa\":" + std::to_string(*settings_.mantissa);
    if (settings_.fast) m += ",\"fast\":true";
    m += "}}";
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::string> spec::subscribe(std::span<const std::string> symbols) const {
  return method_messages("subscribe", symbols);
}

std::vector<std::string> spec::unsubscribe(std::span<const std::string> symbols) const {
  return method_messages("unsubscribe", symbols);
}

keep_alive spec::keepalive() const { return {R"({"method":"ping"})", 30'000, false, 60'000}; }

core::result<instrument_info> spec::instrument_of(
    std::string_view symbol, const std::map<std::string, std::string>&) const {
  // Spot pairs: PURR/USDC; "@107" names a spot pair by index only (its tokens come from
  // spotMeta, which this build does not read).
  if (symbol.find('/') != std::string_view::npos) return split_separated(symbol, '/');
  if (symbol.empty() || symbol.front() == '@')
    return core::error{core::errc::invalid_argument,
                       "hyperliquid @index spot pairs need spotMeta to name their tokens"};
  // Perpetuals are named by their coin and settle in USD(C), sized in coin units.
  return instrument_info{std::string(symbol), "USD"};
}

venue_limits spec::limits() const {
  venue_limits l;
  l.streams_per_connection = 1000;  // subscriptions per IP: a bound per connection too
  l.symbols_per_subscribe = 1;
  l.client_messages = {2000, 60};
  l.connections = {30, 60};
  l.max_connections = 10;
  l.rest_weight_per_minute = 1200;  // REST info weight per IP (l2Book weighs 2)
  return l;
}

// ---- registration ---------------------------------------------------------------------

namespace {

core::result<settings> checked(const protocol_options& opt) {
  auto st = require_symbols(opt.symbols, "hyperliquid: empty coin name");
  return st ? parse_settings(opt.settings) : core::result<settings>(st.err());
}

constexpr endpoint_defaults k_live{default_ws_url, default_rest_url};

}  // namespace
}  // namespace depthmon::venues::hyperliquid

DEPTHMON_DEFINE_VENUE(hyperliquid, false,
                      "nsigfigs=2|3|4|5|null, mantissa=1|2|5, fast=true|false, levels=1..10000",
                      hyperliquid::protocol, hyperliquid::spec, &hyperliquid::checked,
                      hyperliquid::k_live)
