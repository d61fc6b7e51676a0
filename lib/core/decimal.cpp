#include "core/decimal.hpp"

#include <array>
#include <utility>

namespace depthmon::core {
namespace {

constexpr std::array<std::int64_t, 19> make_pow10_64() {
  std::array<std::int64_t, 19> t{};
  std::int64_t v = 1;
  for (auto& x : t) {
    x = v;
    if (v <= INT64_MAX / 10) v *= 10;
  }
  return t;
}
constexpr std::array<int128, 39> make_pow10_128() {
  std::array<int128, 39> t{};
  int128 v = 1;
  for (std::size_t i = 0; i < t.size(); ++i) {
    t[i] = v;
    if (i + 1 < t.size()) v *= 10;
  }
  return t;
}
constexpr auto k_pow10_64 = make_pow10_64();
constexpr auto k_pow10_128 = make_pow10_128();

// 18 digits always fit int64; a 19th may not.
constexpr unsigned k_max_digits = 18;

}  // namespace

std::int64_t pow10_i64(unsigned n) noexcept { return k_pow10_64[n]; }
int128 pow10_i128(unsigned n) noexcept { return k_pow10_128[n]; }

result<decimal> parse_decimal(std::string_view s) noexcept {
  const char* p = s.data();
  const char* const end = p + s.size();
  bool negative = false;
  if (p != end && (*p == '-' || *p == '+')) {
    negative = *p == '-';
    ++p;
  }
  if (p == end) return {errc::bad_number, "empty number"};

  std::uint64_t mant = 0;
  unsigned digits = 0;     // significant digits accumulated in mant
  int scale = 0;           // fractional digits represented in mant
  unsigned pending = 0;    // fractional zeros seen but not yet multiplied in
  bool any_digit = false;

  // Integer part: leading zeros are not significant.
  while (p != end && *p >= '0' && *p <= '9') {
    any_digit = true;
    const unsigned d = static_cast<unsigned>(*p - '0');
    if (mant != 0 || d != 0) {
      if (++digits > k_max_digits) return {errc::number_overflow, "more than 18 digits"};
      mant = mant * 10 + d;
    }
    ++p;
  }
  if (p != end && *p == '.') {
    ++p;
    bool frac_digit = false;
    while (p != end && *p >= '0' && *p <= '9') {
      frac_digit = true;
      const unsigned d = static_cast<unsigned>(*p - '0');
      ++pending;
      if (d != 0) {
        // Multiply in the zeros that turned out to be significant, then this digit.
        // More than 18 fractional digits can never fit (and would index past k_pow10_64).
        if (pending > max_scale) return {errc::number_overflow, "more than 18 decimals"};
        const unsigned need = (mant != 0) ? pending : 1;
        if (digits + need > k_max_digits) return {errc::number_overflow, "more than 18 digits"};
        digits += need;
        mant = mant * static_cast<std::uint64_t>(k_pow10_64[pending]) + d;
        scale += static_cast<int>(pending);
        pending = 0;
      }
      ++p;
    }
    if (!frac_digit && !any_digit) return {errc::bad_number, "no digits"};
    any_digit = any_digit || frac_digit;
  }
  if (!any_digit) return {errc::bad_number, "no digits"};
  if (p != end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool exp_neg = false;
    if (p != end && (*p == '-' || *p == '+')) {
      exp_neg = *p == '-';
      ++p;
    }
    if (p == end) return {errc::bad_number, "empty exponent"};
    int exp = 0;
    while (p != end && *p >= '0' && *p <= '9') {
      exp = exp * 10 + (*p - '0');
      if (exp > 400) return {errc::number_overflow, "exponent out of range"};
      ++p;
    }
    scale += exp_neg ? exp : -exp;
  }
  if (p != end) return {errc::bad_number, "unexpected character in number"};

  if (mant == 0) return decimal{0, 0};
  if (scale < 0) {
    // 12e3: fold the exponent into the mantissa.
    const unsigned up = static_cast<unsigned>(-scale);
    if (digits + up > k_max_digits) return {errc::number_overflow, "number too large"};
    mant *= static_cast<std::uint64_t>(k_pow10_64[up]);
    scale = 0;
  }
  if (scale > static_cast<int>(max_scale)) return {errc::number_overflow, "more than 18 decimals"};
  // Drop trailing zeros that an exponent may have left (e.g. 1.50e1 -> 15).
  while (scale > 0 && mant % 10 == 0) {
    mant /= 10;
    --scale;
  }
  const auto m = static_cast<std::int64_t>(mant);
  return decimal{negative ? -m : m, static_cast<std::uint8_t>(scale)};
}

result<std::int64_t> to_scale(decimal d, unsigned scale) noexcept {
  if (d.scale > scale) return {errc::precision_loss, "value finer than scale"};
  return rescale_up(d.mantissa, d.scale, scale);
}

result<std::int64_t> rescale_up(std::int64_t ticks, unsigned from, unsigned to) noexcept {
  if (to < from || to > max_scale) return {errc::precision_loss, "bad rescale"};
  std::int64_t out = 0;
  if (__builtin_mul_overflow(ticks, k_pow10_64[to - from], &out))
    return {errc::number_overflow, "value too large for scale"};
  return out;
}

namespace {

// Writes sign, integer digits, and exactly `scale` fractional digits of v × 10^-scale.
std::size_t write_scaled(char* out, unsigned __int128 v, bool negative, unsigned scale) noexcept {
  char rev[48];  // least significant digit first
  unsigned n = 0;
  // Peel 128-bit digits only while needed; the rest runs in 64-bit arithmetic.
  while (v > UINT64_MAX) {
    rev[n++] = static_cast<char>('0' + static_cast<int>(v % 10));
    v /= 10;
  }
  auto w = static_cast<std::uint64_t>(v);
  do {
    rev[n++] = static_cast<char>('0' + static_cast<int>(w % 10));
    w /= 10;
  } while (w != 0);
  while (n < scale + 1) rev[n++] = '0';
  std::size_t len = 0;
  if (negative) out[len++] = '-';
  for (unsigned i = n; i-- > scale;) out[len++] = rev[i];
  if (scale != 0) {
    out[len++] = '.';
    for (unsigned i = scale; i-- > 0;) out[len++] = rev[i];
  }
  return len;
}

unsigned __int128 magnitude(int128 m) noexcept {
  // -(m + 1) + 1 keeps INT128_MIN from overflowing.
  return m < 0 ? static_cast<unsigned __int128>(-(m + 1)) + 1 : static_cast<unsigned __int128>(m);
}

}  // namespace

std::size_t format_canonical(char* out, int128 m, unsigned scale) noexcept {
  unsigned __int128 v = magnitude(m);
  if (v == 0) {
    out[0] = '0';
    return 1;
  }
  if (v <= UINT64_MAX) {
    auto w = static_cast<std::uint64_t>(v);
    while (scale > 0 && w % 10 == 0) {
      w /= 10;
      --scale;
    }
    v = w;
  } else {
    while (scale > 0 && v % 10 == 0) {
      v /= 10;
      --scale;
    }
  }
  return write_scaled(out, v, m < 0, scale);
}

std::string to_canonical_string(int128 mantissa, unsigned scale) {
  char buf[48];
  return std::string(buf, format_canonical(buf, mantissa, scale));
}

result<std::size_t> format_fixed(char* out, std::int64_t mantissa, unsigned scale,
                                 unsigned precision) noexcept {
  if (precision > max_scale) return {errc::invalid_argument, "precision above 18"};
  std::int64_t v = mantissa;
  if (scale > precision) {
    const std::int64_t div = k_pow10_64[scale - precision];
    if (v % div != 0) return {errc::precision_loss, "value finer than precision"};
    v /= div;
    scale = precision;
  }
  const int128 padded = static_cast<int128>(v) * k_pow10_128[precision - scale];
  return write_scaled(out, magnitude(padded), padded < 0, precision);
}

int compare_scaled(int128 a, unsigned scale_a, int128 b, unsigned scale_b) noexcept {
  const auto cmp = [](int128 x, int128 y) { return (x > y) - (x < y); };
  if (scale_a == scale_b) return cmp(a, b);
  // Bring the coarser value to the finer scale. If that does not fit int128, its magnitude is
  // above every int128, so its sign alone decides: exact for every input, never wrapped.
  const bool swapped = scale_a > scale_b;
  if (swapped) {
    std::swap(a, b);
    std::swap(scale_a, scale_b);
  }
  const unsigned up = scale_b - scale_a;
  int r;
  int128 a_up = 0;
  if (a == 0) r = cmp(0, b);
  else if (up >= k_pow10_128.size() || __builtin_mul_overflow(a, k_pow10_128[up], &a_up))
    r = a > 0 ? 1 : -1;
  else r = cmp(a_up, b);
  return swapped ? -r : r;
}

std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::ok: return "ok";
    case errc::malformed_json: return "malformed JSON";
    case errc::missing_field: return "missing field";
    case errc::wrong_type: return "wrong type";
    case errc::bad_number: return "bad number";
    case errc::number_overflow: return "number overflow";
    case errc::unknown_message: return "unknown message";
    case errc::unknown_symbol: return "unknown symbol";
    case errc::sequence_gap: return "sequence gap";
    case errc::checksum_mismatch: return "checksum mismatch";
    case errc::crossed_book: return "crossed book";
    case errc::stale_snapshot: return "stale snapshot";
    case errc::precision_loss: return "precision loss";
    case errc::buffer_overflow: return "buffer overflow";
    case errc::invalid_argument: return "invalid argument";
  }
  return "?";
}

}  // namespace depthmon::core
