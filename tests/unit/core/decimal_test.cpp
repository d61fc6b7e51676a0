#include "core/decimal.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "support/seed.hpp"

using namespace depthmon::core;

namespace {
decimal dec(const char* s) {
  auto r = parse_decimal(s);
  REQUIRE(r.ok());
  return *r;
}
std::string canon(const char* s) { return to_string(dec(s)); }
}  // namespace

TEST_CASE("parse_decimal reads exact values from token text", "[decimal]") {
  CHECK(dec("0.35210000") == decimal{3521, 4});
  CHECK(dec("9602.00000000") == decimal{9602, 0});
  CHECK(dec("0") == decimal{0, 0});
  CHECK(dec("0.00000000") == decimal{0, 0});
  CHECK(dec("-0") == decimal{0, 0});
  CHECK(dec("-12.340") == decimal{-1234, 2});
  CHECK(dec("+5") == decimal{5, 0});
  CHECK(dec(".5") == decimal{5, 1});
  CHECK(dec("5.") == decimal{5, 0});
  CHECK(dec("0.0000127792") == decimal{127792, 10});
  CHECK(dec("000123.4500") == decimal{12345, 2});
  // Kraken v2 sends bare JSON numbers, exponent notation included.
  CHECK(dec("1e-05") == decimal{1, 5});
  CHECK(dec("1.5E3") == decimal{1500, 0});
  CHECK(dec("1.50e1") == decimal{15, 0});
  CHECK(dec("12e0") == decimal{12, 0});
  CHECK(dec("999999999999999999") == decimal{999999999999999999LL, 0});
  CHECK(dec("0.000000000000000001") == decimal{1, 18});
}

TEST_CASE("parse_decimal rejects what is not a number", "[decimal]") {
  for (const char* bad : {"", "-", ".", "abc", "1.2.3", "1,5", "1e", "1e+", "0x10", " 1", "1 ",
                          "--1", "1-", "NaN", "inf", "e5"}) {
    INFO(bad);
    auto r = parse_decimal(bad);
    CHECK_FALSE(r.ok());
    CHECK(r.code() == errc::bad_number);
  }
}

TEST_CASE("parse_decimal refuses values it cannot hold exactly", "[decimal]") {
  CHECK(parse_decimal("1234567890123456789").code() == errc::number_overflow);
  CHECK(parse_decimal("99999999999999999999999").code() == errc::number_overflow);
  CHECK(parse_decimal("0.0000000000000000001").code() == errc::number_overflow);
  CHECK(parse_decimal("1e19").code() == errc::number_overflow);
  CHECK(parse_decimal("1e-400").code() == errc::number_overflow);
  CHECK(parse_decimal("1e99999").code() == errc::number_overflow);
  // Padding zeros never count towards the 18-digit limit.
  CHECK(parse_decimal("1.000000000000000000000000").ok());
}

TEST_CASE("canonical formatting strips zeros and never uses exponents", "[decimal]") {
  CHECK(canon("0.35290000") == "0.3529");
  CHECK(canon("9602.00000000") == "9602");
  CHECK(canon("0.000065535") == "0.000065535");
  CHECK(canon("-0.5") == "-0.5");
  CHECK(canon("0") == "0");
  CHECK(canon("1e-05") == "0.00001");
  CHECK(canon("100") == "100");
  CHECK(to_canonical_string(static_cast<int128>(1785284514) * 100000000, 12) == "178528.4514");
  CHECK(to_canonical_string(-static_cast<int128>(5), 0) == "-5");
  // int128 notionals beyond int64.
  CHECK(to_canonical_string(pow10_i128(30) + 1, 10) == "100000000000000000000.0000000001");
}

TEST_CASE("format_fixed pads to a precision, as Kraken's checksum needs", "[decimal]") {
  char buf[64];
  auto f = [&](std::int64_t m, unsigned s, unsigned p) {
    auto r = format_fixed(buf, m, s, p);
    REQUIRE(r.ok());
    return std::string(buf, *r);
  };
  CHECK(f(566, 3, 4) == "0.5660");
  CHECK(f(181, 4, 8) == "0.01810000");
  CHECK(f(180971547, 4, 8) == "18097.15470000");
  CHECK(f(5, 0, 0) == "5");
  CHECK(f(45285200, 3, 1) == "45285.2");  // extra scale with zero digits is fine
  CHECK_FALSE(format_fixed(buf, 45285201, 3, 1).ok());  // would lose a digit
}

TEST_CASE("to_scale and rescale_up are exact or fail", "[decimal]") {
  CHECK(*to_scale(dec("0.3521"), 8) == 35210000);
  CHECK(to_scale(dec("0.35211"), 4).code() == errc::precision_loss);
  CHECK(rescale_up(INT64_MAX / 10 + 1, 0, 1).code() == errc::number_overflow);
  CHECK(*rescale_up(-12, 1, 3) == -1200);
}

TEST_CASE("compare_scaled compares across scales", "[decimal]") {
  CHECK(compare_scaled(3521, 4, 35210000, 8) == 0);
  CHECK(compare_scaled(3521, 4, 35210001, 8) < 0);
  CHECK(compare_scaled(-1, 0, 0, 5) < 0);
}

