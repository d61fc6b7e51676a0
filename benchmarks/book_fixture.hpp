// A deep synthetic book for micro-benchmarks: `levels` per side, one level every `spacing`
// ticks around a mid of 100 000 ticks, so the default bands (0.1 % .. 10 %) cover from a few
// to a few thousand levels.
#pragma once

#include "book/l2_book.hpp"

namespace depthmon::bench {

inline constexpr std::int64_t k_mid = 100'000;
inline constexpr std::int64_t k_spacing = 4;

inline void fill(book::l2_book& b, int levels) {
  b.begin_bulk();
  for (int i = 0; i < levels; ++i) {
    b.set_ticks(core::side::bid, k_mid - 2 - i * k_spacing, 100 + i % 17);
    b.set_ticks(core::side::ask, k_mid + 2 + i * k_spacing, 100 + i % 13);
  }
  b.end_bulk();
}

}  // namespace depthmon::bench
