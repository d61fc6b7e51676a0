// baseline/statistic.hpp — the statistic a baseline takes over its window's samples: a
// quantile (0.5 = the median, the default) with linear interpolation between closest ranks
// (Hyndman & Fan type 7, numpy's default), so the median of an even count is the mean of the
// two middle samples, as every reader expects.
//
// Threads: pure function. Errors: none; an empty input has no statistic (std::nullopt).
#pragma once

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace depthmon::baseline {

// Reorders `v` (nth_element); q in [0, 1].
inline std::optional<double> quantile(std::vector<double>& v, double q) {
  if (v.empty()) return std::nullopt;
  q = std::clamp(q, 0.0, 1.0);
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(lo), v.end());
  const double a = v[lo];
  if (lo + 1 >= v.size()) return a;
  const double b = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(lo) + 1, v.end());
  return a + (pos - static_cast<double>(lo)) * (b - a);
}

}  // namespace depthmon::baseline
