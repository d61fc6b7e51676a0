#include "depth/price_impact.hpp"

namespace depthmon::depth {

std::optional<impact> price_impact(const book::l2_book& book, core::side s,
                                   core::int128 target_notional) noexcept {
  const auto bb = book.best(core::side::bid);
  const auto ba = book.best(core::side::ask);
  if (!bb || !ba || target_notional <= 0) return std::nullopt;
  const core::int128 mid2 = static_cast<core::int128>(bb->price) + ba->price;
  const auto cov = book.coverage_key(s);
  const book::ladder_view lv = book.ladder(s);
  core::int128 filled = 0;
  for (auto it = lv.end(); it != lv.begin();) {
    const auto& l = *--it;  // best first
    if (cov && l.key < *cov) return std::nullopt;  // beyond what the book knows completely
    const std::int64_t price = book::price_of(s, l.key);
    // Each product fits int128 (< 2^126); their sum may not. A wrapped sum would read as an
    // unfilled order and answer with a deeper level. An overflow means the order fills here but
    // its filled notional cannot be held exactly: the figure is missing, never approximate.
    if (__builtin_add_overflow(filled, static_cast<core::int128>(price) * l.qty, &filled))
      return std::nullopt;
    if (filled >= target_notional) {
      // bps = |2·price − mid2| / mid2 × 10^4
      const core::int128 dist = 2 * static_cast<core::int128>(price) - mid2;
      const long double bps = static_cast<long double>(dist < 0 ? -dist : dist) * 1e4L /
                              static_cast<long double>(mid2);
      return impact{price, filled, static_cast<double>(bps)};
    }
  }
  return std::nullopt;  // ran out of levels
}

}  // namespace depthmon::depth
