// depth/depth_view.hpp — the depth figures of one book at one instant, as a fixed-size value.
//
// Fixed size (no heap) so a writer can publish it through a seqlock and readers can copy it.
// Quantities are int128 ticks at the book's qty scale; notionals (quote currency, each level at
// its own price) at price_scale + qty_scale. A band side that is not `complete` has no value:
// report it missing, never as a partial sum.
//
// Threads: a plain value. Errors: `overflow` marks figures that could not be held exactly.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "book/l2_book.hpp"
#include "core/decimal.hpp"
#include "depth/bands.hpp"

namespace depthmon::depth {

struct band_side {
  core::int128 qty = 0;
  core::int128 notional = 0;
  std::int64_t edge_price = 0;  // ticks; the inclusive band edge
  bool complete = false;
};

struct band_figures {
  std::array<band_side, 2> sides;  // indexed by core::side
  const band_side& operator[](core::side s) const noexcept {
    return sides[static_cast<std::size_t>(s)];
  }
};

struct depth_view {
  bool has_mid = false;
  bool overflow = false;      // a running sum overflowed int128: bands unusable
  unsigned price_scale = 0;
  unsigned qty_scale = 0;
  book::level best_bid{};
  book::level best_ask{};
  core::int128 mid2 = 0;      // best bid + best ask, price ticks (mid = mid2 / 2)
  std::size_t band_count = 0;
  std::array<band_figures, max_bands> bands{};

  unsigned notional_scale() const noexcept { return price_scale + qty_scale; }
  // mid as an exact decimal: mid2 × 5 at price_scale + 1.
  core::int128 mid_mantissa() const noexcept { return mid2 * 5; }
  unsigned mid_scale() const noexcept { return price_scale + 1; }
  // (ask − bid) / mid in basis points.
  double spread_bps() const noexcept;
};

}  // namespace depthmon::depth
