// venues/bitstamp/spec.hpp — the Bitstamp websocket v2 + REST connection contract
// (docs/protocols.md §7).
//
//   ws    wss://ws.bitstamp.net
//   rest  https://www.bitstamp.net: GET /api/v2/order_book/{pair} is the snapshot (the whole
//         book: no depth parameter)
//   subscribe {"event":"bts:subscribe","data":{"channel":"diff_order_book_btcusd"}}, one per
//         pair; unsubscribe with "bts:unsubscribe"
//   keep-alive: {"event":"bts:heartbeat"} every 30 s (the server answers with a bts:heartbeat
//         event; interval and idle limit UNCONFIRMED)
//   limits: none documented in the stored material (0 = unknown); a snapshot is one request
//
// Threads: immutable. Errors: none.
#pragma once

#include "venues/spec.hpp"

namespace depthmon::venues::bitstamp {

inline constexpr std::string_view default_ws_url = "wss://ws.bitstamp.net";
inline constexpr std::string_view default_rest_url = "https://www.bitstamp.net";

// "diff_order_book_btcusd"
std::string diff_channel(std::string_view pair);

class spec final : public venue_spec {
 public:
  using venue_spec::venue_spec;

  core::venue venue() const noexcept override { return core::venue::bitstamp; }
  std::vector<std::string> subscribe(std::span<const std::string> symbols) const override;
  std::vector<std::string> unsubscribe(std::span<const std::string> symbols) const override;
  keep_alive keepalive() const override;
  std::optional<http_request> snapshot_request(std::string_view symbol,
                                               std::uint32_t depth) const override;
  venue_limits limits() const override;
  core::result<instrument_info> instrument_of(
      std::string_view symbol, const std::map<std::string, std::string>& settings) const override;
};

}  // namespace depthmon::venues::bitstamp
