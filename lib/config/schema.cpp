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
      {"alert", {"cadence", "group_by", "group_wait", "group_interval", "repeat_interval", "inhibit_when_feed_down"}},
      {"alert.rule[]",
       {"name", "kind", "scope", "venues", "symbols", "bases", "bands_pct", "sides", "threshold", "resolve_threshold",
        "window", "notional_usd", "for", "keep_firing_for", "severity", "runbook_url"}},
      {"alert.rule[].labels", {}, true},
      {"alert.rule[].annotations", {}, true},
      // secret, token and routing_key are listed so that their error says what to do instead.
      {"alert.receiver[]",
       {"name", "kind", "url", "url_file", "secret_file", "secret_credential", "chat_id", "ca_file", "match",
        "group_by", "group_wait", "group_interval", "repeat_interval", "send_resolved", "timeout", "backoff_initial",
        "backoff_max", "max_retry_duration", "max_attempts", "rate_limit_per_s", "rate_limit_burst", "secret", "token",
        "routing_key"}},
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
