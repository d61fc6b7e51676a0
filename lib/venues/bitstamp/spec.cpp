#include "venues/bitstamp/spec.hpp"

#include <limits>

#include "core/json_escape.hpp"
#include "venues/bitstamp/sync.hpp"
#include "venues/common/settings.hpp"
#include "venues/registry.hpp"

namespace depthmon::venues::bitstamp {
namespace {

std::vector<std::string> event_messages(std::string_view event,
                                        std::span<const std::string> pairs) {
  std::vector<std::string> out;
  out.reserve(pairs.size());
  for (const auto& pair : pairs) {
    std::string m = "{\"event\":";
    core::append_json_string(m, event);
    m += ",\"data\":{\"channel\":";
    core::append_json_string(m, diff_channel(pair));
    m += "}}";
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace

std::string diff_channel(std::string_view pair) {
  std::string c = "diff_order_book_";
  c += pair;
  return c;
}

std::vector<std::string> spec::subscribe(std::span<const std::string> symbols) const {
  return event_messages("bts:subscribe", symbols);
}

std::vector<std::string> spec::unsubscribe(std::span<const std::string> symbols) const {
  return event_messages("bts:unsubscribe", symbols);
}

keep_alive spec::keepalive() const { return {R"({"event":"bts:heartbeat"})", 30'000, false, 0}; }

std::optional<http_request> spec::snapshot_request(std::string_view symbol,
                                                   std::uint32_t) const {
  return http_request{"GET", "/api/v2/order_book/" + std::string(symbol), {}, {}};
}

core::result<instrument_info> spec::instrument_of(
    std::string_view symbol, const std::map<std::string, std::string>&) const {
  return split_concatenated(symbol, common_quotes());  // btcusd: lower case, no separator
}

venue_limits spec::limits() const {
  venue_limits l;
  l.symbols_per_subscribe = 1;
  l.snapshot_weight = {{std::numeric_limits<std::uint32_t>::max(), 1}};
  return l;
}

// ---- registration ---------------------------------------------------------------------

namespace {

core::result<no_settings> checked(const protocol_options& opt) {
  // snapshot_limit and max_buffered come from protocol_options; no venue settings.
  if (auto st = check_setting_keys(core::venue::bitstamp, opt.settings, {}); !st) return st.err();
  if (auto st = require_symbols(opt.symbols, "bitstamp: empty pair"); !st) return st.err();
  return no_settings{};
}

constexpr endpoint_defaults k_live{default_ws_url, default_rest_url};

}  // namespace
}  // namespace depthmon::venues::bitstamp

DEPTHMON_DEFINE_VENUE(bitstamp, true, "", bitstamp::protocol, bitstamp::spec,
                      &bitstamp::checked, bitstamp::k_live)
