#include "venues/spec.hpp"

#include <array>
#include <cctype>

namespace depthmon::venues {

connection_plan venue_spec::connect(std::span<const std::string> symbols) const {
  return {base_.ws_url + ws_path(), subscribe(symbols)};
}

std::optional<http_request> venue_spec::snapshot_request(std::string_view, std::uint32_t) const {
  return std::nullopt;
}

std::optional<http_request> venue_spec::metadata_request(std::string_view) const {
  return std::nullopt;
}

core::status venue_spec::apply_metadata(std::string_view, std::string_view,
                                        std::map<std::string, std::string>&) const {
  return {};
}

std::vector<std::string> venue_spec::subscribe_one(std::string_view symbol) const {
  const std::string s(symbol);
  return subscribe(std::span(&s, 1));
}

std::vector<std::string> venue_spec::unsubscribe_one(std::string_view symbol) const {
  const std::string s(symbol);
  return unsubscribe(std::span(&s, 1));
}

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

core::error unsplittable() noexcept {
  return {core::errc::invalid_argument, "symbol does not name a base and a known quote currency"};
}

}  // namespace

std::span<const std::string_view> common_quotes() noexcept {
  // Longest first so a quote that ends another (USD in FDUSD, TUSD) is tried after it.
  static constexpr std::array<std::string_view, 24> k{
      "FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDP", "USDE", "EURI", "USD", "DAI", "BTC",
      "ETH",   "BNB",  "SOL",  "EUR",  "GBP",  "TRY",  "BRL",  "JPY",  "AUD", "CAD", "CHF",
      "MXN",   "PLN"};
  return k;
}

core::result<instrument_info> split_concatenated(std::string_view symbol,
                                                 std::span<const std::string_view> quotes) {
  const std::string u = upper(symbol);
  const std::string_view sv(u);
  const std::string_view* best = nullptr;
  for (const auto& q : quotes)
    if (sv.size() > q.size() && sv.ends_with(q) && (!best || q.size() > best->size())) best = &q;
  if (!best) return unsplittable();
  return instrument_info{std::string(sv.substr(0, sv.size() - best->size())), std::string(*best)};
}

core::result<instrument_info> split_separated(std::string_view symbol, char sep) {
  const auto a = symbol.find(sep);
  if (a == std::string_view::npos || a == 0) return unsplittable();
  std::string_view rest = symbol.substr(a + 1);
  rest = rest.substr(0, rest.find(sep));
  if (rest.empty()) return unsplittable();
  return instrument_info{upper(symbol.substr(0, a)), upper(rest)};
}

endpoints with_overrides(endpoints defaults, std::string_view ws_url, std::string_view rest_url) {
  // A trailing '/' would double the documented paths' leading one.
  auto trimmed = [](std::string_view u) {
    while (!u.empty() && u.back() == '/') u.remove_suffix(1);
    return std::string(u);
  };
  if (!ws_url.empty()) defaults.ws_url = trimmed(ws_url);
  if (!rest_url.empty()) defaults.rest_url = trimmed(rest_url);
  return defaults;
}

}  // namespace depthmon::venues
