// venues/binance/subscribe.hpp — what to send Binance and where to fetch snapshots.
//
// Pure builders. Stream names use lowercase symbols; REST uses the venue's uppercase symbol.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "venues/binance/messages.hpp"

namespace depthmon::venues::binance {

// {"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@bookTicker",...],"id":id}
std::string subscribe_message(std::span<const std::string> symbols, std::uint64_t id);
std::string unsubscribe_message(std::span<const std::string> symbols, std::uint64_t id);
// "/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker/..." for the combined endpoint.
std::string combined_stream_path(std::span<const std::string> symbols);
// REST snapshot target: "/api/v3/depth?symbol=BTCUSDT&limit=5000" (spot) or
// "/fapi/v1/depth?symbol=BTCUSDT&limit=1000" (USD-M).
std::string snapshot_target(market m, std::string_view symbol, std::uint32_t limit);

}  // namespace depthmon::venues::binance
