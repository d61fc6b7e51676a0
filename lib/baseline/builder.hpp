// baseline/builder.hpp — reduces depth samples from any source (baseline/sources.hpp) to the
// baseline CSV of DESIGN.md: per (venue, symbol, side, band) the configured quantile
// (baseline/statistic.hpp; the median by default) of the samples inside the window.
//
// Memory is bounded by the window, not by the input: a key keeps at most one double per
// minute of the window (the first sample of a minute wins; a bitmap of the window's minutes
// says which are taken), so a multi-GB Tardis export or a year of history costs the same.
//
// A key with fewer than `min_samples` samples gets no baseline: reduce() fails naming each
// such book and its count, unless `skip_insufficient`, where the skipped keys are returned
// for the caller to list. A book seen with some band and side but never with another expected
// one (the bands asked for, else every band seen in the input) counts as 0 samples there: a
// band that was never complete is reported, not left out. A partial baseline is never written
// silently.
//
// Threads: one builder per thread. Errors: false plus a message; nothing throws except
// bad_alloc.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "baseline/baseline_file.hpp"
#include "baseline/history_store.hpp"

namespace depthmon::baseline {

struct build_options {
  core::unix_nanos window_start = 1'759'276'800'000'000'000;  // 2025-10-01T00:00:00Z
  core::unix_nanos window_end = 1'760'054'400'000'000'000;    // 2025-10-10T00:00:00Z
  double quantile = 0.5;
  std::uint64_t min_samples = 60;
  bool skip_insufficient = false;
  std::vector<core::decimal> bands_pct;  // expected for every book; empty: every band seen
};

struct shortfall {
  core::venue venue = core::venue::binance;
  std::string symbol;
  core::side side = core::side::bid;
  core::decimal band_pct;
  std::uint64_t samples = 0;
  std::string to_string(std::uint64_t min_samples) const;  // "binance BTCUSDT bid 2 %: ..."
};

class builder {
 public:
  explicit builder(build_options opt);

  // Samples outside the window, and repeats of a minute a key already has, are ignored.
  void add(const depth_sample& s);

  std::size_t keys() const noexcept { return series_.size(); }
  std::uint64_t samples() const noexcept { return kept_; }

  // Entries sorted by (venue, symbol, side, band); `skipped` lists the keys under
  // min_samples (only filled on success when skip_insufficient, else part of `error`).
  bool reduce(std::vector<entry>& out, std::vector<shortfall>& skipped, std::string& error);

 private:
  struct key {
    core::venue venue;
    std::string symbol;
    core::side side;
    core::decimal band_pct;
  };
  struct key_less {
    bool operator()(const key& a, const key& b) const noexcept;
  };
  struct series {
    std::vector<std::uint64_t> taken;  // bit per minute of the window
    std::vector<double> values;
  };
  build_options opt_;
  std::uint64_t minutes_ = 0;
  std::uint64_t kept_ = 0;
  std::map<key, series, key_less> series_;
};

// The baseline CSV (header first); depth_usd to 6 decimals (2 from 1e9 on), trailing zeros cut.
std::string to_csv(const std::vector<entry>& entries);
// Writes to_csv() to `path` through a temporary file and a rename: a failed build leaves an
// existing file untouched.
bool write_baseline(const std::string& path, const std::vector<entry>& entries,
                    std::string& error);

// "median" -> 0.5, "pNN" (0..100, decimals allowed: p2.5) -> NN/100.
bool parse_statistic(std::string_view text, double& quantile);

}  // namespace depthmon::baseline
