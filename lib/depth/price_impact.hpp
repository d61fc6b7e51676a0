// depth/price_impact.hpp — how far a market order of a given size moves the price.
//
// Walks the complete part of one side from the best level, each level at its own price, until
// the filled quote notional reaches the target; the impact is the distance in basis points from
// mid to the last level touched. Missing when the complete part of the book cannot fill it.
//
// Threads: reads a book on its writer thread. Errors: std::nullopt = not computable (the
// complete part cannot fill the order, or the filled notional would overflow int128).
#pragma once

#include <cstdint>
#include <optional>

#include "book/l2_book.hpp"
#include "core/decimal.hpp"

namespace depthmon::depth {

struct impact {
  std::int64_t last_price = 0;  // ticks: the worst level the order reaches
  core::int128 filled_notional = 0;
  double bps = 0;               // |last_price − mid| / mid × 10 000
};

// `target_notional` is in quote currency at price_scale + qty_scale (see usd_to_quote_ceil).
// Side bid = a sell order hitting bids; side ask = a buy order lifting asks.
std::optional<impact> price_impact(const book::l2_book& book, core::side s,
                                   core::int128 target_notional) noexcept;

}  // namespace depthmon::depth