// Regression: compare_scaled multiplied the coarser value up unchecked. 10^20 at scale 0 times
// 10^19 wraps int128 (10^39 > 1.7·10^38) and compared as less than 1 × 10^-19; a scale gap of
// 39 or more read past the power table. Exact answers for every input now.
TEST_CASE("compare_scaled is exact where rescaling would overflow int128", "[decimal]") {
  const int128 big = pow10_i128(20);
  CHECK(compare_scaled(big, 0, 1, 19) > 0);
  CHECK(compare_scaled(1, 19, big, 0) < 0);
  CHECK(compare_scaled(-big, 0, 1, 19) < 0);
  CHECK(compare_scaled(-big, 0, -1, 19) < 0);
  CHECK(compare_scaled(1, 19, -big, 0) > 0);
  // Scale gaps beyond the int128 range of powers of ten.
  CHECK(compare_scaled(1, 0, 5, 40) > 0);
  CHECK(compare_scaled(-1, 0, -5, 40) < 0);
  CHECK(compare_scaled(0, 0, 1, 60) < 0);
  CHECK(compare_scaled(0, 60, -1, 0) > 0);
  CHECK(compare_scaled(0, 0, 0, 60) == 0);
  // Largest magnitudes, both directions, and the boundary where the rescale just fits.
  constexpr int128 max = ~(static_cast<int128>(1) << 127);
  CHECK(compare_scaled(max, 0, max, 1) > 0);
  CHECK(compare_scaled(max / 10, 0, max / 10 * 10, 1) == 0);
  CHECK(compare_scaled(max / 10, 0, max / 10 * 10 + 1, 1) < 0);
  CHECK(compare_scaled(max / 10 + 1, 0, max, 1) > 0);
  CHECK(compare_scaled(-max - 1, 0, -max - 1, 1) < 0);
}

TEST_CASE("compare_scaled agrees with exact rational comparison", "[decimal][property]") {
  DEPTHMON_PROPERTY_SEED(seed, 17);
  std::mt19937_64 rng(seed);
  // Reference: compare a·10^sb with b·10^sa as digit strings of equal length (no arithmetic
  // that can overflow).
  const auto digits = [](int128 v, unsigned zeros) {
    unsigned __int128 m = v < 0 ? static_cast<unsigned __int128>(-(v + 1)) + 1 : static_cast<unsigned __int128>(v);
    std::string d;
    do {
      d.insert(d.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
      m /= 10;
    } while (m != 0);
    if (d != "0") d.append(zeros, '0');
    return d;
  };
  const auto reference = [&](int128 a, unsigned sa, int128 b, unsigned sb) {
    const int sign_a = (a > 0) - (a < 0), sign_b = (b > 0) - (b < 0);
    if (sign_a != sign_b) return sign_a < sign_b ? -1 : 1;
    if (sign_a == 0) return 0;
    const std::string x = digits(a, sb), y = digits(b, sa);  // |a|·10^sb vs |b|·10^sa
    int mag = x.size() != y.size() ? (x.size() < y.size() ? -1 : 1) : (x < y ? -1 : (x > y ? 1 : 0));
    return sign_a < 0 ? -mag : mag;
  };
  const auto random_i128 = [&] {
    const unsigned bits = 1 + static_cast<unsigned>(rng() % 127);
    unsigned __int128 m = (static_cast<unsigned __int128>(rng()) << 64) | rng();
    m &= (static_cast<unsigned __int128>(1) << bits) - 1;
    const auto v = static_cast<int128>(m);
    return (rng() & 1) ? -v : v;
  };
  for (int i = 0; i < 20000; ++i) {
    const int128 a = random_i128(), b = random_i128();
    const auto sa = static_cast<unsigned>(rng() % 45), sb = static_cast<unsigned>(rng() % 45);
    const int got = compare_scaled(a, sa, b, sb);
    REQUIRE(((got > 0) - (got < 0)) == reference(a, sa, b, sb));
  }
}

TEST_CASE("parse and format round-trip on random decimals", "[decimal][property]") {
  DEPTHMON_PROPERTY_SEED(seed, 42);
  std::mt19937_64 rng(seed);
  for (int i = 0; i < 20000; ++i) {
    const auto scale = static_cast<unsigned>(rng() % 13);
    const auto digits = 1 + rng() % 17;
    std::int64_t m = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(pow10_i64(static_cast<unsigned>(digits))));
    if (rng() & 1) m = -m;
    const std::string text = to_canonical_string(m, scale);
    auto back = parse_decimal(text);
    REQUIRE(back.ok());
    CHECK(compare_scaled(back->mantissa, back->scale, m, scale) == 0);
    CHECK(to_string(*back) == text);
    // Trailing zeros on the wire do not change the value.
    const std::string padded = text.find('.') == std::string::npos ? text + ".000" : text + "000";
    auto p2 = parse_decimal(padded);
    REQUIRE(p2.ok());
    CHECK(*p2 == *back);
  }
}
