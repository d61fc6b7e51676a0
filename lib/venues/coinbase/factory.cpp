#include "venues/coinbase/factory.hpp"

#include "venues/coinbase/advanced_trade_sync.hpp"
#include "venues/coinbase/exchange_sync.hpp"

namespace depthmon::venues::coinbase {

core::result<std::unique_ptr<venue_protocol>> make_advanced_trade(const protocol_options& opt) {
  if (auto st = advanced_trade_protocol::check_options(opt); !st) return st.err();
  return std::unique_ptr<venue_protocol>(std::make_unique<advanced_trade_protocol>(opt));
}

core::result<std::unique_ptr<venue_protocol>> make_exchange(const protocol_options& opt) {
  if (auto st = exchange_protocol::check_options(opt); !st) return st.err();
  return std::unique_ptr<venue_protocol>(std::make_unique<exchange_protocol>(opt));
}

}  // namespace depthmon::venues::coinbase
