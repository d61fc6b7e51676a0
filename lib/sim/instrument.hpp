// sim/instrument.hpp — what the simulator needs to know about one (venue, symbol) book: its
// exact price and size grid and the shape of its synthetic market.
//
// Prices are int64 ticks at `price_scale` decimals (a price is a multiple of `tick`), sizes
// int64 at `qty_scale` decimals (a multiple of `lot`), as on the venue. `major` books (BTC-,
// ETH-, SOL-like) are thousands of levels deep; altcoin books tens to hundreds.
//
// Threads: plain values. Errors: default_instruments never fails (it cycles its catalogue).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/ids.hpp"

namespace depthmon::sim {

struct instrument {
  std::string symbol;        // venue-native: BTCUSDT, BTC-USD, BTC/USD, btcusd, BTC ...
  std::string base;          // BTC
  bool major = true;
  unsigned price_scale = 2;  // decimals of the price grid
  std::int64_t tick = 1;     // price increment in price ticks
  unsigned qty_scale = 5;
  std::int64_t lot = 1;      // size increment in qty ticks
  std::int64_t mid = 0;      // starting mid, price ticks
  std::uint32_t levels = 2000;   // levels per side kept by the model
  double span_pct = 5.0;         // levels reach about this far from mid
  std::int64_t touch_qty = 0;    // typical size at the touch, qty ticks
  double rate = 10.0;            // steps (venue messages) per second before scenario factors
  double vol_bps = 0.3;          // random-walk step of the mid, basis points
};

// A catalogue of `n` instruments for `v`, majors first (BTC, ETH, SOL), then altcoins, with
// the venue's symbol spelling and a grid like that venue's. `levels_scale` multiplies every
// book's depth (1 = BTC ~3000 levels per side, altcoins 30-300); `rate` > 0 overrides it.
std::vector<instrument> default_instruments(core::venue v, std::size_t n, double levels_scale = 1.0,
                                            double rate = 0.0);

}  // namespace depthmon::sim
