// venues/hyperliquid/spec.hpp — the Hyperliquid websocket connection contract
// (docs/protocols.md §6).
//
//   ws    wss://api.hyperliquid.xyz/ws; rest https://api.hyperliquid.xyz (not needed: every
//         l2Book message is the whole book, and no setting needs discovery)
//   subscribe {"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC"[,"nSigFigs":4]
//         [,"mantissa":2][,"fast":true]}}, one message per coin; unsubscribe likewise
//   keep-alive: {"method":"ping"} every 30 s (the server closes connections quiet for 60 s),
//         answered by {"channel":"pong"}
//   limits (per IP): 10 connections, 30 new connections per minute, 1000 subscriptions,
//         2000 messages sent per minute
//
// Threads: immutable. Errors: none after construction (settings validated by make_spec).
#pragma once

#include "venues/hyperliquid/settings.hpp"
#include "venues/spec.hpp"

namespace depthmon::venues::hyperliquid {

inline constexpr std::string_view default_ws_url = "wss://api.hyperliquid.xyz/ws";
inline constexpr std::string_view default_rest_url = "https://api.hyperliquid.xyz";

class spec final : public venue_spec {
 public:
  spec(endpoints e, settings s) : venue_spec(std::move(e)), settings_(s) {}

  core::venue venue() const noexcept override { return core::venue::hyperliquid; }
  std::vector<std::string> subscribe(std::span<const std::string> symbols) const override;
  std::vector<std::string> unsubscribe(std::span<const std::string> symbols) const override;
  keep_alive keepalive() const override;
  venue_limits limits() const override;
  core::result<instrument_info> instrument_of(
      std::string_view symbol, const std::map<std::string, std::string>& settings) const override;

 private:
  std::vector<std::string> method_messages(std::string_view method,
                                           std::span<const std::string> coins) const;
  settings settings_;
};

}  // namespace depthmon::venues::hyperliquid
