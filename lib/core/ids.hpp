// core/ids.hpp — identifiers shared by every layer: venues, sides.
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

// Venue names are the external contract of DESIGN.md (`depthmon replay --venue`, metrics labels).
enum class venue : std::uint8_t {
  binance,
  binance_usdm,
  coinbase,           // Advanced Trade level2
  coinbase_exchange,  // legacy Exchange feed, level2_batch
  kraken,             // WebSocket v2
  kraken_v1,
  okx,
  bybit,
  hyperliquid,
  bitstamp,
};

inline constexpr std::array<venue, 10> all_venues{
    venue::binance, venue::binance_usdm, venue::coinbase, venue::coinbase_exchange,
    venue::kraken,  venue::kraken_v1,    venue::okx,      venue::bybit,
    venue::hyperliquid, venue::bitstamp};

constexpr std::string_view to_string(venue v) noexcept {
  switch (v) {
    case venue::binance: return "binance";
    case venue::binance_usdm: return "binance-usdm";
    case venue::coinbase: return "coinbase";
    case venue::coinbase_exchange: return "coinbase-exchange";
    case venue::kraken: return "kraken";
    case venue::kraken_v1: return "kraken-v1";
    case venue::okx: return "okx";
    case venue::bybit: return "bybit";
    case venue::hyperliquid: return "hyperliquid";
    case venue::bitstamp: return "bitstamp";
  }
  return "?";
}

constexpr std::optional<venue> venue_from_string(std::string_view name) noexcept {
  for (venue v : all_venues)
    if (to_string(v) == name) return v;
  return std::nullopt;
}

}  // namespace depthmon::core
