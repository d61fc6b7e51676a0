#include "venues/common/crc32.hpp"

#include <array>
#include <cstddef>
#include <cstring>

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

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
  std::uint32_t c = ~crc;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  std::size_t n = bytes.size();
  while (n >= 8) {
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);  // little-endian loads, as the tables assume (x86-64)
    std::memcpy(&hi, p + 4, 4);
    lo ^= c;
    c = k_crc[7][lo & 0xFFU] ^ k_crc[6][(lo >> 8) & 0xFFU] ^ k_crc[5][(lo >> 16) & 0xFFU] ^
        k_crc[4][lo >> 24] ^ k_crc[3][hi & 0xFFU] ^ k_crc[2][(hi >> 8) & 0xFFU] ^
        k_crc[1][(hi >> 16) & 0xFFU] ^ k_crc[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n-- > 0) c = k_crc[0][(c ^ *p++) & 0xFFU] ^ (c >> 8);
  return ~c;
}

}  // namespace depthmon::venues
