#include "config/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace depthmon::config {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  std::size_t best_d = 0;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    // "warning" for "warn", "listen_address" for "listen": a shared start counts as close.
    const std::size_t shorter = std::min(word.size(), c.size());
    if (shorter >= 3 && d > 1 && edit_distance(word.substr(0, shorter), std::string_view(c).substr(0, shorter)) == 0)
      d = 1;
    if (!best || d < best_d) {
      best = &c;
      best_d = d;
    }
  }
  if (!best) return {};
  const std::size_t longer = std::max(word.size(), best->size());
  if (best_d == 0 || best_d > std::max<std::size_t>(1, longer / 3)) return {};
  return " (did you mean '" + *best + "'?)";
}

}  // namespace depthmon::config
