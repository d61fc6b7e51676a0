// venues/okx/crc32.hpp — CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), table-driven.
//
// The checksum OKX (legacy) and Kraken put on their books. Venues do not link zlib or OpenSSL,
// so this is a 256-entry table built at compile time; crc32("123456789") == 0xCBF43926.
// Feed pieces with update() to checksum text without building it.
//
// Threads: pure functions over values. Errors: none.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace depthmon::venues::okx {

namespace detail {
constexpr std::array<std::uint32_t, 256> make_crc32_table() noexcept {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
inline constexpr std::array<std::uint32_t, 256> crc32_table = make_crc32_table();
}  // namespace detail

class crc32 {
 public:
  constexpr crc32& update(std::string_view bytes) noexcept {
    for (char ch : bytes)
      state_ = detail::crc32_table[(state_ ^ static_cast<unsigned char>(ch)) & 0xFFu] ^ (state_ >> 8);
    return *this;
  }
  constexpr crc32& update(char ch) noexcept { return update(std::string_view(&ch, 1)); }
  constexpr std::uint32_t value() const noexcept { return ~state_; }

 private:
  std::uint32_t state_ = 0xFFFFFFFFu;
};

constexpr std::uint32_t crc32_of(std::string_view bytes) noexcept {
  return crc32{}.update(bytes).value();
}

static_assert(crc32_of("123456789") == 0xCBF43926u, "CRC-32/IEEE check value");

}  // namespace depthmon::venues::okx
