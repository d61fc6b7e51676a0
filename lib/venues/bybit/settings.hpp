// venues/bybit/settings.hpp — Bybit's venue settings (protocol_options.settings), validated.
//
//   category = spot | linear | inverse | option   (default spot; subscribe batching differs)
//   depth    = 1 | 50 | 200 | 1000  (25 | 100 for option): the orderbook.{depth} topic to
//              subscribe and the only depth read. Unset: subscribe 1000 (the depth that reaches
//              ±2 % on majors) and read whatever depth a symbol's first orderbook message has.
//
// Threads: plain values. Errors: invalid_argument with a detail naming the setting.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/result.hpp"
#include "venues/bybit/messages.hpp"

namespace depthmon::venues::bybit {

struct settings {
  category cat = category::spot;
  std::uint32_t depth = 0;  // 0 = not fixed (see above)

  // The depth subscribe builders ask for.
  std::uint32_t subscribe_depth() const noexcept {
    if (depth != 0) return depth;
    return cat == category::option ? 100 : 1000;
  }
};

core::result<settings> parse_settings(const std::map<std::string, std::string>& kv);

}  // namespace depthmon::venues::bybit
