#include "venues/bybit/spec.hpp"

#include "core/json_escape.hpp"
#include "venues/bybit/sync.hpp"
#include "venues/registry.hpp"

namespace depthmon::venues::bybit {

std::string orderbook_topic(std::uint32_t depth, std::string_view symbol) {
  std::string t = "orderbook." + std::to_string(depth) + ".";
  t += symbol;
  return t;
}

std::string_view category_name(category c) noexcept {
  switch (c) {
    case category::spot: return "spot";
    case category::linear: return "linear";
    case category::inverse: return "inverse";
    case category::option: return "option";
  }
  return "spot";
}

std::vector<std::string> spec::op_messages(std::string_view op,
                                           std::span<const std::string> symbols) const {
  const std::size_t per = settings_.cat == category::spot ? 10 : 50;
  return batched(symbols, per, [&](auto chunk, std::size_t n) {
    std::string out = "{\"req_id\":";
    core::append_json_string(out, std::to_string(n));
    out += ",\"op\":";
    core::append_json_string(out, op);
    out += ",\"args\":[";
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (i) out.push_back(',');
      core::append_json_string(out, orderbook_topic(settings_.subscribe_depth(), chunk[i]));
    }
    out += "]}";
    return out;
  });
}

std::vector<std::string> spec::subscribe(std::span<const std::string> symbols) const {
  return op_messages("subscribe", symbols);
}

std::vector<std::string> spec::unsubscribe(std::span<const std::string> symbols) const {
  return op_messages("unsubscribe", symbols);
}

keep_alive spec::keepalive() const {
  return {R"({"req_id":"ping","op":"ping"})", 20'000, false, 600'000};
}

std::string spec::ws_path() const {
  return "/v5/public/" + std::string(category_name(settings_.cat));
}

core::result<instrument_info> spec::instrument_of(
    std::string_view symbol, const std::map<std::string, std::string>&) const {
  // Inverse contracts are sized in USD (one dollar each), options per strike: neither has a
  // fixed base contract value, so they are not valued rather than valued wrongly.
  if (settings_.cat == category::inverse || settings_.cat == category::option)
    return core::error{core::errc::invalid_argument,
                       "bybit inverse and option books have no base contract value"};
  // Linear USDC perpetuals are named BTCPERP.
  if (symbol.size() > 4 && symbol.ends_with("PERP")) {
    return split_concatenated(std::string(symbol.substr(0, symbol.size() - 4)) + "USDC",
                              common_quotes());
  }
  return split_concatenated(symbol, common_quotes());
}

venue_limits spec::limits() const {
  venue_limits l;
  l.streams_per_connection = settings_.cat == category::option ? 2000 : 0;
  l.symbols_per_subscribe = settings_.cat == category::spot ? 10 : 0;
  l.connections = {500, 300};
  return l;
}

// ---- registration ---------------------------------------------------------------------

namespace {

core::result<settings> checked(const protocol_options& opt) {
  if (auto st = require_symbols(opt.symbols, "bybit: empty symbol"); !st) return st.err();
  return parse_settings(opt.settings);
}

constexpr endpoint_defaults k_live{default_ws_url, default_rest_url};

}  // namespace
}  // namespace depthmon::venues::bybit

DEPTHMON_DEFINE_VENUE(bybit, false,
                      "category=spot|linear|inverse|option, depth=1|50|200|1000 (option: 25|100)",
                      bybit::protocol, bybit::spec, &bybit::checked, bybit::k_live)
