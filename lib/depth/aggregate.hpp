// depth/aggregate.hpp — per-asset depth across venues, and its ratio to the same books' baseline.
//
// For one base asset, band and side: Σ USD depth of the books whose band is complete (and that
// are live), and Σ of those same books' baselines, so the ratio compares like with like. A book
// whose band is missing is counted in `books_missing`, never added as a partial sum.
//
// Threads: pure function over values. Errors: none; absent figures are std::nullopt.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "depth/bands.hpp"

namespace depthmon::depth {

struct book_usd_depth {
  std::string base;
  // [band][side]: USD depth when the band is complete; baseline when one is known.
  std::vector<std::array<std::optional<double>, 2>> usd;
  std::vector<std::array<std::optional<double>, 2>> baseline;
};

struct asset_depth {
  std::string base;
  std::size_t band = 0;  // index into the band set
  core::side side = core::side::bid;
  double usd = 0;                    // Σ over complete books
  std::size_t books = 0;             // books in the sum
  std::size_t books_missing = 0;     // books whose band was incomplete
  std::optional<double> baseline;    // Σ baselines of the books in the sum that have one
  std::optional<double> ratio;       // Σ usd / Σ baseline over books having both
};

// One entry per (base, band, side), sorted by base then band then side.
std::vector<asset_depth> aggregate_by_asset(std::span<const book_usd_depth> books,
                                            std::size_t band_count);

}  // namespace depthmon::depth
