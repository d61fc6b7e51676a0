// venues/coinbase/spec.hpp — the connection contracts of both Coinbase feeds
// (docs/protocols.md §2).
//
// "coinbase" (Advanced Trade):
//   ws    wss://advanced-trade-ws.coinbase.com; rest https://api.coinbase.com (not needed: books
//         start from the WS snapshot)
//   connect: {"type":"subscribe","product_ids":[...],"channel":"level2"}, then
//         {"type":"subscribe","channel":"heartbeats"} (one channel per subscribe message; the
//         heartbeats channel keeps quiet books' channels open, so no client ping is needed)
//   limits (per IP): 8 connections per second, 8 unauthenticated messages per second
// "coinbase-exchange" (legacy Exchange feed):
//   ws    wss://ws-feed.exchange.coinbase.com; rest https://api.exchange.coinbase.com
//   subscribe {"type":"subscribe","product_ids":[...],"channels":["level2_batch","heartbeat"]}
//   limits: none in the stored documentation (0 = unknown)
//
// Threads: immutable. Errors: none.
#pragma once

#include "venues/spec.hpp"

namespace depthmon::venues::coinbase {

inline constexpr std::string_view at_ws_url = "wss://advanced-trade-ws.coinbase.com";
inline constexpr std::string_view at_rest_url = "https://api.coinbase.com";
inline constexpr std::string_view exchange_ws_url = "wss://ws-feed.exchange.coinbase.com";
inline constexpr std::string_view exchange_rest_url = "https://api.exchange.coinbase.com";

class advanced_trade_spec final : public venue_spec {
 public:
  using venue_spec::venue_spec;

  core::venue venue() const noexcept override { return core::venue::coinbase; }
  connection_plan connect(std::span<const std::string> symbols) const override;
  std::vector<std::string> subscribe(std::span<const std::string> symbols) const override;
  std::vector<std::string> unsubscribe(std::span<const std::string> symbols) const override;
  keep_alive keepalive() const override;
  venue_limits limits() const override;
  core::result<instrument_info> instrument_of(
      std::string_view symbol, const std::map<std::string, std::string>& settings) const override;
};

class exchange_spec final : public venue_spec {
 public:
  using venue_spec::venue_spec;

  core::venue venue() const noexcept override { return core::venue::coinbase_exchange; }
  std::vector<std::string> subscribe(std::span<const std::string> symbols) const override;
  std::vector<std::string> unsubscribe(std::span<const std::string> symbols) const override;
  keep_alive keepalive() const override;
  venue_limits limits() const override;
  core::result<instrument_info> instrument_of(
      std::string_view symbol, const std::map<std::string, std::string>& settings) const override;
};

}  // namespace depthmon::venues::coinbase
