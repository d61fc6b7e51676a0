// venues/okx/checksum.hpp — OKX's legacy order-book checksum (historical data; OKX now sends 0).
//
// Top 25 bids and top 25 asks interleaved "bid1px:bid1sz:ask1px:ask1sz:bid2px:..." (a side
// with fewer levels is skipped: "bid:ask:ask:ask..."), CRC-32/IEEE of that text, read as a
// signed 32-bit integer. OKX computed it over the price and size strings it sent; those strings
// are canonical decimals (no exponent, no trailing zeros — checked on every level of the
// reference captures), so formatting the book's exact values canonically reproduces them.
//
// Threads: pure functions of a book (read on its writer thread). Errors: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "book/l2_book.hpp"

namespace depthmon::venues::okx {

inline constexpr std::size_t checksum_depth = 25;

// The signed CRC32 of the book's checksum text.
std::int32_t legacy_checksum(const book::l2_book& b) noexcept;

// The checksum text itself (tests and diagnostics).
std::string legacy_checksum_text(const book::l2_book& b);

}  // namespace depthmon::venues::okx
