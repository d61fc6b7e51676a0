#include "venues/kraken/settings.hpp"

#include <charconv>
#include <string_view>

#include "core/decimal.hpp"
#include "venues/common/settings.hpp"
#include "venues/kraken/messages.hpp"

namespace depthmon::venues::kraken {
namespace {

bool parse_uint(std::string_view s, std::uint64_t& out) noexcept {
  if (s.empty() || s.size() > 6) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

core::result<settings> parse_settings(core::venue v,
                                      const std::map<std::string, std::string>& kv) {
  if (auto st = check_setting_keys(v, kv, {"depth", "precision."}); !st) return st.err();
  settings out;
  constexpr std::string_view k_precision = "precision.";
  for (const auto& [key, value] : kv) {
    if (key == "depth") {
      std::uint64_t n = 0;
      if (!parse_uint(value, n) || !valid_depth(n))
        return {core::errc::invalid_argument,
                "kraken setting depth=N: N must be one of 10, 25, 100, 500, 1000"};
      out.depth = static_cast<std::uint32_t>(n);
      out.depth_given = true;
    } else {  // precision.<SYMBOL> (check_setting_keys let nothing else through)
      const std::string_view sym = std::string_view(key).substr(k_precision.size());
      const auto colon = value.find(':');
      std::uint64_t p = 0, q = 0;
      if (colon == std::string::npos ||
          !parse_uint(std::string_view(value).substr(0, colon), p) ||
          !parse_uint(std::string_view(value).substr(colon + 1), q) || p > core::max_scale ||
          q > core::max_scale)
        return {core::errc::invalid_argument,
                "kraken setting precision.<SYMBOL>=P:Q: P and Q must be integers 0..18 "
                "(price_precision:qty_precision, e.g. 4:8)"};
      out.precisions[std::string(sym)] =
          pair_precisions{static_cast<unsigned>(p), static_cast<unsigned>(q)};
    }
  }
  return out;
}

}  // namespace depthmon::venues::kraken
