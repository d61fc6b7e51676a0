// venues/coinbase/factory.hpp — creates the two Coinbase protocols for venues/registry.cpp.
//
// Threads: called at startup. Errors: invalid_argument (with a detail naming the problem) on
// options the venue cannot honour; Coinbase venues accept symbols and no settings.
#pragma once

#include <memory>

#include "core/result.hpp"
#include "venues/protocol.hpp"

namespace depthmon::venues::coinbase {

// "coinbase": Advanced Trade level2 (venues/coinbase/advanced_trade_sync.hpp).
core::result<std::unique_ptr<venue_protocol>> make_advanced_trade(const protocol_options& opt);
// "coinbase-exchange": legacy Exchange level2_batch (venues/coinbase/exchange_sync.hpp).
core::result<std::unique_ptr<venue_protocol>> make_exchange(const protocol_options& opt);

}  // namespace depthmon::venues::coinbase
