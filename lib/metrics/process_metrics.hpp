// metrics/process_metrics.hpp — the standard process_* metrics of the Prometheus client
// libraries (process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds, process_start_time_seconds),
// read from /proc at scrape time.
//
// Threads: any thread (reads /proc/self only). Errors: a figure /proc does not give (not Linux,
// file unreadable) is left out of the output rather than reported as 0.
#pragma once

#include <optional>
#include <vector>

#include <prometheus/metric_family.h>

namespace depthmon::metrics {

struct process_figures {
  std::optional<double> cpu_seconds, resident_bytes, virtual_bytes, open_fds, max_fds,
      start_time_seconds;
};

process_figures read_process_figures();
// One family per figure present.
void append_process_families(const process_figures& p, std::vector<prometheus::MetricFamily>& out);

}  // namespace depthmon::metrics
