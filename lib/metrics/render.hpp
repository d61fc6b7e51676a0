// metrics/render.hpp — /metrics: every metric of DESIGN.md "Metrics" in the Prometheus text
// format 0.0.4, built at scrape time from the read model (feed/published_view.hpp) and the
// figures the daemon passes in.
//
// The metric model and the text format are prometheus-cpp core's (MetricFamily,
// TextSerializer), but no prometheus::Registry: the families are built from published values on
// the scraping thread, so feed threads never take a registry mutex or touch a metric object.
// Label values come from configuration only (the board's slots: configured venues and symbols,
// bands and impact notionals; the daemon's configured receivers); a family whose figures are
// all absent still gets its HELP and TYPE lines.
//
// Threads: any thread; pure functions of their arguments (plus /proc/self for process_*).
// Errors: none; absent figures are left out (DESIGN.md: depth_usd complete bands only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/metric_family.h>

#include "core/time.hpp"
#include "feed/published_view.hpp"
#include "metrics/process_metrics.hpp"

namespace depthmon::metrics {

inline constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

struct alert_firing {
  std::string alertname, severity;
  std::uint64_t count = 0;  // alerts of that name and severity firing now
};

struct receiver_figures {
  std::string receiver;              // configured receiver name
  std::uint64_t delivered = 0, failed = 0;  // notifications_total{result="delivered"|"failed"}
  std::uint64_t outbox_pending = 0;
  // Issue 9: failed attempts that will be retried, notifications moved to the dead-letter table.
  std::uint64_t retried = 0, dead_letter = 0;
};

// Raw-frame records a venue's recording queue had no room for.
struct recording_drop {
  std::string venue;  // [[venue]] name
  std::uint64_t dropped = 0;
};

// The minute-history recorder's (daemon/history_recorder.hpp): rows committed, failed
// transactions, rows given up after the retry cap (the store was failing for that long).
struct history_figures {
  std::uint64_t rows_written = 0, write_failures = 0, rows_dropped = 0;
};

// What only the daemon knows.
struct daemon_figures {
  std::string version;  // build_info{version}
  bool config_last_reload_successful = true;
  core::unix_nanos config_last_reload_success_time = 0;  // 0: not known (not rendered)
  std::vector<alert_firing> alerts;          // empty until issue 9's alert thread
  std::vector<receiver_figures> receivers;   // configured receivers only
  std::vector<recording_drop> recording_dropped;  // [recording] on: one per recorded venue
  std::optional<history_figures> history;         // the recorder runs (also with [history] off)
};

// The depthmon_* families (without process_*), in DESIGN.md order.
std::vector<prometheus::MetricFamily> collect(const feed::published_view& view,
                                              const daemon_figures& daemon);

// Text format 0.0.4 of collect(view, daemon) followed by the process_* families.
std::string render(const feed::published_view& view, const daemon_figures& daemon,
                   const process_figures& process = read_process_figures());
std::string serialize(const std::vector<prometheus::MetricFamily>& families);

}  // namespace depthmon::metrics
