// baseline/markets.hpp — the one table from data vendors' market names to depthmon's: Tardis.dev
// exchange ids with their symbols, and Coin Metrics market ids (exchange-base-quote-spot), each
// to a depthmon venue (as `depthmon replay --venue` names it) and the venue-native symbol the
// daemon's config and baseline file use (BTCUSDT, BTC-USD, BTC/USD, btcusd, BTC).
//
// Threads: pure functions over a constant table. Errors: std::nullopt plus the reason in `why`
// (unknown exchange, a symbol that does not split into base and quote, a non-spot market).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/ids.hpp"

namespace depthmon::baseline {

struct market {
  core::venue venue = core::venue::binance;
  std::string symbol;       // venue-native
  std::string base, quote;  // upper case: "BTC", "USDT"
  // The vendor's amounts are contracts (Tardis okex-swap): the builder needs the contract value.
  bool amounts_in_contracts = false;
};

// Tardis exchange ids: binance, binance-futures, coinbase, kraken, okex, okex-swap, bybit
// (linear), bybit-spot, bitstamp, hyperliquid. Symbols as Tardis writes them (upper case,
// the exchange's own separators; Kraken's XBT/XDG become BTC/DOGE as its v2 API names them).
std::optional<market> tardis_market(std::string_view exchange, std::string_view symbol,
                                    std::string& why);

// Coin Metrics spot market ids: binance-btc-usdt-spot, coinbase-btc-usd-spot, kraken-, okex-,
// bybit-, bitstamp- (Hyperliquid spot pairs are not the perpetuals the daemon follows).
std::optional<market> coinmetrics_market(std::string_view market_id, std::string& why);

}  // namespace depthmon::baseline
