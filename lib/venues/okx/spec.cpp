#include "venues/okx/spec.hpp"

#include <algorithm>

#include "core/frame.hpp"
#include "core/json_escape.hpp"
#include "venues/okx/codec.hpp"
#include "venues/okx/sync.hpp"
#include "venues/registry.hpp"

namespace depthmon::venues::okx {
namespace {

std::string op_message(std::string_view op, channel c, std::span<const std::string> inst_ids,
                       std::string_view id) {
  std::string out = "{\"id\":";
  core::append_json_string(out, id);
  out += ",\"op\":";
  core::append_json_string(out, op);
  out += ",\"args\":[";
  for (std::size_t i = 0; i < inst_ids.size(); ++i) {
    if (i) out += ',';
    out += "{\"channel\":";
    core::append_json_string(out, to_string(c));
    out += ",\"instId\":";
    core::append_json_string(out, inst_ids[i]);
    out += '}';
  }
  out += "]}";
  return out;
}

std::vector<std::string> op_messages(std::string_view op, char id_prefix, channel c,
                                     std::span<const std::string> inst_ids) {
  return batched(inst_ids, max_args_per_request, [&](auto chunk, std::size_t n) {
    return op_message(op, c, chunk, std::string(1, id_prefix) + std::to_string(n));
  });
}

}  // namespace

std::vector<std::string> spec::subscribe(std::span<const std::string> symbols) const {
  return op_messages("subscribe", 's', settings_.book_channel, symbols);
}

std::vector<std::string> spec::unsubscribe(std::span<const std::string> symbols) const {
  return op_messages("unsubscribe", 'u', settings_.book_channel, symbols);
}

keep_alive spec::keepalive() const {
  return {std::string(ping_frame), keepalive_idle_ms, false, 30'000, true};
}

std::optional<http_request> spec::metadata_request(std::string_view symbol) const {
  // Only a derivative's contract value is discovered, and only when no setting gives it.
  if (!is_contract_instrument(symbol) || contract_value(settings_, symbol)) return std::nullopt;
  const std::string inst(symbol);
  const auto parts = std::count(inst.begin(), inst.end(), '-');
  std::string query;
  if (inst.ends_with("-SWAP")) {
    query = "instType=SWAP&instId=" + inst;
  } else if (parts >= 4) {  // BTC-USD-220527-30000-C: options are listed per family
    const auto family_end = inst.find('-', inst.find('-') + 1);
    query = "instType=OPTION&instFamily=" + inst.substr(0, family_end) + "&instId=" + inst;
  } else {
    query = "instType=FUTURES&instId=" + inst;
  }
  return http_request{"GET", "/api/v5/public/instruments", std::move(query), {}};
}

core::status spec::apply_metadata(std::string_view symbol, std::string_view body,
                                  std::map<std::string, std::string>& settings) const {
  std::string key = "ctval." + std::string(symbol);
  if (!is_contract_instrument(symbol) || settings.contains(key)) return {};
  core::padded_buffer buf;
  auto ct_val = instrument_ct_val(buf.assign(body), symbol);
  if (!ct_val) return ct_val.err();
  settings.emplace(std::move(key), core::to_string(*ct_val));
  return {};
}

core::result<instrument_info> spec::instrument_of(
    std::string_view symbol, const std::map<std::string, std::string>& kv) const {
  auto i = split_separated(symbol, '-');
  if (!i || !is_contract_instrument(symbol)) return i;
  // BTC-USD-SWAP and BTC-USD-250328 are inverse (contracts worth USD), options have a strike:
  // no base contract value, so no valuation rather than a wrong one.
  const auto dashes = std::count(symbol.begin(), symbol.end(), '-');
  if (i.value().quote == "USD" || dashes > 2)
    return core::error{core::errc::invalid_argument,
                       "okx inverse and option instruments have no base contract value"};
  std::optional<core::decimal> ct;
  if (auto it = kv.find("ctval." + std::string(symbol)); it != kv.end()) {
    auto d = core::parse_decimal(it->second);
    if (!d) return d.err();
    ct = *d;
  } else {
    ct = contract_value(settings_, symbol);
  }
  if (!ct)
    return core::error{core::errc::invalid_argument,
                       "okx contract without ctval (setting ctval.<instId> or metadata)"};
  i.value().contract_value = *ct;
  return i;
}

venue_limits spec::limits() const {
  venue_limits l;
  l.streams_per_connection = 29;  // "each < 30 channels" for 50/400-level channels
  l.streams_per_symbol = 1;
  l.symbols_per_subscribe = max_args_per_request;
  l.client_messages = {480, 3600};  // subscribe + unsubscribe + login per connection
  l.connections = {3, 1};
  return l;
}

// ---- registration ---------------------------------------------------------------------

namespace {

core::result<settings> checked(const protocol_options& opt) {
  for (const auto& sym : opt.symbols) {
    const bool ok = !sym.empty() && sym.size() <= 64 &&
                    std::all_of(sym.begin(), sym.end(), [](char c) {
                      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                             (c >= '0' && c <= '9') || c == '-' || c == '_';
                    });
    if (!ok)
      return {core::errc::invalid_argument,
              "okx symbols are instIds such as BTC-USDT or BTC-USDT-SWAP"};
  }
  return parse_settings(opt.settings, opt.symbols);
}

constexpr endpoint_defaults k_live{default_ws_url, default_rest_url};

}  // namespace
}  // namespace depthmon::venues::okx

DEPTHMON_DEFINE_VENUE(okx, false,
                      "channel=books|books5|bbo-tbt|books-l2-tbt|books50-l2-tbt, "
                      "ctval.<instId>=<decimal>",
                      okx::protocol, okx::spec, &okx::checked, okx::k_live)
