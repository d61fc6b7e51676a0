// core/decimal.hpp — exact decimal numbers parsed from wire text, and their canonical formatting.
//
// Prices and sizes never pass through double. A wire value is parsed once from its token text
// (a JSON string's content or a bare JSON number, exponent notation included) into a `decimal`:
// mantissa × 10^-scale with trailing fractional zeros dropped, so "9602.00000000" is (9602, 0).
// Books then hold every value of an instrument at one scale per side of the value (price scale,
// size scale) as plain int64 "ticks"; notionals are int128 at price_scale + size_scale.
//
// Threads: pure functions over values. Errors: result<> with errc::bad_number /
// number_overflow / precision_loss; nothing throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace depthmon::core {

using int128 = __int128;

// Largest scale any value may carry: 10^18 still fits int64.
inline constexpr unsigned max_scale = 18;

// 10^n for n in [0, 18] as int64, and [0, 38] as int128.
std::int64_t pow10_i64(unsigned n) noexcept;
int128 pow10_i128(unsigned n) noexcept;

// A decimal as written on the wire, normalised: value = mantissa × 10^-scale, scale minimal.
struct decimal {
  std::int64_t mantissa = 0;
  std::uint8_t scale = 0;

  friend bool operator==(const decimal&, const decimal&) = default;
};

// Parses "-12.3400", "0.566", "1e-05", "12" ... Rejects empty text, stray characters, more
// than 18 significant digits (number_overflow) and values needing a scale above 18.
result<decimal> parse_decimal(std::string_view text) noexcept;

// The value at `scale` as an integer: precision_loss if the value has finer digits than
// `scale`, number_overflow if it does not fit int64.
result<std::int64_t> to_scale(decimal d, unsigned scale) noexcept;

// Multiplies `ticks` by 10^(to - from), to >= from; number_overflow if it does not fit.
result<std::int64_t> rescale_up(std::int64_t ticks, unsigned from, unsigned to) noexcept;

// Canonical text of mantissa × 10^-scale: no exponent, no trailing fractional zeros, no
// trailing point, "0" for zero, "-" for negatives. Writes at most 42 chars; returns the length.
std::size_t format_canonical(char* out, int128 mantissa, unsigned scale) noexcept;
std::string to_canonical_string(int128 mantissa, unsigned scale);
inline std::string to_string(decimal d) { return to_canonical_string(d.mantissa, d.scale); }

// Fixed-precision text (exactly `precision` fractional digits, e.g. Kraken's checksum input).
// Fails with precision_loss if dropping digits beyond `precision` would lose non-zero ones.
result<std::size_t> format_fixed(char* out, std::int64_t mantissa, unsigned scale,
                                 unsigned precision) noexcept;

// Exact comparison of a × 10^-scale_a with b × 10^-scale_b (<0, 0, >0), for every int128 and
// every scale: a rescale that would not fit int128 is decided by sign, never wrapped.
int compare_scaled(int128 a, unsigned scale_a, int128 b, unsigned scale_b) noexcept;

}  // namespace depthmon::core
