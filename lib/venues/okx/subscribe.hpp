// venues/okx/subscribe.hpp — what to send OKX: subscribe/unsubscribe requests and keep-alive.
//
// Pure builders. {"id":"1","op":"subscribe","args":[{"channel":"books","instId":"BTC-USDT"}]};
// `id` is OKX's optional request id (alphanumeric, up to 32 chars) echoed in the ack/error.
// Keep-alive: OKX drops a connection after 30 s without traffic; the connection owner sends the
// text frame `ping` when nothing has arrived for keepalive_idle_ms and expects `pong` back
// (reconnecting if it does not come).
//
// Threads: pure functions. Errors: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "venues/okx/channel.hpp"

namespace depthmon::venues::okx {

inline constexpr std::string_view ping_frame = "ping";
inline constexpr std::string_view pong_frame = "pong";
inline constexpr std::uint32_t keepalive_idle_ms = 25'000;  // < OKX's 30 s idle limit

// Instruments per request: OKX caps one request's args at 64 KB; 100 args stay far below, and
// fewer requests matter more (480 subscribe/unsubscribe per hour per connection).
inline constexpr std::size_t max_args_per_request = 100;

std::string subscribe_message(channel c, std::span<const std::string> inst_ids,
                              std::string_view id);
std::string unsubscribe_message(channel c, std::span<const std::string> inst_ids,
                                std::string_view id);

}  // namespace depthmon::venues::okx
