#include "venues/kraken/settings.hpp"

#include <charconv>
#include <string_view>

#include "core/decimal.hpp"
#include "venues/kraken/messages.hpp"

namespace depthmon::venues::kraken {
namespace {

bool parse_uint(std::string_view s, std::uint64_t& out) noexcept {
  if (s.empty() || s.size() > 6) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

core::result<settings> parse_settings(const std::map<std::string, std::string>& kv) {
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
    } else if (std::string_view(key).substr(0, k_precision.size()) == k_precision) {
      const std::string_view sym = std::string_view(key).substr(k_precision.size());
      if (sym.empty())
        return {core::errc::invalid_argument,
                "kraken setting precision.<SYMBOL>: the symbol is missing (precision.BTC/USD=1:8)"};
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
    } else {
      return {core::errc::invalid_argument,
              "unknown kraken setting (accepted: depth=N, precision.<SYMBOL>=P:Q)"};
    }
  }
  return out;
}

}  // namespace depthmon::venues::kraken
