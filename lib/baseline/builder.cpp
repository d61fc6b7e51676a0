#include "baseline/builder.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "baseline/statistic.hpp"

namespace depthmon::baseline {
namespace {
constexpr core::unix_nanos k_minute = 60'000'000'000;

int compare_pct(core::decimal a, core::decimal b) noexcept {
  return core::compare_scaled(a.mantissa, a.scale, b.mantissa, b.scale);
}

std::string format_usd(double v) {
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, v >= 1e9 ? "%.2f" : "%.6f", v);
  std::string s(buf, static_cast<std::size_t>(n));
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}
}  // namespace

bool builder::key_less::operator()(const key& a, const key& b) const noexcept {
  if (a.venue != b.venue) return a.venue < b.venue;
  if (a.symbol != b.symbol) return a.symbol < b.symbol;
  if (a.side != b.side) return a.side < b.side;
  return compare_pct(a.band_pct, b.band_pct) < 0;
}

std::string shortfall::to_string(std::uint64_t min_samples) const {
  return std::string(core::to_string(venue)) + " " + symbol + " " +
         std::string(core::to_string(side)) + " " + core::to_string(band_pct) + " %: " +
         std::to_string(samples) + " samples in the window, fewer than the " +
         std::to_string(min_samples) + " required (--min-samples)";
}

builder::builder(build_options opt) : opt_(opt) {
  if (opt_.window_end > opt_.window_start)
    minutes_ = static_cast<std::uint64_t>((opt_.window_end - opt_.window_start + k_minute - 1) /
                                          k_minute);
}

void builder::add(const depth_sample& s) {
  if (s.time < opt_.window_start || s.time >= opt_.window_end || !std::isfinite(s.depth_usd))
    return;
  auto it = series_.find(key{s.venue, s.symbol, s.side, s.band_pct});
  if (it == series_.end()) {
    it = series_.emplace(key{s.venue, s.symbol, s.side, s.band_pct}, series{}).first;
    it->second.taken.assign((minutes_ + 63) / 64, 0);
  }
  const auto m = static_cast<std::uint64_t>((s.time - opt_.window_start) / k_minute);
  auto& word = it->second.taken[m / 64];
  const std::uint64_t bit = std::uint64_t{1} << (m % 64);
  if (word & bit) return;
  word |= bit;
  it->second.values.push_back(s.depth_usd);
  ++kept_;
}

bool builder::reduce(std::vector<entry>& out, std::vector<shortfall>& skipped,
                     std::string& error) {
  out.clear();
  skipped.clear();
  // Expected (band, side) pairs every seen book should have; a missing one is a 0-sample key.
  std::vector<core::decimal> bands = opt_.bands_pct;
  if (bands.empty())
    for (const auto& [k, s] : series_)
      if (std::none_of(bands.begin(), bands.end(),
                       [&](core::decimal b) { return compare_pct(b, k.band_pct) == 0; }))
        bands.push_back(k.band_pct);
  std::sort(bands.begin(), bands.end(),
            [](core::decimal a, core::decimal b) { return compare_pct(a, b) < 0; });
  for (auto it = series_.begin(); it != series_.end();) {
    const key book{it->first.venue, it->first.symbol, core::side::bid, {}};
    for (core::side sd : {core::side::bid, core::side::ask})
      for (auto b : bands)
        if (!series_.count(key{book.venue, book.symbol, sd, b}))
          skipped.push_back({book.venue, book.symbol, sd, b, 0});
    while (it != series_.end() && it->first.venue == book.venue && it->first.symbol == book.symbol)
      ++it;
  }
  for (auto& [k, s] : series_) {
    const auto n = static_cast<std::uint64_t>(s.values.size());
    if (n < opt_.min_samples || n == 0) {
      skipped.push_back({k.venue, k.symbol, k.side, k.band_pct, n});
      continue;
    }
    entry e;
    e.venue = k.venue;
    e.symbol = k.symbol;
    e.side = k.side;
    e.band_pct = k.band_pct;
    e.depth_usd = *quantile(s.values, opt_.quantile);
    e.samples = n;
    e.window_start = opt_.window_start;
    e.window_end = opt_.window_end;
    out.push_back(std::move(e));
  }
  std::sort(skipped.begin(), skipped.end(), [](const shortfall& a, const shortfall& b) {
    return key_less{}(key{a.venue, a.symbol, a.side, a.band_pct}, key{b.venue, b.symbol, b.side, b.band_pct});
  });
  if (!skipped.empty() && !opt_.skip_insufficient) {
    error = "too few samples for " + std::to_string(skipped.size()) +
            " book side(s) and band(s); no baseline written (--skip-insufficient leaves them "
            "out):";
    for (const auto& s : skipped) error += "\n  " + s.to_string(opt_.min_samples);
    out.clear();
    return false;
  }
  if (out.empty()) {
    error = series_.empty() ? "no depth samples inside the window " +
                                  core::format_rfc3339(opt_.window_start) + "/" +
                                  core::format_rfc3339(opt_.window_end)
                            : "every book has too few samples; no baseline written";
    return false;
  }
  return true;
}

std::string to_csv(const std::vector<entry>& entries) {
  std::string out(file_header);
  out += '\n';
  for (const auto& e : entries) {
    out += core::to_string(e.venue);
    out += ',' + e.symbol + ',' + std::string(core::to_string(e.side)) + ',' +
           core::to_string(e.band_pct) + ',' + format_usd(e.depth_usd) + ',' +
           std::to_string(e.samples) + ',' + core::format_rfc3339(e.window_start) + ',' +
           core::format_rfc3339(e.window_end) + '\n';
  }
  return out;
}

bool write_baseline(const std::string& path, const std::vector<entry>& entries,
                    std::string& error) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) {
      error = tmp + ": cannot create: " + std::strerror(errno);
      return false;
    }
    f << to_csv(entries);
    f.flush();
    if (!f) {
      error = tmp + ": write failed: " + std::strerror(errno);
      std::remove(tmp.c_str());
      return false;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    error = path + ": cannot rename " + tmp + " over it: " + std::strerror(errno);
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

bool parse_statistic(std::string_view text, double& q) {
  if (text == "median") {
    q = 0.5;
    return true;
  }
  if (text.size() < 2 || text[0] != 'p') return false;
  const auto d = core::parse_decimal(text.substr(1));
  if (!d || d->mantissa < 0) return false;
  const double pct = static_cast<double>(d->mantissa) /
                     static_cast<double>(core::pow10_i64(d->scale));
  if (pct > 100) return false;
  q = pct / 100;
  return true;
}

}  // namespace depthmon::baseline
