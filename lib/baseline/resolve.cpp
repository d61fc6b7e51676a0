#include "baseline/resolve.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <optional>
#include <utility>

#include "baseline/statistic.hpp"
#include "core/json_escape.hpp"

namespace depthmon::baseline {
namespace {

using book_key = std::pair<core::venue, std::string>;

// What one book still needs: per band index and side, whether a figure is wanted, and the
// sample counts seen so far.
struct need {
  std::vector<std::array<bool, 2>> wanted;
  std::vector<std::array<std::uint64_t, 2>> window, trailing;
  bool any() const noexcept {
    for (const auto& w : wanted)
      if (w[0] || w[1]) return true;
    return false;
  }
};

int band_index(const std::vector<core::decimal>& bands, core::decimal pct) noexcept {
  for (std::size_t i = 0; i < bands.size(); ++i)
    if (core::compare_scaled(bands[i].mantissa, bands[i].scale, pct.mantissa, pct.scale) == 0)
      return static_cast<int>(i);
  return -1;
}

// For each book in `needs` that still wants a figure, its samples in [from, to) (one query
// per book, so books the file covers are never read); each wanted band side's samples go to
// `done`.
template <class Done>
bool gather(const history_store& store, core::unix_nanos from, core::unix_nanos to,
            const std::vector<core::decimal>& bands, std::map<book_key, need>& needs, Done&& done,
            std::string& error) {
  std::vector<std::array<std::vector<double>, 2>> acc(bands.size());
  for (auto& [key, n] : needs) {
    if (!n.any()) continue;
    const bool ok = store.for_each_sample(key.first, key.second, from, to, [&](const depth_sample& d) {
      const int i = band_index(bands, d.band_pct);
      const auto s = static_cast<std::size_t>(d.side);
      if (i >= 0 && n.wanted[static_cast<std::size_t>(i)][s]) acc[static_cast<std::size_t>(i)][s].push_back(d.depth_usd);
    }, error);
    if (!ok) return false;
    for (std::size_t i = 0; i < bands.size(); ++i)
      for (std::size_t s = 0; s < 2; ++s) {
        if (n.wanted[i][s]) done(key, n, i, s, acc[i][s]);
        acc[i][s].clear();
      }
  }
  return true;
}

std::string number_text(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

bool key_less(const missing_entry& a, const missing_entry& b) {
  if (a.venue != b.venue) return a.venue < b.venue;
  if (a.symbol != b.symbol) return a.symbol < b.symbol;
  if (a.side != b.side) return a.side < b.side;
  return core::compare_scaled(a.band_pct.mantissa, a.band_pct.scale, b.band_pct.mantissa, b.band_pct.scale) < 0;
}

}  // namespace

std::size_t resolved::count(source s) const noexcept {
  return static_cast<std::size_t>(std::count_if(baseline->entries().begin(), baseline->entries().end(),
                                                [s](const entry& e) { return e.from == s; }));
}

bool resolve(const resolve_inputs& in, resolved& out, std::string& error) {
  std::vector<entry> entries;
  if (in.file) entries = in.file->entries();
  std::map<book_key, need> needs;
  for (const auto& b : in.books) {
    need n;
    n.wanted.assign(in.bands_pct.size(), {false, false});
    n.window.assign(in.bands_pct.size(), {0, 0});
    n.trailing.assign(in.bands_pct.size(), {0, 0});
    for (std::size_t i = 0; i < in.bands_pct.size(); ++i)
      for (core::side s : {core::side::bid, core::side::ask})
        n.wanted[i][static_cast<std::size_t>(s)] = !(in.file && in.file->find(b.venue, b.symbol, s, in.bands_pct[i]));
    needs.emplace(book_key{b.venue, b.symbol}, std::move(n));
  }
  auto take = [&](source from, core::unix_nanos ws, core::unix_nanos we, bool trailing) {
    return [&, from, ws, we, trailing](const book_key& k, need& n, std::size_t i, std::size_t s,
                                       std::vector<double>& v) {
      (trailing ? n.trailing : n.window)[i][s] = v.size();
      if (v.size() < in.min_samples || v.empty()) return;
      entry e;
      e.venue = k.first;
      e.symbol = k.second;
      e.side = static_cast<core::side>(s);
      e.band_pct = in.bands_pct[i];
      e.depth_usd = *quantile(v, in.quantile);
      e.samples = v.size();
      e.window_start = ws;
      e.window_end = we;
      e.from = from;
      entries.push_back(std::move(e));
      n.wanted[i][s] = false;
    };
  };
  bool ok = true;
  const char* unreadable = nullptr;
  if (in.store) {
    ok = gather(*in.store, in.window_start, in.window_end, in.bands_pct, needs,
                take(source::history, in.window_start, in.window_end, false), error);
    const core::unix_nanos ts = in.now - static_cast<core::unix_nanos>(in.trailing_window.count());
    if (ok) ok = gather(*in.store, ts, in.now, in.bands_pct, needs, take(source::trailing_median, ts, in.now, true), error);
    if (!ok) unreadable = "the history store could not be read";
  }
  out = resolved{};
  out.min_samples = in.min_samples;
  out.resolved_at = in.now;
  for (const auto& [k, n] : needs)
    for (std::size_t i = 0; i < in.bands_pct.size(); ++i)
      for (std::size_t s = 0; s < 2; ++s) {
        if (!n.wanted[i][s]) continue;
        missing_entry m;
        m.venue = k.first;
        m.symbol = k.second;
        m.side = static_cast<core::side>(s);
        m.band_pct = in.bands_pct[i];
        m.window_samples = n.window[i][s];
        m.trailing_samples = n.trailing[i][s];
        if (unreadable) m.reason = unreadable;
        else if (!in.store) m.reason = "not in the baseline file, and no history store";
        else
          m.reason = "not in the baseline file; fewer than " + std::to_string(in.min_samples) +
                     " samples in the baseline window (" + std::to_string(m.window_samples) +
                     ") and in the trailing window (" + std::to_string(m.trailing_samples) + ")";
        out.missing.push_back(std::move(m));
      }
  std::sort(out.missing.begin(), out.missing.end(), key_less);
  out.baseline = std::make_shared<const table>(table::from_entries(in.file ? in.file->file() : std::string(), std::move(entries)));
  return ok;
}

std::string to_json(const resolved& r) {
  const table& t = *r.baseline;
  std::string out = "{\"file\":";
  if (t.file().empty()) out += "null";
  else core::append_json_string(out, t.file());
  out += ",\"resolved_at\":\"" + core::format_rfc3339(r.resolved_at) + "\",\"min_samples\":" +
         std::to_string(r.min_samples) + ",\"books\":[";
  const auto& es = t.entries();
  for (std::size_t i = 0; i < es.size();) {
    const entry& first = es[i];
    std::size_t end = i;
    bool mixed = false;
    while (end < es.size() && es[end].venue == first.venue && es[end].symbol == first.symbol) {
      mixed = mixed || es[end].from != first.from;
      ++end;
    }
    if (i > 0) out += ',';
    out += "{\"venue\":";
    core::append_json_string(out, core::to_string(first.venue));
    out += ",\"symbol\":";
    core::append_json_string(out, first.symbol);
    out += ",\"source\":\"" + std::string(mixed ? "mixed" : to_string(first.from)) + "\",\"bands\":[";
    for (std::size_t j = i; j < end; ++j) {
      const entry& e = es[j];
      if (j > i) out += ',';
      out += "{\"pct\":" + core::to_string(e.band_pct) + ",\"side\":\"" + std::string(core::to_string(e.side)) +
             "\",\"source\":\"" + std::string(to_string(e.from)) + "\",\"depth_usd\":" + number_text(e.depth_usd) +
             ",\"samples\":" + std::to_string(e.samples) + ",\"window_start\":\"" +
             core::format_rfc3339(e.window_start) + "\",\"window_end\":\"" + core::format_rfc3339(e.window_end) + "\"}";
    }
    out += "]}";
    i = end;
  }
  out += "],\"missing\":[";
  for (std::size_t i = 0; i < r.missing.size(); ++i) {
    const auto& m = r.missing[i];
    if (i > 0) out += ',';
    out += "{\"venue\":";
    core::append_json_string(out, core::to_string(m.venue));
    out += ",\"symbol\":";
    core::append_json_string(out, m.symbol);
    out += ",\"side\":\"" + std::string(core::to_string(m.side)) + "\",\"pct\":" + core::to_string(m.band_pct) +
           ",\"window_samples\":" + std::to_string(m.window_samples) +
           ",\"trailing_samples\":" + std::to_string(m.trailing_samples) + ",\"reason\":";
    core::append_json_string(out, m.reason);
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace depthmon::baseline
