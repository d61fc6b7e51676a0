// The one place that knows every venue: maps core::venue to its protocol implementation.
#include "venues/binance/sync.hpp"
#include "venues/bitstamp/sync.hpp"
#include "venues/bybit/sync.hpp"
#include "venues/hyperliquid/sync.hpp"
#include "venues/kraken/sync.hpp"
#include "venues/coinbase/factory.hpp"
#include "venues/okx/sync.hpp"
#include "venues/protocol.hpp"

namespace depthmon::venues {

bool uses_rest_snapshot(core::venue v) noexcept {
  switch (v) {
    case core::venue::binance:
    case core::venue::binance_usdm:
    case core::venue::bitstamp:
      return true;
    default:
      return false;
  }
}

core::result<std::unique_ptr<venue_protocol>> make_protocol(core::venue v,
                                                            const protocol_options& opt) {
  switch (v) {
    case core::venue::binance:
      return std::unique_ptr<venue_protocol>(
          std::make_unique<binance::protocol>(binance::market::spot, opt));
    case core::venue::binance_usdm:
      return std::unique_ptr<venue_protocol>(
          std::make_unique<binance::protocol>(binance::market::usdm, opt));
    case core::venue::okx:
      return okx::make_protocol(opt);
    case core::venue::coinbase:
      return coinbase::make_advanced_trade(opt);
    case core::venue::coinbase_exchange:
      return coinbase::make_exchange(opt);
    case core::venue::bybit:
      return bybit::create_protocol(opt);
    case core::venue::hyperliquid:
      return hyperliquid::create_protocol(opt);
    case core::venue::bitstamp:
      return bitstamp::create_protocol(opt);
    case core::venue::kraken:
      return kraken::create(kraken::api::v2, opt);
    case core::venue::kraken_v1:
      return kraken::create(kraken::api::v1, opt);
  }
  return {core::errc::invalid_argument, "unknown venue"};
}

}  // namespace depthmon::venues
