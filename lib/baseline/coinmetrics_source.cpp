// Source (d): a Coin Metrics market-metrics CSV export, as the timeseries API returns it with
// format=csv: a header `market,time,` then metric columns; the ones read here are
// liquidity_depth_{X}_percent_{bid|ask}_volume_usd, X written with '_' for the decimal point
// (0_1 = 0.1 %). Other metric columns are ignored; an empty cell is a missing value (Coin
// Metrics publishes null rather than a partial sum when a book does not reach the band).
#include <charconv>
#include <cmath>
#include <map>
#include <optional>

#include "baseline/markets.hpp"
#include "baseline/source_support.hpp"
#include "baseline/sources.hpp"

namespace depthmon::baseline {
namespace {

struct depth_column {
  std::size_t index = 0;
  core::decimal pct;
  core::side side = core::side::bid;
};

// liquidity_depth_{X}_percent_{bid|ask}_volume_usd -> band and side; nullopt for other columns.
std::optional<depth_column> parse_column(std::string_view name, std::size_t index) {
  constexpr std::string_view prefix = "liquidity_depth_", mid = "_percent_",
                             suffix = "_volume_usd";
  if (!name.starts_with(prefix) || !name.ends_with(suffix)) return std::nullopt;
  name.remove_prefix(prefix.size());
  name.remove_suffix(suffix.size());
  const auto m = name.find(mid);
  if (m == std::string_view::npos) return std::nullopt;
  const auto side = name.substr(m + mid.size());
  std::string x(name.substr(0, m));
  for (char& c : x)
    if (c == '_') c = '.';
  const auto pct = core::parse_decimal(x);
  if (!pct || pct->mantissa <= 0) return std::nullopt;
  depth_column col{index, *pct, core::side::bid};
  if (side == "ask") col.side = core::side::ask;
  else if (side != "bid") return std::nullopt;
  return col;
}

bool read_file(const std::string& path, const sample_options& opt, const sample_visitor& visit,
               detail::progress_meter& meter, std::string& error) {
  line_reader r;
  if (!r.open(path)) {
    error = r.error();
    return false;
  }
  std::string_view line;
  std::vector<std::string_view> f;
  std::vector<depth_column> cols;
  std::size_t width = 0;
  std::map<std::string, market, std::less<>> markets;
  depth_sample s;
  bool header = false;
  while (r.next(line)) {
    if (line.empty()) continue;
    detail::split_commas(line, f);
    if (!header) {
      header = true;
      if (f.size() < 3 || f[0] != "market" || f[1] != "time") {
        error = detail::where(r) + "expected the Coin Metrics header \"market,time,"
                "liquidity_depth_{X}_percent_{bid|ask}_volume_usd,...\"";
        return false;
      }
      for (std::size_t i = 2; i < f.size(); ++i)
        if (auto c = parse_column(f[i], i); c && detail::wanted(opt, c->pct)) cols.push_back(*c);
      if (cols.empty()) {
        error = detail::where(r) + "no liquidity_depth_{X}_percent_{bid|ask}_volume_usd column" +
                (opt.bands_pct.empty() ? "" : " for the bands asked for");
        return false;
      }
      width = f.size();
      continue;
    }
    if (line.find('"') != std::string_view::npos) {
      error = detail::where(r) + "quoted fields are not supported";
      return false;
    }
    if (f.size() != width) {
      error = detail::where(r) + "expected " + std::to_string(width) + " fields as in the header, found " +
              std::to_string(f.size());
      return false;
    }
    const auto t = core::parse_rfc3339(f[1]);
    if (!t) {
      error = detail::where(r) + "time: expected an RFC 3339 UTC time, found \"" +
              std::string(f[1]) + "\"";
      return false;
    }
    meter.tick(r);
    if (*t < opt.window_start || *t >= opt.window_end) continue;
    auto it = markets.find(f[0]);
    if (it == markets.end()) {
      std::string why;
      auto m = coinmetrics_market(f[0], why);
      if (!m) {
        error = detail::where(r) + why;
        return false;
      }
      it = markets.emplace(std::string(f[0]), std::move(*m)).first;
    }
    s.venue = it->second.venue;
    s.symbol = it->second.symbol;
    s.time = *t;
    for (const auto& c : cols) {
      const auto cell = f[c.index];
      if (cell.empty()) continue;
      double v = 0;
      const auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (ec != std::errc{} || p != cell.data() + cell.size() || !std::isfinite(v) || v < 0) {
        error = detail::where(r) + "column " + std::to_string(c.index + 1) +
                ": expected a USD amount >= 0 or an empty cell, found \"" + std::string(cell) + "\"";
        return false;
      }
      s.side = c.side;
      s.band_pct = c.pct;
      s.depth_usd = v;
      visit(s);
    }
  }
  if (!r.error().empty()) {
    error = r.error();
    return false;
  }
  if (!header) {
    error = path + ":1: empty file: expected the Coin Metrics header \"market,time,...\"";
    return false;
  }
  meter.file_done(r);
  return true;
}

}  // namespace

bool samples_from_coinmetrics(const std::vector<std::string>& files, const sample_options& opt,
                              const sample_visitor& visit, std::string& error) {
  detail::progress_meter meter(opt, files);
  for (const auto& f : files)
    if (!read_file(f, opt, visit, meter, error)) return false;
  return true;
}

}  // namespace depthmon::baseline
