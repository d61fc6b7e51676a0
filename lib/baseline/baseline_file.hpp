// baseline/baseline_file.hpp — the baseline file of DESIGN.md ("Baseline"): one calm-window
// depth figure per (venue, symbol, side, band), read from CSV, looked up by the read model and
// served as JSON by /api/v1/baseline.
//
// Format: a header line `venue,symbol,side,band_pct,depth_usd,samples,window_start,window_end`,
// then one row per figure: venue as `depthmon replay --venue` names it, venue-native symbol,
// `bid`/`ask`, band in percent (decimal), USD depth (decimal, >= 0), sample count (>= 1), the
// window as RFC 3339 UTC instants (start < end). Blank lines are skipped; fields are not quoted.
//
// Threads: plain values; a loaded table is immutable and may be shared between threads.
// Errors: parse_baseline()/load_baseline() report every problem found (not only the first),
// each as "file:line: message"; the table is then left empty. Nothing throws out of here
// except std::bad_alloc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"

namespace depthmon::baseline {

inline constexpr std::string_view file_header =
    "venue,symbol,side,band_pct,depth_usd,samples,window_start,window_end";

// Where a baseline value came from: the baseline file, the daemon's history store over the
// configured window, or (no figure for the book in either) a trailing median of the daemon's
// own recent history, reported as such.
enum class source : std::uint8_t { file, history, trailing_median };
std::string_view to_string(source s) noexcept;

struct entry {
  core::venue venue = core::venue::binance;
  std::string symbol;
  core::side side = core::side::bid;
  core::decimal band_pct;
  double depth_usd = 0;
  std::uint64_t samples = 0;
  core::unix_nanos window_start = 0, window_end = 0;
  source from = source::file;
  std::uint32_t line = 0;  // in the file it came from
};

struct load_error {
  std::string file;
  std::uint32_t line = 0;  // 1-based; 0: the file itself (unreadable)
  std::string message;
  std::string to_string() const;  // "file:line: message" ("file: message" for line 0)
};

class table {
 public:
  // A table of computed entries (baseline resolution): sorted; of two entries for one key the
  // first is kept.
  static table from_entries(std::string file, std::vector<entry> entries);

  // The entry for one book side and band; band percentages compare by value (2 == 2.0).
  const entry* find(core::venue v, std::string_view symbol, core::side s,
                    core::decimal band_pct) const noexcept;
  std::optional<double> depth_usd(core::venue v, std::string_view symbol, core::side s,
                                  core::decimal band_pct) const noexcept;

  const std::vector<entry>& entries() const noexcept { return entries_; }
  const std::string& file() const noexcept { return file_; }
  bool empty() const noexcept { return entries_.empty(); }

 private:
  friend bool parse_baseline(std::string_view, const std::string&, table&,
                             std::vector<load_error>&);
  std::string file_;
  std::vector<entry> entries_;  // sorted by venue, symbol, side, band
};

// Parses CSV text; `name` is the file named in errors and in the table.
bool parse_baseline(std::string_view text, const std::string& name, table& out,
                    std::vector<load_error>& errors);
// Reads and parses `path`.
bool load_baseline(const std::string& path, table& out, std::vector<load_error>& errors);

// The /api/v1/baseline body: {"source":"file","file":...,"books":[{"venue","symbol",
// "source","bands":[{"pct","side","depth_usd","samples","window_start","window_end"}]}]}.
std::string to_json(const table& t);

}  // namespace depthmon::baseline
