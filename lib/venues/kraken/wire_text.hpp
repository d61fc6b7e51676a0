// venues/kraken/wire_text.hpp — reading Kraken's number and time texts (both codecs).
//
// written_digits(): how many fractional digits a number was written with, trailing zeros
// included ("2183.69000" -> 5, "0.566" -> 3, "1.5e-3" -> 4), which core::parse_decimal
// normalises away but Kraken's checksum needs. Timestamps: v2 RFC 3339 UTC texts
// ("2023-10-06T17:35:55.440295Z") and v1 "seconds.micros" strings, to Unix nanoseconds.
//
// Threads: pure functions. Errors: the time parsers return 0 (unknown) for text they do not
// recognise; a venue timestamp is informational and never makes a message invalid.
#pragma once

#include <charconv>
#include <cstdint>
#include <string_view>

#include "core/decimal.hpp"
#include "core/time.hpp"

namespace depthmon::venues::kraken {

// Fractional digits as written (exponent folded in), never below the parsed value's own scale,
// at most core::max_scale.
inline unsigned written_digits(std::string_view text, core::decimal parsed) noexcept {
  // One pass: count digits after '.', then fold in an exponent if one follows.
  int digits = 0;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n && text[i] != '.' && text[i] != 'e' && text[i] != 'E') ++i;
  if (i < n && text[i] == '.')
    for (++i; i < n && text[i] >= '0' && text[i] <= '9'; ++i) ++digits;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    std::size_t j = i + 1;
    bool neg = false;
    if (j < n && (text[j] == '-' || text[j] == '+')) neg = text[j++] == '-';
    int exp = 0;
    for (; j < n && text[j] >= '0' && text[j] <= '9' && exp < 1000; ++j)
      exp = exp * 10 + (text[j] - '0');
    digits += neg ? exp : -exp;
  }
  if (digits < static_cast<int>(parsed.scale)) digits = parsed.scale;
  if (digits > static_cast<int>(core::max_scale)) digits = static_cast<int>(core::max_scale);
  return static_cast<unsigned>(digits);
}

// v1 level time "1618678133.365913" (seconds with a fraction) -> Unix nanoseconds; 0 if not.
inline core::unix_nanos parse_epoch_seconds(std::string_view s) noexcept {
  auto d = core::parse_decimal(s);
  if (!d || d->mantissa <= 0 || d->scale > 9) return 0;
  std::int64_t out = 0;
  if (__builtin_mul_overflow(d->mantissa, core::pow10_i64(9U - d->scale), &out)) return 0;
  return out;
}

// A checksum as text ("2583817756" or a bare number token) -> uint32; false if not one.
inline bool parse_checksum(std::string_view s, std::uint32_t& out) noexcept {
  std::uint64_t v = 0;
  if (s.empty() || s.size() > 10) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > 0xFFFFFFFFULL) return false;
  out = static_cast<std::uint32_t>(v);
  return true;
}

}  // namespace depthmon::venues::kraken
