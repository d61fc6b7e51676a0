#include "sim/encoders/common.hpp"
namespace depthmon::sim::enc {
std::unique_ptr<venue_encoder> make_okx() { return nullptr; }
std::unique_ptr<venue_encoder> make_bybit() { return nullptr; }
std::unique_ptr<venue_encoder> make_hyperliquid() { return nullptr; }
std::unique_ptr<venue_encoder> make_bitstamp() { return nullptr; }
}
