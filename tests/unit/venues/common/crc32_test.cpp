#include "venues/common/crc32.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "support/seed.hpp"

using depthmon::venues::crc32;
namespace impl = depthmon::venues::crc32_impl;

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
  DEPTHMON_PROPERTY_SEED(seed, 3);
  std::mt19937_64 rng(seed);
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

// The slicing-by-8 path is the only one non-x86 machines have: test it on its own everywhere,
// not only through crc32(), which takes the carry-less path for 64 bytes and more on x86-64.
TEST_CASE("the portable path matches the bitwise reference on every machine", "[crc32][property]") {
  DEPTHMON_PROPERTY_SEED(seed, 4);
  std::mt19937_64 rng(seed);
  CHECK(impl::portable("123456789") == 0xCBF43926U);
  CHECK(impl::portable("56789", impl::portable("1234")) == 0xCBF43926U);
  std::string buf(4200, '\0');
  for (auto& c : buf) c = static_cast<char>(rng());
  for (std::size_t len = 0; len <= 600; ++len) {
    const std::size_t off = rng() % 16;
    const auto init = static_cast<std::uint32_t>(rng());
    const std::string_view s(buf.data() + off, len);
    INFO("len " << len << " off " << off);
    REQUIRE(impl::portable(s, init) == crc32_bitwise(s, init));
  }
  const std::string_view all(buf.data() + 1, 4000);
  REQUIRE(impl::portable(all) == crc32_bitwise(all, 0));
}

TEST_CASE("the carry-less path equals the portable path on random inputs", "[crc32][property]") {
  if (!impl::have_clmul()) {
    WARN("no PCLMUL on this machine (or not x86-64): crc32() uses the portable path only");
    return;
  }
  DEPTHMON_PROPERTY_SEED(seed, 5);
  std::mt19937_64 rng(seed);
  std::string buf(8192 + 64, '\0');
  for (int round = 0; round < 2000; ++round) {
    const std::size_t len = round < 200 ? static_cast<std::size_t>(round) : rng() % 8192;
    const std::size_t off = rng() % 64;
    for (std::size_t i = 0; i < off + len; ++i) buf[i] = static_cast<char>(rng());
    const auto init = static_cast<std::uint32_t>(rng());
    const std::string_view s(buf.data() + off, len);
    INFO("round " << round << " len " << len << " off " << off);
    REQUIRE(impl::clmul(s, init) == impl::portable(s, init));
    REQUIRE(crc32(s, init) == impl::clmul(s, init));
  }
}
