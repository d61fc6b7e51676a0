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
  int digits = 0;
  std::size_t i = text.find('.');
  if (i != std::string_view::npos)
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) ++digits;
  const std::size_t e = text.find_first_of("eE");
  if (e != std::string_view::npos) {
    std::size_t j = e + 1;
    bool neg = false;
    if (j < text.size() && (text[j] == '-' || text[j] == '+')) neg = text[j++] == '-';
    int exp = 0;
    for (; j < text.size() && text[j] >= '0' && text[j] <= '9' && exp < 1000; ++j)
      exp = exp * 10 + (text[j] - '0');
    digits += neg ? exp : -exp;
  }
  if (digits < static_cast<int>(parsed.scale)) digits = parsed.scale;
  if (digits > static_cast<int>(core::max_scale)) digits = static_cast<int>(core::max_scale);
  return static_cast<unsigned>(digits);
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// "YYYY-MM-DDTHH:MM:SS[.fraction]Z" -> Unix nanoseconds; 0 if the text is not that.
inline core::unix_nanos parse_rfc3339_utc(std::string_view s) noexcept {
  auto num = [&](std::size_t pos, std::size_t len, unsigned& out) {
    if (pos + len > s.size()) return false;
    auto [p, ec] = std::from_chars(s.data() + pos, s.data() + pos + len, out);
    return ec == std::errc() && p == s.data() + pos + len;
  };
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') ||
      s[13] != ':' || s[16] != ':')
    return 0;
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) || !num(14, 2, mi) ||
      !num(17, 2, se))
    return 0;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return 0;
  std::size_t i = 19;
  std::int64_t frac = 0;
  if (i < s.size() && s[i] == '.') {
    std::int64_t scale = 100'000'000;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      frac += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  if (i + 1 != s.size() || (s[i] != 'Z' && s[i] != 'z')) return 0;
  const std::int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return secs * 1'000'000'000 + frac;
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
