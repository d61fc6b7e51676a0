#include "depth/aggregate.hpp"

#include <map>

namespace depthmon::depth {

std::vector<asset_depth> aggregate_by_asset(std::span<const book_usd_depth> books,
                                            std::size_t band_count) {
  struct acc {
    double usd = 0, usd_with_base = 0, base = 0;
    std::size_t books = 0, missing = 0, with_base = 0;
  };
  std::map<std::string, std::vector<std::array<acc, 2>>> by_base;
  for (const auto& b : books) {
    auto& slots = by_base[b.base];
    slots.resize(band_count);
    for (std::size_t i = 0; i < band_count; ++i)
      for (std::size_t s = 0; s < 2; ++s) {
        acc& a = slots[i][s];
        const auto usd = i < b.usd.size() ? b.usd[i][s] : std::nullopt;
        if (!usd) {
          ++a.missing;
          continue;
        }
        a.usd += *usd;
        ++a.books;
        const auto base = i < b.baseline.size() ? b.baseline[i][s] : std::nullopt;
        if (base) {
          a.base += *base;
          a.usd_with_base += *usd;
          ++a.with_base;
        }
      }
  }
  std::vector<asset_depth> out;
  for (const auto& [base, slots] : by_base)
    for (std::size_t i = 0; i < band_count; ++i)
      for (std::size_t s = 0; s < 2; ++s) {
        const acc& a = slots[i][s];
        asset_depth d;
        d.base = base;
        d.band = i;
        d.side = static_cast<core::side>(s);
        d.usd = a.usd;
        d.books = a.books;
        d.books_missing = a.missing;
        if (a.with_base > 0) {
          d.baseline = a.base;
          if (a.base > 0) d.ratio = a.usd_with_base / a.base;
        }
        out.push_back(std::move(d));
      }
  return out;
}

}  // namespace depthmon::depth
