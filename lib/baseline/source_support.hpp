// baseline/source_support.hpp — what the file sources (Tardis, Coin Metrics) share: the band
// filter, comma splitting without copies, and throttled progress over several files.
// Internal to lib/baseline (sources include it; nothing outside does).
//
// Threads: the caller's. Errors: none here; callers word them with file:line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "baseline/line_reader.hpp"
#include "baseline/sources.hpp"
#include "core/decimal.hpp"

namespace depthmon::baseline::detail {

inline bool same_pct(core::decimal a, core::decimal b) noexcept {
  return core::compare_scaled(a.mantissa, a.scale, b.mantissa, b.scale) == 0;
}

// Whether `pct` is asked for (an empty list asks for every band the source has).
inline bool wanted(const sample_options& opt, core::decimal pct) noexcept {
  if (opt.bands_pct.empty()) return true;
  for (auto b : opt.bands_pct)
    if (same_pct(b, pct)) return true;
  return false;
}

// Splits `line` on commas into `out` (cleared first).
inline void split_commas(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  while (true) {
    const auto c = line.find(',');
    out.push_back(line.substr(0, c));
    if (c == std::string_view::npos) return;
    line.remove_prefix(c + 1);
  }
}

// Reports bytes consumed across files to opt.progress about every 4 MiB, and once at the end.
class progress_meter {
 public:
  progress_meter(const sample_options& opt, const std::vector<std::string>& files)
      : opt_(opt), total_(opt.progress ? total_size(files) : 0) {}
  void tick(const line_reader& r) {
    if (!opt_.progress) return;
    const auto now = base_ + r.bytes_done();
    if (now >= next_) {
      next_ = now + (4u << 20);
      opt_.progress(now, total_);
    }
  }
  void file_done(const line_reader& r) {
    base_ += r.file_size();
    if (opt_.progress) opt_.progress(base_, total_);
  }

 private:
  const sample_options& opt_;
  std::uint64_t total_ = 0, base_ = 0, next_ = 0;
};

// "file:line: " for error messages.
inline std::string where(const line_reader& r) {
  return r.path() + ":" + std::to_string(r.line_no()) + ": ";
}

}  // namespace depthmon::baseline::detail
