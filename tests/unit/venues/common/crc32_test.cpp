#include "venues/common/crc32.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using depthmon::venues::crc32;

namespace {
// Bit at a time, straight from the polynomial: the reference every fast path must equal.
std::uint32_t crc32_bitwise(std::string_view s, std::uint32_t crc) {
  std::uint32_t c = ~crc;
  for (unsigned char ch : s) {
    c ^= ch;
    for (int k = 0; k < 8; ++k) c = (c & 1U) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
  }
  return ~c;
}
}  // namespace

TEST_CASE("crc32 check values", "[crc32]") {
  CHECK(crc32("") == 0U);
  CHECK(crc32("123456789") == 0xCBF43926U);
  CHECK(crc32("The quick brown fox jumps over the lazy dog") == 0x414FA339U);
  CHECK(crc32("56789", crc32("1234")) == 0xCBF43926U);
}

TEST_CASE("every length and alignment matches the bitwise reference", "[crc32][property]") {
  std::mt19937_64 rng(3);
  std::string buf(4200, '\0');
  for (auto& c : buf) c = static_cast<char>(rng());
  for (std::size_t len = 0; len <= 1100; ++len) {
    const std::size_t off = rng() % 16;
    const auto init = static_cast<std::uint32_t>(rng());
    const std::string_view s(buf.data() + off, len);
    INFO("len " << len << " off " << off);
    REQUIRE(crc32(s, init) == crc32_bitwise(s, init));
  }
  for (int i = 0; i < 50; ++i) {
    const std::size_t len = 1100 + rng() % 3000;
    const std::string_view s(buf.data() + rng() % 64, len);
    REQUIRE(crc32(s) == crc32_bitwise(s, 0));
  }
}
