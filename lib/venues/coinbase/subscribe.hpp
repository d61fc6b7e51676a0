// venues/coinbase/subscribe.hpp — what to send Coinbase: subscribe/unsubscribe text frames for
// Advanced Trade (one channel per message) and the legacy Exchange feed.
//
//   AT:       {"type":"subscribe","product_ids":["BTC-USD",..],"channel":"level2"}
//             {"type":"subscribe","channel":"heartbeats"}
//   Exchange: {"type":"subscribe","product_ids":["BTC-USD",..],"channels":["level2_batch","heartbeat"]}
//
// Threads: pure builders. Errors: none (product ids are JSON-escaped).
#pragma once

#include <span>
#include <string>

namespace depthmon::venues::coinbase {

// Advanced Trade `level2` for `products` ({"type":"unsubscribe",...} with subscribe = false).
std::string advanced_trade_level2(std::span<const std::string> products, bool subscribe);
// Advanced Trade `heartbeats` (keeps the connection's channels open when a book is quiet).
std::string advanced_trade_heartbeats(bool subscribe);
// Exchange `level2_batch` + `heartbeat` for `products`.
std::string exchange_level2_batch(std::span<const std::string> products, bool subscribe);

}  // namespace depthmon::venues::coinbase
