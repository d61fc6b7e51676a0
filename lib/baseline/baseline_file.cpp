#include "baseline/baseline_file.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <sstream>
#include <tuple>

#include "core/json_escape.hpp"

namespace depthmon::baseline {
namespace {

int compare_pct(core::decimal a, core::decimal b) noexcept {
  return core::compare_scaled(a.mantissa, a.scale, b.mantissa, b.scale);
}

// Orders entries by (venue, symbol, side, band value).
bool key_less(const entry& a, core::venue v, std::string_view sym, core::side s,
              core::decimal pct) noexcept {
  if (a.venue != v) return a.venue < v;
  if (a.symbol != sym) return a.symbol < sym;
  if (a.side != s) return a.side < s;
  return compare_pct(a.band_pct, pct) < 0;
}

bool same_key(const entry& a, const entry& b) noexcept {
  return a.venue == b.venue && a.symbol == b.symbol && a.side == b.side &&
         compare_pct(a.band_pct, b.band_pct) == 0;
}

constexpr std::size_t k_fields = 8;

// Splits on commas; false when the count is not k_fields.
bool split(std::string_view line, std::array<std::string_view, k_fields>& out,
           std::size_t& count) {
  count = 0;
  while (true) {
    const auto comma = line.find(',');
    if (count < k_fields) out[count] = line.substr(0, comma);
    ++count;
    if (comma == std::string_view::npos) break;
    line.remove_prefix(comma + 1);
  }
  return count == k_fields;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// One row's fields into `e`; the first problem as a message, empty when the row is good.
std::string parse_row(const std::array<std::string_view, k_fields>& f, entry& e) {
  const auto v = core::venue_from_string(f[0]);
  if (!v) return "venue: unknown venue " + quoted(f[0]);
  e.venue = *v;
  if (f[1].empty()) return "symbol: empty";
  e.symbol = std::string(f[1]);
  if (f[2] == "bid") {
    e.side = core::side::bid;
  } else if (f[2] == "ask") {
    e.side = core::side::ask;
  } else {
    return "side: expected bid or ask, found " + quoted(f[2]);
  }
  const auto pct = core::parse_decimal(f[3]);
  if (!pct || pct->mantissa <= 0 || compare_pct(*pct, {100, 0}) >= 0)
    return "band_pct: expected a decimal in (0, 100), found " + quoted(f[3]);
  e.band_pct = *pct;
  const auto usd = core::parse_decimal(f[4]);
  if (!usd || usd->mantissa < 0)
    return "depth_usd: expected a decimal >= 0, found " + quoted(f[4]);
  e.depth_usd = static_cast<double>(static_cast<long double>(usd->mantissa) /
                                    static_cast<long double>(core::pow10_i64(usd->scale)));
  const char* end = f[5].data() + f[5].size();
  const auto [p, ec] = std::from_chars(f[5].data(), end, e.samples);
  if (f[5].empty() || ec != std::errc{} || p != end || e.samples == 0)
    return "samples: expected an integer >= 1, found " + quoted(f[5]);
  const auto ws = core::parse_rfc3339(f[6]);
  if (!ws) return "window_start: expected an RFC 3339 UTC time, found " + quoted(f[6]);
  const auto we = core::parse_rfc3339(f[7]);
  if (!we) return "window_end: expected an RFC 3339 UTC time, found " + quoted(f[7]);
  e.window_start = *ws;
  e.window_end = *we;
  if (e.window_end <= e.window_start) return "window_end: not after window_start";
  return {};
}

}  // namespace

std::string_view to_string(source s) noexcept {
  switch (s) {
    case source::file: return "file";
    case source::history: return "history";
    case source::trailing_median: return "trailing_median";
  }
  return "?";
}

std::string load_error::to_string() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ": " + message;
}

const entry* table::find(core::venue v, std::string_view symbol, core::side s,
                         core::decimal band_pct) const noexcept {
  const auto it = std::lower_bound(
      entries_.begin(), entries_.end(), 0,
      [&](const entry& e, int) { return key_less(e, v, symbol, s, band_pct); });
  if (it == entries_.end() || it->venue != v || it->symbol != symbol || it->side != s ||
      compare_pct(it->band_pct, band_pct) != 0)
    return nullptr;
  return &*it;
}

std::optional<double> table::depth_usd(core::venue v, std::string_view symbol, core::side s,
                                       core::decimal band_pct) const noexcept {
  if (const entry* e = find(v, symbol, s, band_pct)) return e->depth_usd;
  return std::nullopt;
}

table table::from_entries(std::string file, std::vector<entry> entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const entry& a, const entry& b) {
    return key_less(a, b.venue, b.symbol, b.side, b.band_pct);
  });
  entries.erase(std::unique(entries.begin(), entries.end(), same_key), entries.end());
  table t;
  t.file_ = std::move(file);
  t.entries_ = std::move(entries);
  return t;
}

