// venues/kraken/checksum.hpp — Kraken's book checksum (v2 and v1 alike): CRC-32 of the top 10.
//
// The input string is, for the best 10 asks (price ascending) and then the best 10 bids (price
// descending), each level's price followed by its size, each printed with exactly the pair's
// precision (trailing zeros kept: 0.566 at precision 4 is "0.5660"), with the decimal point
// and then the leading zeros removed ("0.5660" -> "5660", "0.00100000" -> "100000"). The
// result is the zlib / IEEE 802.3 CRC-32 of that string, an unsigned 32-bit number.
// docs/protocols.md §3.4; the precision is what makes it reproducible (the shortest number text
// gives a different, wrong CRC).
//
// Threads: pure functions over their arguments. Errors: precision_loss when a level has
// non-zero digits beyond the precision asked for (the precision is wrong for this book),
// invalid_argument for a precision above 18. Nothing allocates except checksum_input().
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <array>

#include "book/l2_book.hpp"
#include "core/result.hpp"

namespace depthmon::venues::kraken {

// Levels per side that enter the checksum.
inline constexpr std::size_t checksum_levels = 10;

// CRC-32 (IEEE, reflected, polynomial 0xEDB88320), as zlib's crc32(): pass the previous result
// as `crc` to continue over more bytes; crc32("") == 0.
std::uint32_t crc32(std::string_view bytes, std::uint32_t crc = 0) noexcept;

// Appends one value's checksum text: `ticks` × 10^-scale printed with `precision` fractional
// digits, point and leading zeros removed. Returns the number of chars written (at most 40).
core::result<std::size_t> checksum_text(char* out, std::int64_t ticks, unsigned scale,
                                        unsigned precision) noexcept;

// The checksum of `book` with the pair's price and size precisions.
core::result<std::uint32_t> book_checksum(const book::l2_book& book, unsigned price_precision,
                                          unsigned qty_precision) noexcept;

// book_checksum() for one book across messages: remembers the text of the last top levels, so
// a message that changes a few of them formats only those (formatting is most of the cost).
// Same result as book_checksum(); one cache per book, on the book's thread.
class checksum_cache {
 public:
  core::result<std::uint32_t> checksum(const book::l2_book& book, unsigned price_precision,
                                       unsigned qty_precision) noexcept;

 private:
  struct entry {
    std::int64_t key = 0, qty = 0;
    std::uint8_t len = 0;
    // Price + size text: at most 2 × (19 digits + 18 padding zeros) = 74, rounded up to whole
    // 16-byte blocks, which is how it is copied (one block for most levels).
    char text[80];
  };
  using side_entries = std::array<entry, checksum_levels>;
  // Two generations (previous, being built), flipped by index: no copying of whole arrays.
  std::array<std::array<side_entries, 2>, 2> gen_{};
  unsigned cur_ = 0;
  std::array<std::size_t, 2> prev_n_{};
  unsigned price_scale_ = 0, qty_scale_ = 0, price_precision_ = 0, qty_precision_ = 0;
  bool valid_ = false;
};

// The string book_checksum() hashes (tests and diagnostics).
core::result<std::string> checksum_input(const book::l2_book& book, unsigned price_precision,
                                         unsigned qty_precision);

}  // namespace depthmon::venues::kraken
