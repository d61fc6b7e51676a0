// feed/published_view.hpp — the read model: one consistent copy of everything published, with
// USD figures, baselines and per-asset aggregates attached. /metrics, the HTTP API and the
// alert thread read this, never a live book and never a slot twice in one pass.
//
// take_view() copies each book's snapshot and each feed's status and histograms once, then
// values every band side in USD from those copies only (notional × usd_per_quote, the quote
// rate resolved by usd_rates over the copied mids), attaches the baseline figure of each
// (venue, symbol, side, band) and sums per base asset with depth::aggregate_by_asset.
// A band side is valued only while the book is live, its figures did not overflow, the band is
// complete and the quote has a rate; otherwise it is missing (std::nullopt), never partial.
//
// Threads: take_view() from any thread (it only reads seqlocks and atomics); the result is a
// plain value owned by the caller. Errors: none; absent figures are std::nullopt.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "baseline/baseline_file.hpp"
#include "core/latency_histogram.hpp"
#include "depth/aggregate.hpp"
#include "depth/bands.hpp"
#include "depth/book_snapshot.hpp"
#include "feed/published.hpp"
#include "feed/usd_rates.hpp"

namespace depthmon::feed {

// The configured figures every book reports (config::depth_config, as bands).
struct view_settings {
  depth::band_set bands = depth::default_bands();
  std::vector<std::int64_t> impact_notionals_usd{100'000, 1'000'000};
};

struct book_view {
  std::shared_ptr<const book_slot> slot;
  depth::book_snapshot snapshot;
  std::optional<double> usd_per_quote;  // quote rate × contract value
  depth::book_usd_depth usd;            // base; [band][side] USD depth and baseline

  const book_identity& id() const noexcept { return slot->identity; }
  bool live() const noexcept { return snapshot.live() && snapshot.depth.has_mid; }
  // The band side is complete now (live, no overflow, band published, side covered).
  bool band_complete(std::size_t band, core::side s) const noexcept;
  std::optional<double> depth_usd(std::size_t band, core::side s) const noexcept;
  std::optional<double> baseline_usd(std::size_t band, core::side s) const noexcept;
  std::optional<double> baseline_ratio(std::size_t band, core::side s) const noexcept;
  std::optional<double> mid() const noexcept;         // live only
  std::optional<double> spread_bps() const noexcept;  // live only
};

struct feed_view {
  std::shared_ptr<const feed_slot> slot;
  feed_status status;
  core::latency_histogram::reading processing;
  core::latency_histogram::reading feed_latency;
  core::venue venue() const noexcept { return slot->venue; }
};

struct published_view {
  core::unix_nanos taken_at = 0;
  view_settings settings;
  std::vector<book_view> books;  // board order
  std::vector<feed_view> feeds;  // board order
  std::vector<depth::asset_depth> assets;  // sorted by base, band, side
  const baseline::table* baseline = nullptr;  // the table attached (may be null)
  std::shared_ptr<const baseline::table> baseline_owner;  // keeps `baseline` alive when shared

  const book_view* find(core::venue v, std::string_view symbol) const noexcept;
};

// `baseline` may be null (no baseline file); it must outlive the view's use of it.
published_view take_view(const board& b, const usd_rates& rates,
                         const baseline::table* baseline, const view_settings& settings,
                         core::unix_nanos now);

}  // namespace depthmon::feed
