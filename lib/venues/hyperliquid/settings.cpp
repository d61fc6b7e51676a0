#include "venues/hyperliquid/settings.hpp"

#include <charconv>

#include "venues/common/settings.hpp"

namespace depthmon::venues::hyperliquid {

core::result<settings> parse_settings(const std::map<std::string, std::string>& kv) {
  using core::errc;
  if (auto st = check_setting_keys(core::venue::hyperliquid, kv,
                                   {"nsigfigs", "mantissa", "fast", "levels"});
      !st)
    return st.err();
  settings s;
  bool levels_given = false;
  for (const auto& [k, v] : kv) {
    if (k == "nsigfigs") {
      if (v == "null" || v == "none") s.n_sig_figs.reset();
      else if (v == "2" || v == "3" || v == "4" || v == "5") s.n_sig_figs = v[0] - '0';
      else return {errc::invalid_argument, "hyperliquid setting 'nsigfigs' must be 2, 3, 4, 5 or null"};
    } else if (k == "mantissa") {
      if (v == "1" || v == "2" || v == "5") s.mantissa = v[0] - '0';
      else return {errc::invalid_argument, "hyperliquid setting 'mantissa' must be 1, 2 or 5"};
    } else if (k == "fast") {
      if (v == "true" || v == "1") s.fast = true;
      else if (v == "false" || v == "0") s.fast = false;
      else return {errc::invalid_argument, "hyperliquid setting 'fast' must be true or false"};
    } else if (k == "levels") {
      std::uint32_t n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc() || p != v.data() + v.size() || n == 0 || n > 10000)
        return {errc::invalid_argument, "hyperliquid setting 'levels' must be an integer in 1..10000"};
      s.levels = n;
      levels_given = true;
    }
  }
  if (s.mantissa && s.n_sig_figs != 5)
    return {errc::invalid_argument, "hyperliquid setting 'mantissa' needs nsigfigs=5"};
  if (!levels_given) s.levels = s.fast ? 5 : 20;
  return s;
}

}  // namespace depthmon::venues::hyperliquid
