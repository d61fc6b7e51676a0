#include "depth/bands.hpp"

#include <algorithm>

namespace depthmon::depth {

std::string band::bps_text() const {
  // bps = pct × 100: shift the scale by two.
  if (pct.scale >= 2) return core::to_canonical_string(pct.mantissa, pct.scale - 2u);
  return core::to_canonical_string(static_cast<core::int128>(pct.mantissa) *
                                       core::pow10_i64(2u - pct.scale),
                                   0);
}

band_set default_bands() {
  band_set out;
  for (auto txt : {"0.1", "0.25", "0.5", "1", "2", "5", "10"})
    out.push_back({*core::parse_decimal(txt)});
  return out;
}

core::result<band_set> parse_bands(std::string_view csv) {
  band_set out;
  while (true) {
    const auto comma = csv.find(',');
    const auto item = csv.substr(0, comma);
    auto d = core::parse_decimal(item);
    if (!d) return {core::errc::invalid_argument, "band is not a decimal number"};
    // Bands finer than 10^-4 % would push 2·D·(bb+ba) towards the int128 limit.
    if (d->mantissa <= 0 || d->scale > 4 ||
        core::compare_scaled(d->mantissa, d->scale, 100, 0) >= 0)
      return {core::errc::invalid_argument, "band must be in (0, 100) with at most 4 decimals"};
    out.push_back({*d});
    if (comma == std::string_view::npos) break;
    csv.remove_prefix(comma + 1);
  }
  std::sort(out.begin(), out.end(), [](const band& a, const band& b) {
    return core::compare_scaled(a.pct.mantissa, a.pct.scale, b.pct.mantissa, b.pct.scale) < 0;
  });
  for (std::size_t i = 1; i < out.size(); ++i)
    if (out[i].pct == out[i - 1].pct) return {core::errc::invalid_argument, "duplicate band"};
  if (out.size() > max_bands) return {core::errc::invalid_argument, "more than 16 bands"};
  return out;
}

namespace {

// The edge as an int64 price: an edge above INT64_MAX ticks (an ask band of a book priced near
// the int64 limit, e.g. 18 decimals) would wrap in a plain cast and empty the band. No level can
// lie beyond INT64_MAX, so clamping there keeps band membership and coverage exact.
std::int64_t edge_price_saturated(core::int128 v) noexcept {
  return v > INT64_MAX ? INT64_MAX : static_cast<std::int64_t>(v);
}

// num / den for num >= 0, den > 0: in 64 bits when num fits (a real book's edges always do),
// where the int128 division is a library call several times slower; the tracker computes two
// per band whenever the mid moves.
core::int128 divide(core::int128 num, core::int128 den) noexcept {
  if (num <= static_cast<core::int128>(UINT64_MAX))
    return static_cast<std::uint64_t>(num) / static_cast<std::uint64_t>(den);
  return num / den;
}

}  // namespace

std::int64_t edge_key(core::side s, core::int128 mid2, const band& b) noexcept {
  const core::int128 d = core::pow10_i128(2u + b.pct.scale);  // 100 · 10^k
  const core::int128 n = b.pct.mantissa;
  if (s == core::side::bid) {
    const core::int128 num = mid2 * (d - n);
    const core::int128 den = 2 * d;
    return edge_price_saturated(divide(num + den - 1, den));  // ceil, num >= 0; <= mid2 / 2
  }
  const core::int128 num = mid2 * (d + n);
  return -edge_price_saturated(divide(num, 2 * d));  // floor, as a key
}

}  // namespace depthmon::depth
