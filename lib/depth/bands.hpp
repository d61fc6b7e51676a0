// depth/bands.hpp — the ±x % bands depth is measured in, and their exact edges.
//
// A band is a percentage given as a decimal (0.1, 0.25, 2 ...). With mid = (bb + ba) / 2 the
// bid edge is mid × (1 − x/100) and the ask edge mid × (1 + x/100), both inclusive
// (DESIGN.md "Depth definition"). Edges are computed exactly in integers: with x = n·10^-k and
// D = 100·10^k, a bid at price p is inside iff 2·D·p ≥ (bb + ba)·(D − n), so the bid edge in
// ticks is ceil((bb + ba)(D − n) / 2D) and the ask edge floor((bb + ba)(D + n) / 2D).
//
// Threads: immutable values. Errors: parse_bands returns invalid_argument with a detail.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

namespace depthmon::depth {

inline constexpr std::size_t max_bands = 16;

struct band {
  core::decimal pct;  // 0 < pct < 100
  std::string pct_text() const { return core::to_string(pct); }
  // Basis points as text for metric labels: 0.1 % -> "10", 0.25 % -> "25", 2 % -> "200".
  std::string bps_text() const;
};

// Sorted ascending, unique, at most max_bands.
using band_set = std::vector<band>;

band_set default_bands();  // 0.1, 0.25, 0.5, 1, 2, 5, 10
// "0.5,2" -> bands; rejects empty items, non-numbers, values outside (0, 100), duplicates.
core::result<band_set> parse_bands(std::string_view csv);

// Key-space edge (see book/l2_book.hpp): a level with key >= the returned value is inside the
// band. `mid2` = best bid + best ask in price ticks (0 < mid2 <= 2 · INT64_MAX). An ask edge
// beyond the largest int64 price saturates there (key −INT64_MAX): every ask is then inside,
// which is exact, since no level can be priced above it; it never wraps.
std::int64_t edge_key(core::side s, core::int128 mid2, const band& b) noexcept;

}  // namespace depthmon::depth
