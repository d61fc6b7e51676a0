#include "depth/price_impact.hpp"

namespace depthmon::depth {

namespace {

// One side's walk, with the side a template parameter: price_of(S, key) is then the key or its
// negation at compile time, not a test and a cmov per level (the walk is the hot loop).
template <core::side S>
std::optional<impact> walk(const book::l2_book& book, core::int128 mid2, std::int64_t known_from,
                           core::int128 target_notional) noexcept {
  core::int128 filled = 0;
  std::optional<impact> out;
  book.ladder(S).walk_from_best([&](std::int64_t key, std::int64_t qty) noexcept {
    if (key < known_from) return false;
    const std::int64_t price = book::price_of(S, key);
    // Each product fits int128 (< 2^126); their sum may not. A wrapped sum would read as an
    // unfilled order and answer with a deeper level. An overflow means the order fills here but
    // its filled notional cannot be held exactly: the figure is missing, never approximate.
    if (__builtin_add_overflow(filled, static_cast<core::int128>(price) * qty, &filled))
      return false;
    if (filled < target_notional) return true;
    // bps = |2·price − mid2| / mid2 × 10^4
    const core::int128 dist = 2 * static_cast<core::int128>(price) - mid2;
    const long double bps = static_cast<long double>(dist < 0 ? -dist : dist) * 1e4L /
                            static_cast<long double>(mid2);
    out = impact{price, filled, static_cast<double>(bps)};
    return false;
  });
  return out;  // nullopt: ran out of (known) levels, or the sum overflowed
}

}  // namespace

std::optional<impact> price_impact(const book::l2_book& book, core::side s,
                                   core::int128 target_notional) noexcept {
  const auto bb = book.best(core::side::bid);
  const auto ba = book.best(core::side::ask);
  if (!bb || !ba || target_notional <= 0) return std::nullopt;
  const core::int128 mid2 = static_cast<core::int128>(bb->price) + ba->price;
  // Levels with a key below the boundary lie beyond what the book knows completely; a walk
  // that reaches one has no answer. (INT64_MIN: the whole side is known.)
  const auto cov = book.coverage_key(s);
  const std::int64_t known_from = cov ? *cov : INT64_MIN;
  return s == core::side::bid ? walk<core::side::bid>(book, mid2, known_from, target_notional)
                              : walk<core::side::ask>(book, mid2, known_from, target_notional);
}

}  // namespace depthmon::depth
