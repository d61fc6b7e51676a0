#include "depth/valuation.hpp"

#include <limits>

namespace depthmon::depth {

rate_table::rate_table() { rates_.emplace("USD", core::decimal{1, 0}); }

void rate_table::set(std::string currency, core::decimal usd_per_unit) {
  rates_.insert_or_assign(std::move(currency), usd_per_unit);
}

void rate_table::erase(std::string_view currency) {
  if (auto it = rates_.find(currency); it != rates_.end()) rates_.erase(it);
}

std::optional<core::decimal> rate_table::rate(std::string_view currency) const {
  if (auto it = rates_.find(currency); it != rates_.end()) return it->second;
  return std::nullopt;
}

double to_usd(core::int128 value, unsigned scale, core::decimal rate,
              core::decimal contract_value) noexcept {
  // long double keeps 64 significant bits through the two multiplications.
  long double v = static_cast<long double>(value) / static_cast<long double>(core::pow10_i128(scale));
  v *= static_cast<long double>(rate.mantissa) / static_cast<long double>(core::pow10_i64(rate.scale));
  v *= static_cast<long double>(contract_value.mantissa) /
       static_cast<long double>(core::pow10_i64(contract_value.scale));
  return static_cast<double>(v);
}

core::int128 usd_to_quote_ceil(std::int64_t usd, core::decimal rate, unsigned scale) noexcept {
  constexpr core::int128 k_max = std::numeric_limits<core::int128>::max();
  if (rate.mantissa <= 0 || usd <= 0) return usd <= 0 ? 0 : k_max;
  // quote = usd / (r · 10^-rs) = usd · 10^rs / r, then scaled by 10^scale, rounded up.
  // Long division one decimal digit at a time keeps every intermediate below 10 · r.
  const core::int128 r = rate.mantissa;
  const core::int128 t = static_cast<core::int128>(usd) * core::pow10_i128(rate.scale);
  core::int128 q = t / r;
  core::int128 rem = t % r;
  for (unsigned i = 0; i < scale; ++i) {
    if (q > k_max / 10 - 10) return k_max;
    rem *= 10;
    q = q * 10 + rem / r;
    rem %= r;
  }
  return rem != 0 ? q + 1 : q;
}

}  // namespace depthmon::depth
