// venues/hyperliquid/subscribe.hpp — what to send Hyperliquid: l2Book subscriptions and ping.
//
// Pure builders. Coins are passed through as Hyperliquid names them ("BTC", "@107",
// "PURR/USDC"). Optional fields are omitted when unset (= full precision, 20 levels).
//
// Threads: pure functions. Errors: none (values are validated by settings.hpp).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace depthmon::venues::hyperliquid {

struct l2book_params {
  std::optional<int> n_sig_figs;  // 2..5; nullopt = omitted (full precision)
  std::optional<int> mantissa;    // 1, 2, 5 (only with n_sig_figs 5)
  bool fast = false;              // adds "fast":true
};

// {"method":"subscribe","subscription":{"type":"l2Book","coin":"BTC","nSigFigs":4}}
std::string subscribe_message(std::string_view coin, const l2book_params& p = {});
// {"method":"unsubscribe","subscription":{...same subscription...}}
std::string unsubscribe_message(std::string_view coin, const l2book_params& p = {});
// {"method":"ping"} — the server closes connections it has sent nothing to for 60 s.
std::string ping_message();

}  // namespace depthmon::venues::hyperliquid
