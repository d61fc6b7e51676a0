// venues/okx/spec.hpp — the OKX v5 public connection contract (docs/protocols.md §4).
//
//   ws    wss://ws.okx.com:8443/ws/v5/public (the documented URL is the base)
//   rest  https://www.okx.com: metadata only (GET /api/v5/public/instruments for a derivative's
//         ctVal when no ctval.<instId> setting gives it); books start from the WS snapshot
//   subscribe {"id":"s1","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"},..]}
//         (100 instruments per request, far below the 64 KB args cap), unsubscribe likewise
//   keep-alive: the text frame "ping" after 25 s without incoming traffic (OKX drops a
//         connection after 30 s; keep_alive::after_receive_idle), answered by "pong"
//   limits: 3 connection attempts/s per IP; 480 subscribe/unsubscribe requests per hour per
//         connection; fewer than 30 order-book channels per connection (OKX's recommendation)
//
// Threads: immutable. Errors: none after construction (settings validated by make_spec).
#pragma once

#include "venues/okx/settings.hpp"
#include "venues/spec.hpp"

namespace depthmon::venues::okx {

inline constexpr std::string_view ping_frame = "ping";
inline constexpr std::string_view pong_frame = "pong";
inline constexpr std::uint32_t keepalive_idle_ms = 25'000;  // < OKX's 30 s idle limit
inline constexpr std::size_t max_args_per_request = 100;

inline constexpr std::string_view default_ws_url = "wss://ws.okx.com:8443/ws/v5/public";
inline constexpr std::string_view default_rest_url = "https://www.okx.com";

class spec final : public venue_spec {
 public:
  spec(endpoints e, settings s) : venue_spec(std::move(e)), settings_(std::move(s)) {}

  core::venue venue() const noexcept override { return core::venue::okx; }
  std::vector<std::string> subscribe(std::span<const std::string> symbols) const override;
  std::vector<std::string> unsubscribe(std::span<const std::string> symbols) const override;
  keep_alive keepalive() const override;
  std::optional<http_request> metadata_request(std::string_view symbol) const override;
  // The instrument's ctVal becomes ctval.<instId> (settings.hpp) unless a setting gives it.
  core::status apply_metadata(std::string_view symbol, std::string_view body,
                              std::map<std::string, std::string>& settings) const override;
  venue_limits limits() const override;
  core::result<instrument_info> instrument_of(
      std::string_view symbol, const std::map<std::string, std::string>& settings) const override;

 private:
  settings settings_;
};

}  // namespace depthmon::venues::okx
