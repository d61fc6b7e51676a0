#include "venues/okx/checksum.hpp"

#include <algorithm>
#include <cstring>

#include "core/decimal.hpp"
#include "venues/common/crc32.hpp"

namespace depthmon::venues::okx {
namespace {

// Calls sink(text) for each piece of the checksum text, separators included.
template <class Sink>
void walk(const book::l2_book& b, Sink&& sink) {
  book::level bids[checksum_depth], asks[checksum_depth];
  const std::size_t nb = b.copy_best(core::side::bid, bids, checksum_depth);
  const std::size_t na = b.copy_best(core::side::ask, asks, checksum_depth);
  const unsigned ps = b.price_scale(), qs = b.qty_scale();
  bool first = true;
  char buf[48];
  auto level = [&](core::side s, std::size_t i) {
    const book::level& l = s == core::side::bid ? bids[i] : asks[i];
    if (!first) sink(std::string_view(":", 1));
    first = false;
    sink(std::string_view(buf, core::format_canonical(buf, l.price, ps)));
    sink(std::string_view(":", 1));
    sink(std::string_view(buf, core::format_canonical(buf, l.qty, qs)));
  };
  for (std::size_t i = 0; i < std::max(nb, na); ++i) {
    if (i < nb) level(core::side::bid, i);
    if (i < na) level(core::side::ask, i);
  }
}

}  // namespace

std::int32_t legacy_checksum(const book::l2_book& b) noexcept {
  // 50 levels × (2 values of <= 42 chars + 2 separators): build once, one CRC pass.
  char text[checksum_depth * 2 * 86];
  std::size_t len = 0;
  walk(b, [&](std::string_view piece) {
    std::memcpy(text + len, piece.data(), piece.size());
    len += piece.size();
  });
  return static_cast<std::int32_t>(venues::crc32(std::string_view(text, len)));
}

std::string legacy_checksum_text(const book::l2_book& b) {
  std::string out;
  walk(b, [&](std::string_view piece) { out.append(piece); });
  return out;
}

}  // namespace depthmon::venues::okx
