// venues/kraken/settings.hpp — the Kraken venues' protocol_options::settings, validated.
//
//   depth=N                        book depth to subscribe and truncate to: 10, 25, 100, 500 or
//                                  1000 (default 10). Without it, a book's depth is fixed by
//                                  the first depth the venue shows for it (the v2 subscription
//                                  ack's "depth", v1's "book-N" channel name).
//   precision.<SYMBOL>=<P>:<Q>     the pair's price_precision and qty_precision (0..18) for the
//                                  checksum, e.g. precision.MATIC/USD=4:8. Wins over what the
//                                  v2 instrument channel says.
//
// Threads: pure function. Errors: invalid_argument with a detail naming the setting and the
// values it accepts.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/ids.hpp"
#include "core/result.hpp"

namespace depthmon::venues::kraken {

struct pair_precisions {
  unsigned price = 0;
  unsigned qty = 0;
  friend bool operator==(const pair_precisions&, const pair_precisions&) = default;
};

struct settings {
  std::uint32_t depth = 10;
  bool depth_given = false;
  std::map<std::string, pair_precisions, std::less<>> precisions;
};

// `v`: kraken or kraken_v1 (named in errors).
core::result<settings> parse_settings(core::venue v, const std::map<std::string, std::string>& kv);

}  // namespace depthmon::venues::kraken
