// venues/kraken/book_fields.hpp — the book fields both Kraken codecs read alike: a level's
// price or size with the digits it was written with (the checksum needs them) and the checksum.
//
// Threads: pure functions. Errors: core::status (bad_number for a checksum that is not an
// unsigned 32-bit integer, the token errors of venues/common/json.hpp otherwise).
#pragma once

#include "venues/common/json.hpp"
#include "venues/kraken/messages.hpp"
#include "venues/kraken/wire_text.hpp"

namespace depthmon::venues::kraken {

// Raises `digits_max` to the fractional digits `text` (parsed as `d`) was written with.
inline void note_digits(std::string_view text, core::decimal d, unsigned& digits_max) noexcept {
  const unsigned w = written_digits(text, d);
  if (w > digits_max) digits_max = w;
}

// "c" (v1, a string) or "checksum" (v2, a number) into b.checksum.
inline core::status read_checksum(simdjson::ondemand::value v, book_data& b,
                                  const char* what) noexcept {
  auto t = json::token_text(v);
  if (!t) return {t.code(), what};
  if (!parse_checksum(*t, b.checksum))
    return {core::errc::bad_number, "checksum must be an unsigned 32-bit integer"};
  b.has_checksum = true;
  return {};
}

}  // namespace depthmon::venues::kraken
