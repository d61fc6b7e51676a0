// baseline/sources.hpp — the four inputs `depthmon baseline build` turns into depth samples:
// the daemon's history store, recorded raw feeds (replayed through the real codecs), Tardis.dev
// `incremental_book_L2` CSV (gzip too) and a Coin Metrics market-metrics CSV export. Each
// streams its input (bounded memory, whatever the size) and calls `visit` once per depth figure
// inside [window_start, window_end); the builder (baseline/builder.hpp) reduces them to the
// baseline CSV of DESIGN.md.
//
// Threads: each call runs on the caller's thread. Errors: false plus a message in `error`
// naming the file and line (or the record) and what was expected; nothing throws out of here
// except bad_alloc. A record outside the window is skipped, not an error.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "baseline/history_store.hpp"
#include "core/decimal.hpp"
#include "core/time.hpp"

namespace depthmon::baseline {

using sample_visitor = std::function<void(const depth_sample&)>;

struct sample_options {
  core::unix_nanos window_start = 1'759'276'800'000'000'000;  // 2025-10-01T00:00:00Z
  core::unix_nanos window_end = 1'760'054'400'000'000'000;    // 2025-10-10T00:00:00Z
  std::vector<core::decimal> bands_pct;   // which bands to sample (rebuilt books); empty: defaults
  // USD per unit of quote currency for rebuilt books ("USDT" -> 1.0); a quote without a rate
  // is an error naming it, never a silent 1.
  std::map<std::string, double> usd_per_quote;
  // Base units per contract for vendors whose amounts are contracts (Tardis okex-swap), by
  // venue-native symbol ("BTC-USDT-SWAP" -> 0.01); a contract-sized book without one is an error.
  std::map<std::string, core::decimal> contract_value;
  std::chrono::seconds sample_every{60};  // rebuilt books: one sample per minute boundary
  // Called now and then with bytes consumed so far and the total (0 when unknown).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
};

bool samples_from_history(const history_store& store, const sample_options& opt,
                          const sample_visitor& visit, std::string& error);
// Files written by the daemon's raw-frame recorder (config [recording]).
bool samples_from_raw(const std::vector<std::string>& files, const sample_options& opt,
                      const sample_visitor& visit, std::string& error);
// Tardis.dev incremental_book_L2 CSV (.csv or .csv.gz).
bool samples_from_tardis(const std::vector<std::string>& files, const sample_options& opt,
                         const sample_visitor& visit, std::string& error);
// Coin Metrics market-metrics CSV (`market,time,liquidity_depth_{X}_percent_{bid|ask}_volume_usd…`).
bool samples_from_coinmetrics(const std::vector<std::string>& files, const sample_options& opt,
                              const sample_visitor& visit, std::string& error);

}  // namespace depthmon::baseline
