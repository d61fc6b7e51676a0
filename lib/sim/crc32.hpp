// sim/crc32.hpp — CRC-32/IEEE (zlib's), written for the simulator so that the checksums it
// sends are computed independently of the client's venues/common/crc32 they are checked with.
//
// Threads: pure function (the table is built at compile time). Errors: none.
#pragma once

#include <cstdint>
#include <string_view>

namespace depthmon::sim {

std::uint32_t crc32(std::string_view bytes) noexcept;

}  // namespace depthmon::sim
