#include "venues/okx/settings.hpp"

#include <algorithm>

#include "venues/common/settings.hpp"

namespace depthmon::venues::okx {

using core::errc;

bool is_contract_instrument(std::string_view inst_id) noexcept {
  return std::count(inst_id.begin(), inst_id.end(), '-') >= 2;
}

core::result<settings> parse_settings(const std::map<std::string, std::string>& kv,
                                      const std::vector<std::string>& symbols) {
  if (auto st = check_setting_keys(core::venue::okx, kv, {"channel", "ctval."}); !st)
    return st.err();
  settings out;
  constexpr std::string_view k_ctval = "ctval.";
  for (const auto& [key, value] : kv) {
    if (key == "channel") {
      auto c = channel_from_name(value);
      if (!c)
        return {errc::invalid_argument,
                "okx setting channel: expected books, books5, bbo-tbt, books-l2-tbt or "
                "books50-l2-tbt"};
      out.book_channel = *c;
    } else {  // ctval.<instId> (check_setting_keys let nothing else through)
      const std::string inst = key.substr(k_ctval.size());
      if (!is_contract_instrument(inst))
        return {errc::invalid_argument,
                "okx setting ctval.<instId>: only derivatives (e.g. BTC-USDT-SWAP) have a "
                "contract value; spot sizes are base currency"};
      if (!symbols.empty() && std::find(symbols.begin(), symbols.end(), inst) == symbols.end())
        return {errc::invalid_argument,
                "okx setting ctval.<instId>: the instrument is not among the configured symbols"};
      auto d = core::parse_decimal(value);
      if (!d || d->mantissa <= 0)
        return {errc::invalid_argument,
                "okx setting ctval.<instId>: expected a positive decimal (base units per "
                "contract, OKX ctVal), e.g. ctval.BTC-USDT-SWAP=0.01"};
      out.contract_values.emplace(inst, *d);
    }
  }
  return out;
}

std::optional<core::decimal> contract_value(const settings& s, std::string_view inst_id) {
  if (!is_contract_instrument(inst_id)) return core::decimal{1, 0};
  if (auto it = s.contract_values.find(inst_id); it != s.contract_values.end()) return it->second;
  return std::nullopt;
}

}  // namespace depthmon::venues::okx
