#include "sim/instrument.hpp"

#include <cctype>

#include "core/decimal.hpp"

namespace depthmon::sim {
namespace {

struct asset {
  const char* base;
  bool major;
  unsigned price_scale;
  std::int64_t tick;
  unsigned qty_scale;
  std::int64_t lot;
  std::int64_t mid;
  std::uint32_t levels;
  double span_pct;
  std::int64_t touch_qty;
  double vol_bps;
};

// Grids and sizes like the venues' own for these assets (not copied from any one of them).
constexpr asset k_assets[] = {
    {"BTC", true, 2, 1, 5, 1, 10'000'000, 3000, 5.0, 60'000, 0.02},       // 100000.00, 0.6 BTC
    {"ETH", true, 2, 1, 4, 1, 350'000, 2000, 5.0, 80'000, 0.03},          // 3500.00, 8 ETH
    {"SOL", true, 2, 1, 3, 1, 18'000, 800, 6.0, 150'000, 0.05},           // 180.00, 150 SOL
    {"NKN", false, 4, 1, 0, 1, 3529, 150, 12.0, 8'000, 1.0},             // 0.3529
    {"MINA", false, 4, 1, 1, 1, 5512, 80, 15.0, 30'000, 1.0},            // 0.5512, 3000.0
    {"BAND", false, 3, 1, 2, 1, 1250, 40, 20.0, 5'000, 1.0},             // 1.250, 50.00
    {"AKRO", false, 6, 1, 0, 1, 17370, 300, 10.0, 400'000, 1.0},          // 0.01737
    {"SKL", false, 5, 1, 1, 1, 4120,  120, 15.0, 50'000, 1.0},             // 0.0412
};
constexpr std::size_t k_asset_count = sizeof(k_assets) / sizeof(k_assets[0]);

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string symbol_for(core::venue v, std::string base, std::size_t round) {
  if (round > 0) base += std::to_string(round);  // catalogue wrapped: distinct synthetic names
  switch (v) {
    case core::venue::binance:
    case core::venue::binance_usdm:
    case core::venue::bybit: return base + "USDT";
    case core::venue::coinbase:
    case core::venue::coinbase_exchange: return base + "-USD";
    case core::venue::kraken: return base + "/USD";
    case core::venue::kraken_v1: return (base == "BTC" ? std::string("XBT") : base) + "/USD";
    case core::venue::okx: return base + "-USDT";
    case core::venue::hyperliquid: return base;
    case core::venue::bitstamp: return lower(base) + "usd";
  }
  return base;
}

}  // namespace

std::vector<instrument> default_instruments(core::venue v, std::size_t n, double levels_scale,
                                            double rate) {
  std::vector<instrument> out;
  for (std::size_t i = 0; i < n; ++i) {
    const asset& a = k_assets[i % k_asset_count];
    instrument in;
    in.base = a.base;
    in.symbol = symbol_for(v, a.base, i / k_asset_count);
    in.major = a.major;
    in.price_scale = a.price_scale;
    in.tick = a.tick;
    in.qty_scale = a.qty_scale;
    in.lot = a.lot;
    in.mid = a.mid;
    in.levels = static_cast<std::uint32_t>(static_cast<double>(a.levels) * levels_scale);
    if (in.levels < 10) in.levels = 10;
    in.span_pct = a.span_pct;
    in.touch_qty = a.touch_qty;
    in.vol_bps = a.vol_bps;
    in.rate = rate > 0 ? rate : (a.major ? 10.0 : 2.0);
    // Venue grids that differ from the common one: Kraken quotes BTC/USD in 0.1, Hyperliquid
    // perps in whole dollars for BTC (5 significant figures), Bitstamp and Coinbase in cents.
    if ((v == core::venue::kraken || v == core::venue::kraken_v1) && in.base == "BTC") {
      in.price_scale = 1;
      in.mid /= 10;
      in.qty_scale = 8;
      in.touch_qty *= 1000;
    }
    if (v == core::venue::hyperliquid && in.base == "BTC") {
      in.price_scale = 0;
      in.mid /= 100;
      in.levels = in.levels < 400 ? in.levels : 400;
    }
    out.push_back(in);
  }
  return out;
}

}  // namespace depthmon::sim
