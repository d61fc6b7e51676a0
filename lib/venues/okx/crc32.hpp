// venues/okx/crc32.hpp — incremental CRC-32/IEEE for OKX's legacy checksum text.
//
// A thin wrapper over venues/common/crc32.hpp (the one CRC implementation, shared with
// Kraken): update() takes pieces so text can be checksummed without building it.
// crc32_of("123456789") == 0xCBF43926. Threads: pure. Errors: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "venues/common/crc32.hpp"

namespace depthmon::venues::okx {

// Incremental form of venues::crc32 (the shared slicing-by-8 implementation).
class crc32 {
 public:
  crc32& update(std::string_view bytes) noexcept {
    value_ = venues::crc32(bytes, value_);
    return *this;
  }
  crc32& update(char ch) noexcept { return update(std::string_view(&ch, 1)); }
  std::uint32_t value() const noexcept { return value_; }

 private:
  std::uint32_t value_ = 0;
};

inline std::uint32_t crc32_of(std::string_view bytes) noexcept { return venues::crc32(bytes); }

}  // namespace depthmon::venues::okx
