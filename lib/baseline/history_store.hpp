// baseline/history_store.hpp — the daemon's own depth history: one row per book per minute in
// an embedded SQLite database under the state directory (WAL, synchronous=NORMAL, schema
// versioned with migrations). The recorder writes it; baseline building (source "history"),
// the trailing-median fallback and per-asset aggregates read it.
//
// A row holds, for one book and one minute, each configured band's bid and ask USD depth
// (null when the band was not complete at the sample), mid, spread, price impact per notional
// and side, and the fraction of the minute the book was live.
//
// Threads: one history_store per thread (SQLite connection); the recorder's thread writes,
// other threads open their own read connection. Errors: false / null plus a message naming
// the file and SQLite's reason in `error`; nothing throws out of here except bad_alloc.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"

namespace depthmon::baseline {

struct band_row {
  core::decimal band_pct;
  std::optional<double> bid_usd, ask_usd;  // null: band side incomplete at the sample
};

struct impact_row {
  std::int64_t notional_usd = 0;
  std::optional<double> bid_bps, ask_bps;  // null: the complete book could not fill it
};

struct minute_row {
  core::venue venue = core::venue::binance;
  std::string symbol;                 // venue-native
  std::string base, quote;            // "BTC", "USDT"
  core::unix_nanos minute = 0;        // start of the minute (multiple of 60 s)
  std::optional<double> mid, spread_bps;
  double live_fraction = 0;           // 0..1
  std::vector<band_row> bands;
  std::vector<impact_row> impacts;
};

// One depth figure from any source, the unit baseline building works on.
struct depth_sample {
  core::venue venue = core::venue::binance;
  std::string symbol;
  core::side side = core::side::bid;
  core::decimal band_pct;
  double depth_usd = 0;
  core::unix_nanos time = 0;
};

// One step of the schema's history: the SQL that takes a file from version - 1 to `version`.
// Steps run in order, each in its own transaction that also sets PRAGMA user_version, so a
// crash mid-migration leaves the file at the last completed version.
struct migration {
  int version = 0;
  const char* sql = "";
};

class history_store {
 public:
  // Opens (creating when absent) and migrates to the current schema version. A file whose
  // version is newer than this build knows is refused (never downgraded).
  static std::unique_ptr<history_store> open(const std::string& path, std::string& error);
  // The same with a given migration list (tests exercise future migrations with it).
  static std::unique_ptr<history_store> open(const std::string& path, std::string& error,
                                             std::span<const migration> migrations);
  // This build's migrations, v1 first.
  static std::span<const migration> migrations() noexcept;
  ~history_store();
  history_store(const history_store&) = delete;
  history_store& operator=(const history_store&) = delete;

  static constexpr int current_schema_version = 1;
  int schema_version() const noexcept;
  const std::string& path() const noexcept;

  // One transaction; a row for an existing (venue, symbol, minute) replaces it.
  bool insert(const std::vector<minute_row>& rows, std::string& error);
  // Deletes rows with minute < cutoff (retention).
  bool prune(core::unix_nanos cutoff, std::string& error);
  // Every complete depth figure with window_start <= minute < window_end, in (venue, symbol,
  // minute) order.
  bool for_each_sample(core::unix_nanos window_start, core::unix_nanos window_end,
                       const std::function<void(const depth_sample&)>& visit,
                       std::string& error) const;
  // The same for one book (nothing, and true, for a book never recorded).
  bool for_each_sample(core::venue v, std::string_view symbol, core::unix_nanos window_start,
                       core::unix_nanos window_end, const std::function<void(const depth_sample&)>& visit,
                       std::string& error) const;
  bool for_each_row(core::unix_nanos window_start, core::unix_nanos window_end,
                    const std::function<void(const minute_row&)>& visit, std::string& error) const;
  // PRAGMA integrity_check's verdict ("ok" when sound).
  std::string integrity_check() const;

  struct impl;

 private:
  explicit history_store(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace depthmon::baseline
