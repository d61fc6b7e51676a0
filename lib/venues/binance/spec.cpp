#include "venues/binance/spec.hpp"

#include <algorithm>

#include "venues/binance/subscribe.hpp"
#include "venues/binance/sync.hpp"
#include "venues/common/settings.hpp"
#include "venues/registry.hpp"

namespace depthmon::venues::binance {
namespace {

constexpr std::size_t k_per_message = 100;  // symbols per SUBSCRIBE frame

}  // namespace

connection_plan spec::connect(std::span<const std::string> symbols) const {
  return {base().ws_url + combined_stream_path(symbols), {}};
}

std::vector<std::string> spec::subscribe(std::span<const std::string> symbols) const {
  return batched(symbols, k_per_message,
                 [](auto chunk, std::size_t n) { return subscribe_message(chunk, n); });
}

std::vector<std::string> spec::unsubscribe(std::span<const std::string> symbols) const {
  return batched(symbols, k_per_message,
                 [](auto chunk, std::size_t n) { return unsubscribe_message(chunk, 1000 + n); });
}

keep_alive spec::keepalive() const {
  return {{}, 0, true, market_ == market::spot ? 60'000u : 600'000u};
}

std::optional<http_request> spec::snapshot_request(std::string_view symbol,
                                                   std::uint32_t depth) const {
  if (depth == 0) depth = market_ == market::spot ? 5000 : 1000;
  const std::string target = snapshot_target(market_, symbol, depth);
  const auto q = target.find('?');
  return http_request{"GET", target.substr(0, q),
                      q == std::string::npos ? std::string() : target.substr(q + 1), {}};
}

core::result<instrument_info> spec::instrument_of(
    std::string_view symbol, const std::map<std::string, std::string>&) const {
  // USD-M delivery contracts are BTCUSDT_250328; every USD-M contract is sized in base units.
  return split_concatenated(symbol.substr(0, symbol.find('_')), common_quotes());
}

venue_limits spec::limits() const {
  venue_limits l;
  // Streams one symbol subscribes: whatever the combined-stream path lists for it.
  const std::string one = "X";
  const std::string path = combined_stream_path(std::span(&one, 1));
  const auto streams = path.substr(path.find('=') + 1);
  l.streams_per_symbol = 1 + static_cast<std::uint32_t>(std::count(streams.begin(), streams.end(), '/'));
  l.symbols_per_subscribe = k_per_message;
  if (market_ == market::spot) {
    l.streams_per_connection = 1024;
    l.client_messages = {5, 1};
    l.connections = {300, 300};
    l.snapshot_weight = {{100, 5}, {500, 25}, {1000, 50}, {5000, 250}};
    l.rest_weight_per_minute = 6000;  // exchangeInfo REQUEST_WEIGHT, 1 MINUTE
  } else {
    l.streams_per_connection = 200;
    l.client_messages = {10, 1};
    l.snapshot_weight = {{50, 2}, {100, 5}, {500, 10}, {1000, 20}};
    l.rest_weight_per_minute = 2400;
  }
  return l;
}

// ---- registration ---------------------------------------------------------------------

namespace {

constexpr core::venue venue_of(market m) noexcept {
  return m == market::spot ? core::venue::binance : core::venue::binance_usdm;
}

template <market M>
core::result<std::unique_ptr<venue_protocol>> make(const protocol_options& opt) {
  if (auto st = check_setting_keys(venue_of(M), opt.settings, {}); !st) return st.err();
  return std::unique_ptr<venue_protocol>(std::make_unique<protocol>(M, opt));
}

template <market M>
core::result<std::unique_ptr<venue_spec>> make_spec(const protocol_options& opt) {
  if (auto st = check_setting_keys(venue_of(M), opt.settings, {}); !st) return st.err();
  endpoints e = M == market::spot
                    ? endpoints{"wss://stream.binance.com:9443", "https://api.binance.com"}
                    : endpoints{"wss://fstream.binance.com/public", "https://fapi.binance.com"};
  return std::unique_ptr<venue_spec>(
      std::make_unique<spec>(M, with_overrides(std::move(e), opt.ws_url, opt.rest_url)));
}

}  // namespace
}  // namespace depthmon::venues::binance

namespace depthmon::venues {
template <>
const venue_entry& entry_of<core::venue::binance>() noexcept {
  static const venue_entry e{core::venue::binance, true, "", &binance::make<binance::market::spot>,
                             &binance::make_spec<binance::market::spot>};
  return e;
}

template <>
const venue_entry& entry_of<core::venue::binance_usdm>() noexcept {
  static const venue_entry e{core::venue::binance_usdm, true, "",
                             &binance::make<binance::market::usdm>,
                             &binance::make_spec<binance::market::usdm>};
  return e;
}
}  // namespace depthmon::venues
