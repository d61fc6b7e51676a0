// depth/valuation.hpp — instruments (also a published book's identity, feed::book_identity),
// quote-currency USD rates, and USD value of depth figures.
//
// Depth is exact in the quote currency (each level at its own price). USD figures multiply that
// by the quote currency's USD rate (USD = 1; stablecoins and fiat fixed or from reference books;
// crypto quotes through that crypto's USD mid) and, for contract-sized derivatives, by the
// contract value. USD figures are doubles: they feed metrics, ratios and alerts, never books.
//
// Threads: rate_table is owned by one thread (the one that computes USD figures); copy it to
// share. Errors: a missing rate yields std::nullopt, never a guess.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/decimal.hpp"
#include "core/ids.hpp"

namespace depthmon::depth {

struct instrument {
  core::venue venue = core::venue::binance;
  std::string symbol;   // venue-native
  std::string base;     // "BTC"
  std::string quote;    // "USDT"
  core::decimal contract_value{1, 0};  // base units per contract (1 for spot)
};

class rate_table {
 public:
  rate_table();  // knows USD = 1
  void set(std::string currency, core::decimal usd_per_unit);
  void erase(std::string_view currency);
  std::optional<core::decimal> rate(std::string_view currency) const;

 private:
  std::map<std::string, core::decimal, std::less<>> rates_;
};

// Exact value × rate × contract_value as a double in USD. `scale` is the value's decimal scale.
double to_usd(core::int128 value, unsigned scale, core::decimal rate,
              core::decimal contract_value = {1, 0}) noexcept;

// The smallest quote-currency amount at `scale` worth at least `usd` (whole dollars) at `rate`,
// saturating at the int128 maximum. Used to turn a USD order size into a quote target exactly.
core::int128 usd_to_quote_ceil(std::int64_t usd, core::decimal rate, unsigned scale) noexcept;

}  // namespace depthmon::depth
