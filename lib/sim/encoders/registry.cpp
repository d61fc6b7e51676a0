// The one place that knows every venue's encoder.
#include "sim/encoders/common.hpp"

namespace depthmon::sim {

std::unique_ptr<venue_encoder> make_encoder(core::venue v) {
  switch (v) {
    case core::venue::binance: return enc::make_binance(false);
    case core::venue::binance_usdm: return enc::make_binance(true);
    case core::venue::coinbase: return enc::make_coinbase_advanced_trade();
    case core::venue::coinbase_exchange: return enc::make_coinbase_exchange();
    case core::venue::kraken: return enc::make_kraken(false);
    case core::venue::kraken_v1: return enc::make_kraken(true);
    case core::venue::okx: return enc::make_okx();
    case core::venue::bybit: return enc::make_bybit();
    case core::venue::hyperliquid: return enc::make_hyperliquid();
    case core::venue::bitstamp: return enc::make_bitstamp();
  }
  return nullptr;
}

}  // namespace depthmon::sim
