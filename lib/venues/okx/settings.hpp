// venues/okx/settings.hpp — the OKX venue's `key=value` settings, validated once at creation.
//
//   channel=books|books5|bbo-tbt|books-l2-tbt|books50-l2-tbt   (default books)
//   ctval.<instId>=<decimal>   contract value of a derivative instrument (base units per
//                              contract, OKX's instrument `ctVal`), e.g. ctval.BTC-USDT-SWAP=0.01
//
// Contract sizes: OKX books of derivatives (SWAP, dated futures, options) count contracts;
// books and depth figures keep them as sent. The conversion to base units (and so to USD)
// applies only where quote notionals become USD: depth::to_usd(value, scale, rate,
// contract_value) with contract_value from okx::protocol::contract_value(symbol). Spot sizes
// are already base currency (contract value 1); a derivative without ctval has no known
// contract value (std::nullopt), so its USD value must be reported missing, never guessed.
//
// Threads: immutable after parsing. Errors: parse_settings fails with invalid_argument and a
// detail naming the key and what it accepts (unknown keys: venues/common/settings.hpp).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/result.hpp"
#include "venues/okx/channel.hpp"

namespace depthmon::venues::okx {

struct settings {
  channel book_channel = channel::books;
  std::map<std::string, core::decimal, std::less<>> contract_values;  // instId -> ctVal
};

// `symbols`: the configured instruments (empty = any, as in replay); a ctval for an instrument
// outside a non-empty list is rejected as a likely typo.
core::result<settings> parse_settings(const std::map<std::string, std::string>& kv,
                                      const std::vector<std::string>& symbols);

// OKX instrument ids: spot "BTC-USDT" (sizes in base currency); derivatives have more parts:
// "BTC-USDT-SWAP", "BTC-USD-220527", "BTC-USD-220527-30000-C" (sizes in contracts).
bool is_contract_instrument(std::string_view inst_id) noexcept;

// Base units per contract for `inst_id`: 1 for spot, the configured ctval for derivatives,
// std::nullopt for a derivative without one.
std::optional<core::decimal> contract_value(const settings& s, std::string_view inst_id);

}  // namespace depthmon::venues::okx
