// venues/kraken/subscribe.hpp — what to send Kraken (v2 and v1): subscriptions and pings.
//
//   v2: {"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10,
//        "snapshot":true},"req_id":1}
//       {"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10},
//        "req_id":2}
//       {"method":"subscribe","params":{"channel":"instrument","snapshot":true},"req_id":3}
//       {"method":"ping","req_id":4}
//   v1: {"event":"subscribe","pair":["XBT/USD"],"subscription":{"name":"book","depth":1000}}
//       {"event":"unsubscribe","pair":["XBT/USD"],"subscription":{"name":"book","depth":1000}}
//       {"event":"ping","reqid":4}
// Kraken closes a connection after about a minute without traffic from the client; a ping keeps
// it open (docs/protocols.md §3.1).
//
// Threads: pure builders. Errors: none (symbols are JSON-escaped).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace depthmon::venues::kraken {

inline constexpr std::string_view v2_public_url = "wss://ws.kraken.com/v2";
inline constexpr std::string_view v1_public_url = "wss://ws.kraken.com";

std::string v2_book_subscribe(std::span<const std::string> symbols, std::uint32_t depth,
                              std::uint64_t req_id);
std::string v2_book_unsubscribe(std::span<const std::string> symbols, std::uint32_t depth,
                                std::uint64_t req_id);
std::string v2_instrument_subscribe(std::uint64_t req_id);
std::string v2_ping(std::uint64_t req_id);

std::string v1_book_subscribe(std::span<const std::string> pairs, std::uint32_t depth);
std::string v1_book_unsubscribe(std::span<const std::string> pairs, std::uint32_t depth);
std::string v1_ping(std::uint64_t req_id);

}  // namespace depthmon::venues::kraken
