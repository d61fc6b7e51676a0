// The one place that knows every venue: maps core::venue to its protocol implementation.
#include "venues/binance/sync.hpp"
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
    default:
      return {core::errc::invalid_argument, "venue not implemented yet"};
  }
}

}  // namespace depthmon::venues
