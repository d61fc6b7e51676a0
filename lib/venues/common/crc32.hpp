// venues/common/crc32.hpp — CRC-32/IEEE (zlib's crc32), shared by the venue checksums
// (Kraken's top-10 book checksum, OKX's legacy top-25 checksum).
//
// Slicing-by-8 tables: the CRC is most of a checksum's cost. Chaining works as in zlib:
// crc32(b, crc32(a)) == crc32(a + b). Threads: pure. Errors: none.
#pragma once

#include <cstdint>
#include <string_view>

namespace depthmon::venues {

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0) noexcept;

}  // namespace depthmon::venues
