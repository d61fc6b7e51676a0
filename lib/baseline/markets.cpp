#include "baseline/markets.hpp"

#include <array>

#include "core/ascii_case.hpp"

namespace depthmon::baseline {
namespace {

// How a venue writes a pair.
enum class style : std::uint8_t {
  concat_upper,  // BTCUSDT
  dash,          // BTC-USD
  slash,         // BTC/USD
  concat_lower,  // btcusd
  base_only,     // BTC (Hyperliquid perpetuals, USDC-settled)
};

struct exchange_row {
  std::string_view tardis;       // empty: no Tardis dataset maps here
  std::string_view coinmetrics;  // empty: no Coin Metrics spot market maps here
  core::venue venue;
  style st;
  std::string_view suffix = {};  // appended to the venue symbol (okex-swap: -SWAP)
  bool contracts = false;
};

// Tardis "bybit" is the linear (USDT perpetual) dataset; the daemon's bybit venue serves one
// category per config, so both datasets land on venue bybit with the same native symbol.
constexpr std::array<exchange_row, 10> k_exchanges{{
    {"binance", "binance", core::venue::binance, style::concat_upper},
    {"binance-futures", "", core::venue::binance_usdm, style::concat_upper},
    {"coinbase", "coinbase", core::venue::coinbase, style::dash},
    {"kraken", "kraken", core::venue::kraken, style::slash},
    {"okex", "okex", core::venue::okx, style::dash},
    {"okex-swap", "", core::venue::okx, style::dash, "-SWAP", true},
    {"bybit", "", core::venue::bybit, style::concat_upper},
    {"bybit-spot", "bybit", core::venue::bybit, style::concat_upper},
    {"bitstamp", "bitstamp", core::venue::bitstamp, style::concat_lower},
    {"hyperliquid", "", core::venue::hyperliquid, style::base_only},
}};

// Quote currencies a concatenated symbol can end in, longest first within a common suffix.
constexpr std::array<std::string_view, 17> k_quotes{
    "FDUSD", "USDT", "USDC", "BUSD", "TUSD", "USDE", "DAI", "USD", "EUR",
    "GBP",   "TRY",  "BRL",  "JPY",  "AUD",  "BTC",  "ETH", "BNB"};

using core::ascii_lower;
using core::ascii_upper;

// Kraken's legacy asset codes, as Tardis (recording the v1 feed) writes them.
std::string kraken_asset(std::string a) {
  if (a == "XBT") return "BTC";
  if (a == "XDG") return "DOGE";
  return a;
}

std::string venue_symbol(const exchange_row& r, const std::string& base, const std::string& quote) {
  std::string s;
  switch (r.st) {
    case style::concat_upper: s = base + quote; break;
    case style::dash: s = base + "-" + quote; break;
    case style::slash: s = base + "/" + quote; break;
    case style::concat_lower: s = ascii_lower(base + quote); break;
    case style::base_only: s = base; break;
  }
  return s + std::string(r.suffix);
}

bool split_pair(const exchange_row& r, std::string_view sym, std::string& base, std::string& quote) {
  std::string s = ascii_upper(sym);
  if (!r.suffix.empty() && s.size() > r.suffix.size() &&
      std::string_view(s).substr(s.size() - r.suffix.size()) == r.suffix)
    s.resize(s.size() - r.suffix.size());
  switch (r.st) {
    case style::dash:
    case style::slash: {
      const auto p = s.find(r.st == style::dash ? '-' : '/');
      if (p == std::string::npos || p == 0 || p + 1 >= s.size()) return false;
      base = s.substr(0, p);
      quote = s.substr(p + 1);
      return quote.find_first_of("-/") == std::string::npos;
    }
    case style::concat_upper:
    case style::concat_lower:
      for (std::string_view q : k_quotes)
        if (s.size() > q.size() && std::string_view(s).substr(s.size() - q.size()) == q) {
          base = s.substr(0, s.size() - q.size());
          quote = std::string(q);
          return true;
        }
      return false;
    case style::base_only:
      if (s.empty() || s.find_first_of("-/@:") != std::string::npos) return false;
      base = s;
      quote = "USDC";
      return true;
  }
  return false;
}

market make(const exchange_row& r, std::string base, std::string quote) {
  if (r.venue == core::venue::kraken) {
    base = kraken_asset(std::move(base));
    quote = kraken_asset(std::move(quote));
  }
  market m;
  m.venue = r.venue;
  m.symbol = venue_symbol(r, base, quote);
  m.base = std::move(base);
  m.quote = std::move(quote);
  m.amounts_in_contracts = r.contracts;
  return m;
}

}  // namespace

std::optional<market> tardis_market(std::string_view exchange, std::string_view symbol,
                                    std::string& why) {
  for (const auto& r : k_exchanges) {
    if (r.tardis.empty() || r.tardis != exchange) continue;
    std::string base, quote;
    if (!split_pair(r, symbol, base, quote)) {
      why = "symbol \"" + std::string(symbol) + "\" does not split into base and quote for " +
            std::string(exchange);
      return std::nullopt;
    }
    return make(r, std::move(base), std::move(quote));
  }
  why = "unknown Tardis exchange \"" + std::string(exchange) +
        "\" (known: binance, binance-futures, coinbase, kraken, okex, okex-swap, bybit, "
        "bybit-spot, bitstamp, hyperliquid)";
  return std::nullopt;
}

std::optional<market> coinmetrics_market(std::string_view id, std::string& why) {
  // exchange-base-quote-spot; the exchange id itself may hold dashes, base and quote do not.
  const auto p3 = id.rfind('-');
  if (p3 == std::string_view::npos || id.substr(p3 + 1) != "spot") {
    why = "market \"" + std::string(id) + "\": expected a spot market id exchange-base-quote-spot";
    return std::nullopt;
  }
  const auto p2 = p3 == 0 ? std::string_view::npos : id.rfind('-', p3 - 1);
  const auto p1 = p2 == std::string_view::npos || p2 == 0 ? std::string_view::npos
                                                           : id.rfind('-', p2 - 1);
  if (p1 == std::string_view::npos || p1 == 0 || p2 - p1 < 2 || p3 - p2 < 2) {
    why = "market \"" + std::string(id) + "\": expected exchange-base-quote-spot";
    return std::nullopt;
  }
  const auto exchange = id.substr(0, p1);
  for (const auto& r : k_exchanges) {
    if (r.coinmetrics.empty() || r.coinmetrics != exchange) continue;
    return make(r, ascii_upper(id.substr(p1 + 1, p2 - p1 - 1)), ascii_upper(id.substr(p2 + 1, p3 - p2 - 1)));
  }
  why = "market \"" + std::string(id) + "\": unknown Coin Metrics exchange \"" +
        std::string(exchange) + "\" (known: binance, coinbase, kraken, okex, bybit, bitstamp)";
  return std::nullopt;
}

}  // namespace depthmon::baseline
