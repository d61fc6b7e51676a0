#include "venues/kraken/checksum.hpp"

#include <array>
#include <charconv>
#include <cstring>

#include "core/decimal.hpp"
#include "venues/common/crc32.hpp"

namespace depthmon::venues::kraken {
namespace {

// Visits the top levels in checksum order: asks best (lowest) first, then bids best first.
template <class Fn>
core::status for_each_checksum_level(const book::l2_book& b, Fn&& fn) noexcept {
  for (core::side s : {core::side::ask, core::side::bid}) {
    std::size_t n = 0;
    core::status st;
    b.ladder(s).walk_from_best([&](std::int64_t key, std::int64_t qty) noexcept {
      st = fn(book::price_of(s, key), qty);
      return st.ok() && ++n < checksum_levels;
    });
    if (!st) return st;
  }
  return {};
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
  return venues::crc32(bytes, crc);
}

core::result<std::size_t> checksum_text(char* out, std::int64_t ticks, unsigned scale,
                                        unsigned precision) noexcept {
  // The value printed with `precision` decimals, point and leading zeros removed, is its
  // digits at that precision: the digits of ticks rescaled to `precision`, zero-padded.
  if (ticks < 0) return {core::errc::bad_number, "negative value in checksum"};
  if (precision > core::max_scale) return {core::errc::invalid_argument, "precision above 18"};
  auto v = static_cast<std::uint64_t>(ticks);
  if (scale > precision) {
    const auto div = static_cast<std::uint64_t>(core::pow10_i64(scale - precision));
    if (v % div != 0) return {core::errc::precision_loss, "value finer than precision"};
    v /= div;
    scale = precision;
  }
  if (v == 0) return std::size_t{0};
  const auto r = std::to_chars(out, out + 20, v);
  std::size_t len = static_cast<std::size_t>(r.ptr - out);
  std::memset(out + len, '0', precision - scale);
  return len + (precision - scale);
}

core::result<std::uint32_t> book_checksum(const book::l2_book& book, unsigned price_precision,
                                          unsigned qty_precision) noexcept {
  // At most 20 levels × 2 values × (19 digits + 18 padding zeros): one buffer, one CRC pass.
  char buf[2 * checksum_levels * 2 * 40];
  std::size_t len = 0;
  const unsigned ps = book.price_scale();
  const unsigned qs = book.qty_scale();
  auto st = for_each_checksum_level(book, [&](std::int64_t price, std::int64_t qty) noexcept {
    auto np = checksum_text(buf + len, price, ps, price_precision);
    if (!np) return core::status(np.err());
    len += *np;
    auto nq = checksum_text(buf + len, qty, qs, qty_precision);
    if (!nq) return core::status(nq.err());
    len += *nq;
    return core::status();
  });
  if (!st) return st.err();
  return crc32(std::string_view(buf, len));
}

namespace {

// Copies a cached level text in whole 16-byte blocks (fixed-size moves the compiler inlines;
// a memcpy of a variable few bytes is a library call, and was most of the cached checksum).
// Both buffers have room for the rounded-up length.
inline void copy_blocks(char* dst, const char* src, std::size_t len) noexcept {
  for (std::size_t i = 0; i < len; i += 16) std::memcpy(dst + i, src + i, 16);
}

}  // namespace

core::result<std::uint32_t> checksum_cache::checksum(const book::l2_book& book,
                                                     unsigned price_precision,
                                                     unsigned qty_precision) noexcept {
  const unsigned ps = book.price_scale(), qs = book.qty_scale();
  if (!valid_ || ps != price_scale_ || qs != qty_scale_ || price_precision != price_precision_ ||
      qty_precision != qty_precision_) {
    prev_n_ = {0, 0};
    price_scale_ = ps;
    qty_scale_ = qs;
    price_precision_ = price_precision;
    qty_precision_ = qty_precision;
  }
  valid_ = false;  // until this computation succeeds
  char buf[2 * checksum_levels * sizeof(entry::text) + 16];  // + a block of copy slack
  std::size_t len = 0;
  for (core::side s : {core::side::ask, core::side::bid}) {
    const auto si = static_cast<std::size_t>(s);
    book::level top[checksum_levels];  // the ladder's own walk: no iterator step per level
    const std::size_t count = book.copy_best(s, top, checksum_levels);
    const side_entries& prev = gen_[cur_][si];
    side_entries& next = gen_[cur_ ^ 1U][si];
    std::size_t j = 0, n = 0;
    // Both lists run best first (descending key): a merge finds the unchanged levels.
    for (; n < count; ++n) {
      const std::int64_t key = book::key_of(s, top[n].price), qty = top[n].qty;
      while (j < prev_n_[si] && prev[j].key > key) ++j;
      entry& e = next[n];
      e.key = key;
      e.qty = qty;
      if (j < prev_n_[si] && prev[j].key == key && prev[j].qty == qty) {
        e.len = prev[j].len;
        copy_blocks(e.text, prev[j].text, e.len);
      } else {
        auto np = checksum_text(e.text, top[n].price, ps, price_precision);
        if (!np) return np.err();
        auto nq = checksum_text(e.text + *np, qty, qs, qty_precision);
        if (!nq) return nq.err();
        e.len = static_cast<std::uint8_t>(*np + *nq);
      }
      copy_blocks(buf + len, e.text, e.len);
      len += e.len;
    }
    prev_n_[si] = n;
  }
  cur_ ^= 1U;
  valid_ = true;
  return crc32(std::string_view(buf, len));
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
