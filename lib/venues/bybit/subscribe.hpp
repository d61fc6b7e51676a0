// venues/bybit/subscribe.hpp — what to send Bybit: subscriptions and the application ping.
//
// Pure builders. Topics are "orderbook.{depth}.{SYMBOL}" (symbols uppercase, as Bybit names
// them; passed through unchanged). Spot accepts at most 10 args per subscribe request, so
// subscribe_messages() splits the topics into batches of `max_args_per_request(category)`.
//
// Threads: pure functions. Errors: none.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "venues/bybit/messages.hpp"

namespace depthmon::venues::bybit {

std::string orderbook_topic(std::uint32_t depth, std::string_view symbol);

// {"req_id":"<req_id>","op":"subscribe","args":["orderbook.50.BTCUSDT",...]}
std::string subscribe_message(std::span<const std::string> topics, std::string_view req_id);
// {"req_id":"<req_id>","op":"unsubscribe","args":[...]}
std::string unsubscribe_message(std::span<const std::string> topics, std::string_view req_id);
// {"req_id":"<req_id>","op":"ping"} — send every 20 s; Bybit cuts idle connections at 10 min.
std::string ping_message(std::string_view req_id);

// 10 for spot (Bybit's limit); other categories have no per-request limit, 50 keeps frames small.
std::size_t max_args_per_request(category c) noexcept;

// One subscribe request per batch of topics, req_ids "1", "2", ...
std::vector<std::string> subscribe_messages(category c, std::span<const std::string> topics);

}  // namespace depthmon::venues::bybit
