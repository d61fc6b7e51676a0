// venues/common/crc32.hpp — CRC-32/IEEE (zlib's crc32), shared by the venue checksums
// (Kraken's top-10 book checksum, OKX's legacy top-25 checksum).
//
// On x86-64, carry-less multiplication (PCLMULQDQ, chosen at run time) for 64 bytes and more,
// slicing-by-8 tables for the rest: the CRC is a large part of a checksum's cost. Other machines
// (arm64) build the tables alone. Chaining works as in zlib: crc32(b, crc32(a)) ==
// crc32(a + b). Threads: pure. Errors: none.
#pragma once

#include <cstdint>
#include <string_view>

namespace depthmon::venues {

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0) noexcept;

// The two paths behind crc32(), callable directly so tests compare them on every machine.
namespace crc32_impl {
// Slicing-by-8 tables: compiled and used everywhere.
std::uint32_t portable(std::string_view bytes, std::uint32_t crc = 0) noexcept;
// True when the carry-less path is compiled in (x86-64) and the CPU has PCLMUL and SSE4.1.
bool have_clmul() noexcept;
// The carry-less path where have_clmul(), else portable().
std::uint32_t clmul(std::string_view bytes, std::uint32_t crc = 0) noexcept;
}  // namespace crc32_impl

}  // namespace depthmon::venues
