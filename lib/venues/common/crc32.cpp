#include "venues/common/crc32.hpp"

#include <array>
#include <bit>
#include <cstddef>
#include <cstring>

// The carry-less path is x86-64 code (SSE intrinsics behind a target attribute, chosen at run
// time); every other machine (arm64 servers) builds and runs the slicing-by-8 tables alone.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DEPTHMON_CRC32_CLMUL 1
#include <immintrin.h>
#else
#define DEPTHMON_CRC32_CLMUL 0
#endif

namespace depthmon::venues {
namespace {

using crc_tables = std::array<std::array<std::uint32_t, 256>, 8>;
constexpr crc_tables make_crc_tables() noexcept {
  crc_tables t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1U) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (std::uint32_t i = 0; i < 256; ++i)
    for (std::size_t k = 1; k < 8; ++k) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xFFU];
  return t;
}
constexpr crc_tables k_crc = make_crc_tables();

// Slicing-by-8 on the raw (pre-inverted) register.
std::uint32_t slice8(const unsigned char* p, std::size_t n, std::uint32_t c) noexcept {
  while (n >= 8) {
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);  // the tables index bytes in little-endian order
    std::memcpy(&hi, p + 4, 4);
    if constexpr (std::endian::native == std::endian::big) {
      lo = __builtin_bswap32(lo);
      hi = __builtin_bswap32(hi);
    }
    lo ^= c;
    c = k_crc[7][lo & 0xFFU] ^ k_crc[6][(lo >> 8) & 0xFFU] ^ k_crc[5][(lo >> 16) & 0xFFU] ^
        k_crc[4][lo >> 24] ^ k_crc[3][hi & 0xFFU] ^ k_crc[2][(hi >> 8) & 0xFFU] ^
        k_crc[1][(hi >> 16) & 0xFFU] ^ k_crc[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) c = k_crc[0][(c ^ *p++) & 0xFFU] ^ (c >> 8);
  return c;
}

#if DEPTHMON_CRC32_CLMUL
// Carry-less multiplication folding (Intel, "Fast CRC Computation for Generic Polynomials
// Using PCLMULQDQ"; the constants are those of zlib/Chromium's crc32_simd for 0xEDB88320).
// Takes and returns the raw (pre-inverted) register; len >= 64 and a multiple of 16.
__attribute__((target("pclmul,sse4.1"))) std::uint32_t fold_pclmul(const unsigned char* buf,
                                                                  std::size_t len,
                                                                  std::uint32_t crc) noexcept {
  alignas(16) static const std::uint64_t k1k2[] = {0x0154442bd4, 0x01c6e41596};
  alignas(16) static const std::uint64_t k3k4[] = {0x01751997d0, 0x00ccaa009e};
  alignas(16) static const std::uint64_t k5[] = {0x0163cd6124, 0x0000000000};
  alignas(16) static const std::uint64_t poly[] = {0x01db710641, 0x01f7011641};
  auto load = [](const unsigned char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); };
  __m128i x1 = load(buf), x2 = load(buf + 16), x3 = load(buf + 32), x4 = load(buf + 48);
  x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128(static_cast<int>(crc)));
  __m128i x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(k1k2));
  buf += 64;
  len -= 64;
  while (len >= 64) {
    const __m128i x5 = _mm_clmulepi64_si128(x1, x0, 0x00), x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
    const __m128i x7 = _mm_clmulepi64_si128(x3, x0, 0x00), x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
    x1 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x1, x0, 0x11), x5), load(buf));
    x2 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x2, x0, 0x11), x6), load(buf + 16));
    x3 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x3, x0, 0x11), x7), load(buf + 32));
    x4 = _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x4, x0, 0x11), x8), load(buf + 48));
    buf += 64;
    len -= 64;
  }
  // Fold the four lanes into one.
  x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(k3k4));
  auto fold = [&](__m128i acc, __m128i next) {
    const __m128i lo = _mm_clmulepi64_si128(acc, x0, 0x00);
    const __m128i hi = _mm_clmulepi64_si128(acc, x0, 0x11);
    return _mm_xor_si128(_mm_xor_si128(hi, next), lo);
  };
  x1 = fold(x1, x2);
  x1 = fold(x1, x3);
  x1 = fold(x1, x4);
  while (len >= 16) {
    x1 = fold(x1, load(buf));
    buf += 16;
    len -= 16;
  }
  // 128 -> 64 bits.
  x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
  const __m128i mask = _mm_setr_epi32(~0, 0, ~0, 0);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), x2);
  x0 = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(k5));
  x2 = _mm_srli_si128(x1, 4);
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask), x0, 0x00), x2);
  // Barrett reduction to 32 bits.
  x0 = _mm_load_si128(reinterpret_cast<const __m128i*>(poly));
  x2 = _mm_clmulepi64_si128(_mm_and_si128(x1, mask), x0, 0x10);
  x2 = _mm_clmulepi64_si128(_mm_and_si128(x2, mask), x0, 0x00);
  x1 = _mm_xor_si128(x1, x2);
  return static_cast<std::uint32_t>(_mm_extract_epi32(x1, 1));
}

const bool k_have_pclmul = [] {
  __builtin_cpu_init();
  return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}();

// PCLMUL for the 16-byte multiples of inputs of 64 bytes and more, the tables for the rest.
std::uint32_t clmul_then_slice8(const unsigned char* p, std::size_t n, std::uint32_t c) noexcept {
  if (n >= 64) {
    const std::size_t chunk = n & ~std::size_t{15};
    c = fold_pclmul(p, chunk, c);
    p += chunk;
    n -= chunk;
  }
  return slice8(p, n, c);
}
#endif  // DEPTHMON_CRC32_CLMUL

const unsigned char* bytes_of(std::string_view s) noexcept {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
#if DEPTHMON_CRC32_CLMUL
  if (k_have_pclmul) return ~clmul_then_slice8(bytes_of(bytes), bytes.size(), ~crc);
#endif
  return ~slice8(bytes_of(bytes), bytes.size(), ~crc);
}

namespace crc32_impl {

std::uint32_t portable(std::string_view bytes, std::uint32_t crc) noexcept {
  return ~slice8(bytes_of(bytes), bytes.size(), ~crc);
}

bool have_clmul() noexcept {
#if DEPTHMON_CRC32_CLMUL
  return k_have_pclmul;
#else
  return false;
#endif
}

std::uint32_t clmul(std::string_view bytes, std::uint32_t crc) noexcept {
#if DEPTHMON_CRC32_CLMUL
  if (k_have_pclmul) return ~clmul_then_slice8(bytes_of(bytes), bytes.size(), ~crc);
#endif
  return portable(bytes, crc);
}

}  // namespace crc32_impl
}  // namespace depthmon::venues
