// baseline/resolve.hpp — the daemon's effective baseline (DESIGN.md "Baseline", sources in
// order): for each configured book side and band, the baseline file's entry (source file);
// without one, the history store's samples over [window_start, window_end) when there are at
// least min_samples (source history); otherwise the same quantile over the daemon's own last
// `trailing_window` of history (source trailing_median) when there are at least min_samples;
// otherwise no baseline, and the book side and band is listed as missing with its sample counts
// (never a silent baseline from too few samples).
//
// The history store is read book by book, and only for books still lacking a figure, so
// memory is one book's samples whatever the store's size, and books the file covers cost
// nothing.
//
// Threads: resolve() runs on the caller's thread and uses `store` there (the recorder's
// thread: its own connection). The result is immutable and shared with readers.
// Errors: false plus a message (the store's) in `error`; the result then holds the file's
// entries only, with every other book side and band missing ("history unreadable").
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "baseline/baseline_file.hpp"
#include "baseline/history_store.hpp"

namespace depthmon::baseline {

struct book_ref {
  core::venue venue = core::venue::binance;
  std::string symbol;
};

struct resolve_inputs {
  const table* file = nullptr;           // the baseline file (may be null or empty)
  const history_store* store = nullptr;  // null: history disabled or unavailable
  std::vector<book_ref> books;           // the configured books
  std::vector<core::decimal> bands_pct;  // the configured bands
  core::unix_nanos window_start = 1'759'276'800'000'000'000;  // 2025-10-01T00:00:00Z
  core::unix_nanos window_end = 1'760'054'400'000'000'000;    // 2025-10-10T00:00:00Z
  double quantile = 0.5;
  std::uint64_t min_samples = 60;
  std::chrono::nanoseconds trailing_window = std::chrono::hours(24 * 7);
  core::unix_nanos now = 0;  // the trailing window is [now - trailing_window, now)
};

// A configured book side and band without a baseline, and why.
struct missing_entry {
  core::venue venue = core::venue::binance;
  std::string symbol;
  core::side side = core::side::bid;
  core::decimal band_pct;
  std::uint64_t window_samples = 0, trailing_samples = 0;  // what each history window held
  std::string reason;
};

struct resolved {
  std::shared_ptr<const table> baseline;  // never null
  std::vector<missing_entry> missing;     // sorted by venue, symbol, side, band
  std::uint64_t min_samples = 0;
  core::unix_nanos resolved_at = 0;
  std::size_t count(source s) const noexcept;  // entries from that source
};

bool resolve(const resolve_inputs& in, resolved& out, std::string& error);

// The /api/v1/baseline body: {"file":PATH|null,"resolved_at":RFC3339,"min_samples":N,
// "books":[{"venue","symbol","source","bands":[{"pct","side","source","depth_usd","samples",
// "window_start","window_end"}]}],"missing":[{"venue","symbol","side","pct","window_samples",
// "trailing_samples","reason"}]}. A book's "source" is its bands' source when they agree,
// "mixed" otherwise.
std::string to_json(const resolved& r);

}  // namespace depthmon::baseline
