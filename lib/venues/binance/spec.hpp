// venues/binance/spec.hpp — the Binance connection contracts, spot and USD-M
// (docs/protocols.md §1).
//
//   spot  ws wss://stream.binance.com:9443, rest https://api.binance.com
//   USD-M ws wss://fstream.binance.com/public (the routed base for depth and bookTicker since
//         2026-03-06), rest https://fapi.binance.com
//   connect: the combined-stream URL base + "/stream?streams=<sym>@depth@100ms/<sym>@bookTicker/..."
//         subscribes every symbol (binance/subscribe.hpp builds it); frames added later:
//         {"method":"SUBSCRIBE","params":[...],"id":n} / "UNSUBSCRIBE", 100 symbols per frame
//   keep-alive: the server pings (spot every 20 s, a pong due within 1 minute; USD-M every
//         3 minutes, within 10); no client payload
//   snapshot: GET /api/v3/depth?symbol=BTCUSDT&limit=N (spot, default 5000; weight 5 / 25 / 50 /
//         250 up to 100 / 500 / 1000 / 5000 levels) or /fapi/v1/depth (USD-M, default 1000;
//         weights 2 / 5 / 10 / 20 up to 50 / 100 / 500 / 1000, from a third-party copy of the
//         docs: UNCONFIRMED)
//   limits: 1024 streams per connection (USD-M: 200, the safe side of a documented conflict);
//         5 (USD-M 10) incoming messages per second per connection; 300 connection attempts per
//         5 minutes per IP (spot)
//
// Threads: immutable. Errors: none.
#pragma once

#include "venues/binance/messages.hpp"
#include "venues/spec.hpp"

namespace depthmon::venues::binance {

class spec final : public venue_spec {
 public:
  spec(market m, endpoints e) : venue_spec(std::move(e)), market_(m) {}

  core::venue venue() const noexcept override {
    return market_ == market::spot ? core::venue::binance : core::venue::binance_usdm;
  }
  connection_plan connect(std::span<const std::string> symbols) const override;
  std::vector<std::string> subscribe(std::span<const std::string> symbols) const override;
  std::vector<std::string> unsubscribe(std::span<const std::string> symbols) const override;
  keep_alive keepalive() const override;
  std::optional<http_request> snapshot_request(std::string_view symbol,
                                               std::uint32_t depth) const override;
  venue_limits limits() const override;
  core::result<instrument_info> instrument_of(
      std::string_view symbol, const std::map<std::string, std::string>& settings) const override;

 private:
  market market_;
};

}  // namespace depthmon::venues::binance