bool parse_baseline(std::string_view text, const std::string& name, table& out,
                    std::vector<load_error>& errors) {
  const std::size_t errors_before = errors.size();
  std::vector<entry> rows;
  std::uint32_t line_no = 0;
  bool header_seen = false;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!header_seen) {
      header_seen = true;
      if (line != file_header)
        errors.push_back({name, line_no, "expected the header line \"" +
                                             std::string(file_header) + "\""});
      continue;
    }
    if (line.empty()) continue;
    if (line.find('"') != std::string_view::npos) {
      errors.push_back({name, line_no, "quoted fields are not supported"});
      continue;
    }
    std::array<std::string_view, k_fields> f;
    std::size_t count = 0;
    if (!split(line, f, count)) {
      errors.push_back({name, line_no, "expected 8 fields, found " + std::to_string(count)});
      continue;
    }
    entry e;
    e.line = line_no;
    if (auto msg = parse_row(f, e); !msg.empty()) {
      errors.push_back({name, line_no, std::move(msg)});
      continue;
    }
    rows.push_back(std::move(e));
  }
  if (!header_seen) errors.push_back({name, 1, "empty file: expected the header line"});
  std::stable_sort(rows.begin(), rows.end(), [](const entry& a, const entry& b) {
    return key_less(a, b.venue, b.symbol, b.side, b.band_pct);
  });
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (same_key(rows[i - 1], rows[i]))
      errors.push_back({name, rows[i].line,
                        "duplicate of line " + std::to_string(rows[i - 1].line) +
                            " (same venue, symbol, side and band_pct)"});
  // Report in file order whatever order the checks found them in.
  std::stable_sort(errors.begin() + static_cast<std::ptrdiff_t>(errors_before), errors.end(),
                   [](const load_error& a, const load_error& b) { return a.line < b.line; });
  if (errors.size() != errors_before) {
    out = table{};
    return false;
  }
  out.file_ = name;
  out.entries_ = std::move(rows);
  return true;
}

bool load_baseline(const std::string& path, table& out, std::vector<load_error>& errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back({path, 0, "cannot open the baseline file"});
    out = table{};
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_baseline(ss.str(), path, out, errors);
}

std::string to_json(const table& t) {
  std::string out = "{\"source\":\"file\",\"file\":";
  core::append_json_string(out, t.file());
  out += ",\"books\":[";
  const auto& es = t.entries();
  for (std::size_t i = 0; i < es.size();) {
    const entry& first = es[i];
    if (i > 0) out += ',';
    out += "{\"venue\":";
    core::append_json_string(out, core::to_string(first.venue));
    out += ",\"symbol\":";
    core::append_json_string(out, first.symbol);
    out += ",\"source\":";
    core::append_json_string(out, to_string(first.from));
    out += ",\"bands\":[";
    for (bool comma = false; i < es.size() && es[i].venue == first.venue &&
                             es[i].symbol == first.symbol;
         ++i, comma = true) {
      const entry& e = es[i];
      if (comma) out += ',';
      char usd[64];
      const auto r = std::to_chars(usd, usd + sizeof usd, e.depth_usd);
      out += "{\"pct\":" + core::to_string(e.band_pct) + ",\"side\":\"" +
             std::string(core::to_string(e.side)) + "\",\"depth_usd\":" +
             std::string(usd, r.ptr) + ",\"samples\":" + std::to_string(e.samples) +
             ",\"window_start\":\"" + core::format_rfc3339(e.window_start) +
             "\",\"window_end\":\"" + core::format_rfc3339(e.window_end) + "\"}";
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

}  // namespace depthmon::baseline
