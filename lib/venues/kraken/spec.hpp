// venues/kraken/spec.hpp — the Kraken spot websocket connection contracts, v2 and v1
// (docs/protocols.md §3).
//
//   ws    v2 wss://ws.kraken.com/v2, v1 wss://ws.kraken.com; rest https://api.kraken.com (not
//         needed: books start from the WS snapshot, precisions come from settings, the v2
//         instrument channel or v1's fixed-precision strings)
//   connect (v2): {"method":"subscribe","params":{"channel":"instrument","snapshot":true},
//         "req_id":100} first when a pair has no precision.<SYMBOL> setting, so its precisions
//         arrive before the books; then the book subscriptions
//   subscribe v2 {"method":"subscribe","params":{"channel":"book","symbol":[...],"depth":N,
//         "snapshot":true},"req_id":n}; v1 {"event":"subscribe","pair":[...],
//         "subscription":{"name":"book","depth":N}}; 100 pairs per frame; unsubscribe likewise
//   keep-alive: v2 {"method":"ping"}, v1 {"event":"ping"} every 30 s (Kraken closes a
//         connection after about a minute without client traffic)
//   limits: about 150 connection attempts per rolling 10 minutes per IP (Cloudflare); the
//         subscription message rate is undocumented
//
// Threads: immutable. Errors: none after construction (settings validated by make_spec).
#pragma once

#include "venues/kraken/messages.hpp"
#include "venues/kraken/settings.hpp"
#include "venues/spec.hpp"

namespace depthmon::venues::kraken {

inline constexpr std::string_view v2_public_url = "wss://ws.kraken.com/v2";
inline constexpr std::string_view v1_public_url = "wss://ws.kraken.com";
inline constexpr std::string_view rest_url = "https://api.kraken.com";

class spec final : public venue_spec {
 public:
  spec(api a, endpoints e, settings s) : venue_spec(std::move(e)), api_(a), settings_(std::move(s)) {}

  core::venue venue() const noexcept override {
    return api_ == api::v2 ? core::venue::kraken : core::venue::kraken_v1;
  }
  connection_plan connect(std::span<const std::string> symbols) const override;
  std::vector<std::string> subscribe(std::span<const std::string> symbols) const override;
  std::vector<std::string> unsubscribe(std::span<const std::string> symbols) const override;
  keep_alive keepalive() const override;
  venue_limits limits() const override;
  core::result<instrument_info> instrument_of(
      std::string_view symbol, const std::map<std::string, std::string>& settings) const override;

 private:
  std::vector<std::string> book_messages(bool subscribe, std::span<const std::string> symbols) const;
  api api_;
  settings settings_;
};

}  // namespace depthmon::venues::kraken
