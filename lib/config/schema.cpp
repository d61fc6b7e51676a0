#include "config/schema.hpp"

#include <algorithm>

namespace depthmon::config {

// Keep config/README.md in step: every key here is documented there.
std::span<const table_schema> schema() {
  static const std::vector<table_schema> rows = {
      {"", {"state_dir", "io_threads"}},
      {"http", {"listen", "cert_file", "key_file", "max_connections", "max_header_bytes", "request_timeout_s"}},
      {"http.basic_auth_users", {}, true},
      {"log", {"format", "level"}},
      {"depth", {"bands_pct", "headline_pct", "impact_notionals_usd"}},
      {"baseline", {"file", "window_start", "window_end", "quantile"}},
      {"history", {"enabled", "file", "retention_days", "trailing_window_h", "min_samples"}},
      {"recording", {"enabled", "dir", "rotate_bytes", "rotate_interval_min", "max_total_bytes", "queue_bytes"}},
      {"rate[]", {"currency", "fixed", "book", "invert"}},
      {"venue[]",
       {"name", "symbols", "ws_url", "rest_url", "ca_file", "snapshot_depth", "rest_weight_per_minute",
        "stale_after_s", "idle_timeout_s", "connect_timeout_s", "request_timeout_s", "max_connection_age_s"}},
      {"venue[].settings", {}, true},
  };
  return rows;
}

const table_schema* find_table(std::string_view path) noexcept {
  const auto rows = schema();
  const auto it = std::find_if(rows.begin(), rows.end(), [&](const table_schema& r) { return r.path == path; });
  return it == rows.end() ? nullptr : &*it;
}

}  // namespace depthmon::config
