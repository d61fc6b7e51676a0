// core/ids.hpp — identifiers shared by every layer: venues, sides.
//
// The venue list below is the one registration a venue needs outside its folder: one line gives
// the core::venue id, its external name (DESIGN.md: `depthmon replay --venue`, config `name`,
// metrics labels) and its folder under lib/venues/. From it come the enum, the names, the venue
// table of venues/registry.cpp (which links each id to the folder's `entry_of<id>()`, so a
// listed venue without one fails to link) and the CMake source lists (lib/venues/CMakeLists.txt
// reads this file; a listed folder without sources.cmake fails to configure).
//
// Threads: immutable values. Errors: lookups by name return std::optional.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace depthmon::core {

enum class side : std::uint8_t { bid = 0, ask = 1 };

constexpr std::string_view to_string(side s) noexcept { return s == side::bid ? "bid" : "ask"; }
constexpr side opposite(side s) noexcept { return s == side::bid ? side::ask : side::bid; }

// Entries are X(id, external name in quotes, folder); CMake parses them, keep them simple.
#define DEPTHMON_VENUE_LIST(X)                    \
  X(binance, "binance", binance)                  \
  X(binance_usdm, "binance-usdm", binance)        \
  X(coinbase, "coinbase", coinbase)               \
  X(coinbase_exchange, "coinbase-exchange", coinbase) \
  X(kraken, "kraken", kraken)                     \
  X(kraken_v1, "kraken-v1", kraken)               \
  X(okx, "okx", okx)                              \
  X(bybit, "bybit", bybit)                        \
  X(hyperliquid, "hyperliquid", hyperliquid)      \
  X(bitstamp, "bitstamp", bitstamp)

// coinbase = Advanced Trade level2; coinbase_exchange = the legacy Exchange feed
// (level2_batch); kraken = WebSocket v2; kraken_v1 = the legacy v1 API.
enum class venue : std::uint8_t {
#define DEPTHMON_VENUE_ENUM(id, name, folder) id,
  DEPTHMON_VENUE_LIST(DEPTHMON_VENUE_ENUM)
#undef DEPTHMON_VENUE_ENUM
};

inline constexpr std::array all_venues{
#define DEPTHMON_VENUE_ID(id, name, folder) venue::id,
    DEPTHMON_VENUE_LIST(DEPTHMON_VENUE_ID)
#undef DEPTHMON_VENUE_ID
};

constexpr std::string_view to_string(venue v) noexcept {
  switch (v) {
#define DEPTHMON_VENUE_NAME(id, name, folder) \
  case venue::id: return name;
    DEPTHMON_VENUE_LIST(DEPTHMON_VENUE_NAME)
#undef DEPTHMON_VENUE_NAME
  }
  return "?";
}

constexpr std::optional<venue> venue_from_string(std::string_view name) noexcept {
  for (venue v : all_venues)
    if (to_string(v) == name) return v;
  return std::nullopt;
}

}  // namespace depthmon::core
