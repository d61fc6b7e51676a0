// venues/bybit/spec.hpp — the Bybit v5 public connection contract (docs/protocols.md §5).
//
//   ws    wss://stream.bybit.com + /v5/public/{spot|linear|inverse|option} (by `category`)
//   rest  https://api.bybit.com (books start from the WS snapshot; nothing to discover)
//   subscribe {"req_id":"1","op":"subscribe","args":["orderbook.1000.BTCUSDT",...]}: spot
//         takes at most 10 args per request (other categories: batches of 50); unsubscribe
//         likewise with op "unsubscribe"
//   keep-alive: {"req_id":"ping","op":"ping"} every 20 s (Bybit's recommendation; it cuts a
//         connection after 10 minutes without ping or data)
//   limits: 500 connection attempts per 5 minutes per host; options at most 2000 args per
//         connection
//
// Threads: immutable. Errors: none after construction (settings validated by make_spec).
#pragma once

#include "venues/bybit/settings.hpp"
#include "venues/spec.hpp"

namespace depthmon::venues::bybit {

inline constexpr std::string_view default_ws_url = "wss://stream.bybit.com";
inline constexpr std::string_view default_rest_url = "https://api.bybit.com";

// "orderbook.{depth}.{SYMBOL}" (symbols pass through unchanged, as Bybit names them).
std::string orderbook_topic(std::uint32_t depth, std::string_view symbol);
std::string_view category_name(category c) noexcept;

class spec final : public venue_spec {
 public:
  spec(endpoints e, settings s) : venue_spec(std::move(e)), settings_(s) {}

  core::venue venue() const noexcept override { return core::venue::bybit; }
  std::vector<std::string> subscribe(std::span<const std::string> symbols) const override;
  std::vector<std::string> unsubscribe(std::span<const std::string> symbols) const override;
  keep_alive keepalive() const override;
  venue_limits limits() const override;
  core::result<instrument_info> instrument_of(
      std::string_view symbol, const std::map<std::string, std::string>& settings) const override;

 protected:
  std::string ws_path() const override;

 private:
  std::vector<std::string> op_messages(std::string_view op,
                                       std::span<const std::string> symbols) const;
  settings settings_;
};

}  // namespace depthmon::venues::bybit
