// venues/common/crc32.hpp — CRC-32/IEEE (zlib's crc32), shared by the venue checksums
// (Kraken's top-10 book checksum, OKX's legacy top-25 checksum).
//
// Carry-less multiplication (PCLMULQDQ, chosen at run time) for 64 bytes and more, slicing-by-8
// tables for the rest: the CRC is a large part of a checksum's cost. Chaining works as in zlib:
// crc32(b, crc32(a)) == crc32(a + b). Threads: pure. Errors: none.
#pragma once

#include <cstdint>
#include <string_view>

namespace depthmon::venues {

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0) noexcept;

}  // namespace depthmon::venues
