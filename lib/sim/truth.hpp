// sim/truth.hpp — the simulator's truth in the project's own terms: the book JSON of DESIGN.md
// (GET /sim/v1/books/{venue}/{symbol}?levels=N) and exact band depth of a truth book.
//
// The truth book is copied into a book::l2_book (at the instrument's scales, coverage full) and
// measured with depth::band_tracker and written by depth::append_book_json, so the simulator's
// figures are computed exactly as a client's are, from the simulator's own levels.
//
// Threads: pure functions of a model (read on its owner's thread). Errors: none.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "book/l2_book.hpp"
#include "core/decimal.hpp"
#include "depth/bands.hpp"
#include "depth/depth_view.hpp"
#include "sim/market_model.hpp"

namespace depthmon::sim {

class venue_sim;
struct symbol_feed;

// Exact ±pct depth of one book: notionals at `scale` (price scale + qty scale).
struct band_figure {
  core::int128 bid_notional = 0;
  core::int128 ask_notional = 0;
  unsigned scale = 0;
  double bid() const noexcept;
  double ask() const noexcept;
  double total() const noexcept { return bid() + ask(); }
};

// Copies a truth book into an l2_book (full coverage both sides).
void copy_truth(const truth_book& t, const instrument& in, book::l2_book& out);
depth::depth_view truth_depth(const truth_book& t, const instrument& in, const depth::band_set& bands);
band_figure truth_band(const truth_book& t, const instrument& in, core::decimal pct);

// Book JSON of `symbol`'s truth with the top `levels` levels (0: none); empty string for an
// unknown symbol.
std::string truth_book_json(const venue_sim& v, std::string_view symbol, std::size_t levels,
                            const depth::band_set& bands = depth::default_bands());

}  // namespace depthmon::sim
