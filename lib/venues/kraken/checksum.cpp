#include "venues/kraken/checksum.hpp"

#include <array>

#include "core/decimal.hpp"

namespace depthmon::venues::kraken {
namespace {

constexpr std::array<std::uint32_t, 256> make_crc_table() noexcept {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1U) ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    t[i] = c;
  }
  return t;
}
constexpr auto k_crc_table = make_crc_table();

// Visits the top levels in checksum order: asks best (lowest) first, then bids best first.
template <class Fn>
core::status for_each_checksum_level(const book::l2_book& b, Fn&& fn) noexcept {
  for (core::side s : {core::side::ask, core::side::bid}) {
    const book::ladder_view lv = b.ladder(s);
    std::size_t n = 0;
    // Ladders are ascending in key with the best level last.
    for (const book::keyed_level* it = lv.end(); it != lv.begin() && n < checksum_levels; ++n) {
      --it;
      if (auto st = fn(book::price_of(s, it->key), it->qty); !st) return st;
    }
  }
  return {};
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
  std::uint32_t c = ~crc;
  for (char ch : bytes)
    c = k_crc_table[(c ^ static_cast<unsigned char>(ch)) & 0xFFU] ^ (c >> 8);
  return ~c;
}

core::result<std::size_t> checksum_text(char* out, std::int64_t ticks, unsigned scale,
                                        unsigned precision) noexcept {
  char buf[48];
  auto n = core::format_fixed(buf, ticks, scale, precision);
  if (!n) return n.err();
  std::size_t len = 0;
  bool leading = true;
  for (std::size_t i = 0; i < *n; ++i) {
    const char c = buf[i];
    if (c == '.' || c == '-') continue;  // sizes and prices are never negative on a book
    if (leading && c == '0') continue;
    leading = false;
    out[len++] = c;
  }
  return len;
}

core::result<std::uint32_t> book_checksum(const book::l2_book& book, unsigned price_precision,
                                          unsigned qty_precision) noexcept {
  std::uint32_t crc = 0;
  const unsigned ps = book.price_scale();
  const unsigned qs = book.qty_scale();
  auto st = for_each_checksum_level(book, [&](std::int64_t price, std::int64_t qty) noexcept {
    char buf[96];
    auto np = checksum_text(buf, price, ps, price_precision);
    if (!np) return core::status(np.err());
    auto nq = checksum_text(buf + *np, qty, qs, qty_precision);
    if (!nq) return core::status(nq.err());
    crc = crc32(std::string_view(buf, *np + *nq), crc);
    return core::status();
  });
  if (!st) return st.err();
  return crc;
}

core::result<std::string> checksum_input(const book::l2_book& book, unsigned price_precision,
                                         unsigned qty_precision) {
  std::string out;
  const unsigned ps = book.price_scale();
  const unsigned qs = book.qty_scale();
  auto st = for_each_checksum_level(book, [&](std::int64_t price, std::int64_t qty) {
    char buf[96];
    auto np = checksum_text(buf, price, ps, price_precision);
    if (!np) return core::status(np.err());
    auto nq = checksum_text(buf + *np, qty, qs, qty_precision);
    if (!nq) return core::status(nq.err());
    out.append(buf, *np + *nq);
    return core::status();
  });
  if (!st) return st.err();
  return out;
}

}  // namespace depthmon::venues::kraken
