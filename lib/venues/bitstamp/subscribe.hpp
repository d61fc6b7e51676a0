// venues/bitstamp/subscribe.hpp — what to send Bitstamp and where to fetch snapshots.
//
// Pure builders. Pairs are lowercase and concatenated as Bitstamp names them ("btcusd").
//
// Threads: pure functions. Errors: none.
#pragma once

#include <string>
#include <string_view>

namespace depthmon::venues::bitstamp {

// "diff_order_book_btcusd"
std::string diff_channel(std::string_view pair);
// {"event":"bts:subscribe","data":{"channel":"diff_order_book_btcusd"}}
std::string subscribe_message(std::string_view pair);
// {"event":"bts:unsubscribe","data":{"channel":"diff_order_book_btcusd"}}
std::string unsubscribe_message(std::string_view pair);
// {"event":"bts:heartbeat"} — the server answers with a bts:heartbeat event.
std::string heartbeat_message();
// REST snapshot target on https://www.bitstamp.net: "/api/v2/order_book/btcusd" (full book).
std::string snapshot_target(std::string_view pair);

}  // namespace depthmon::venues::bitstamp
