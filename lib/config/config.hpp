// config/config.hpp — depthmond's configuration: the TOML schema as values, its loader with
// file:line:column errors, and the difference between two configurations (what a reload
// changes).
//
// DESIGN.md fixes the keys other tools write (state_dir, [http].listen, [[venue]] name,
// symbols, ws_url, rest_url, ca_file, settings); everything else is documented key by key in
// config/README.md, which also says which keys reload live. The valid keys of each table are
// listed once, in config/schema.hpp.
//
// Threads: plain values and pure functions. Errors: load_config() returns every problem found
// (not only the first), each with its position, the key and what was expected; unknown keys
// are errors with a did-you-mean. Nothing throws out of this module.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "core/ids.hpp"
#include "alert/alert_config.hpp"
#include "core/time.hpp"
#include "feed/config.hpp"

namespace depthmon::config {

struct http_config {
  std::string listen = "127.0.0.1:18095";
  std::string cert_file, key_file;                     // TLS when both are set
  std::map<std::string, std::string> basic_auth_users;  // user -> credential file path
  std::size_t max_connections = 128;
  std::size_t max_header_bytes = 8 * 1024;
  std::chrono::milliseconds request_timeout{10'000};
};

struct log_config {
  std::string format = "auto";  // auto (journal under systemd, else text) | text | json | journal
  std::string level = "info";   // trace | debug | info | warn | error
};

struct depth_config {
  // Ascending, unique (decimal{mantissa, scale}: 0.1 0.25 0.5 1 2 5 10 by default).
  std::vector<core::decimal> bands_pct{{1, 1}, {25, 2}, {5, 1}, {1, 0}, {2, 0}, {5, 0}, {10, 0}};
  std::vector<std::int64_t> impact_notionals_usd{100'000, 1'000'000};  // ascending, unique
  core::decimal headline_pct{2, 0};  // the figure `depthmon status` and the demo lead with; in bands_pct
};

// How one quote currency is valued in USD: a fixed rate or a reference book's published mid.
struct rate_source {
  std::string currency;              // "USDT"
  std::optional<core::decimal> fixed;
  core::venue venue = core::venue::kraken;  // reference book (when not fixed)
  std::string symbol;                // e.g. "USDT/USD" on kraken
  bool invert = false;               // the book quotes USD per... the other way round
};

struct baseline_config {
  std::string file;                  // baseline CSV (DESIGN.md); empty: none
  core::unix_nanos window_start = 1'759'276'800'000'000'000;  // 2025-10-01T00:00:00Z
  core::unix_nanos window_end = 1'760'054'400'000'000'000;    // 2025-10-10T00:00:00Z
  double quantile = 0.5;             // of the window's samples (0.5: the median)
};

// `[history]`: the minute store under state_dir (baseline source, trailing-median fallback).
struct history_config {
  bool enabled = true;
  std::string file = "history.sqlite";           // relative to state_dir
  std::chrono::hours retention{24 * 400};        // rows older than this are pruned
  std::chrono::hours trailing_window{24 * 7};    // fallback baseline: median over this
  std::uint64_t min_samples = 60;                // fewer: no baseline (reported, never silent)
};

// `[recording]`: optional raw-frame recording (rotating compressed files under state_dir)
// that `depthmon replay` and `depthmon baseline build --from raw` read back.
struct recording_config {
  bool enabled = false;
  std::string dir = "recordings";                // relative to state_dir
  std::uint64_t rotate_bytes = 256ull << 20;     // uncompressed bytes per file
  std::chrono::minutes rotate_interval{60};
  std::uint64_t max_total_bytes = 20ull << 30;   // oldest files deleted beyond this
  std::uint64_t queue_bytes = 8ull << 20;        // per venue: feed thread -> writer (full: dropped, counted)
};

struct daemon_config {
  std::string source;                  // the file it was read from
  std::string state_dir = "/var/lib/depthmon";
  unsigned io_threads = 1;
  http_config http;
  log_config log;
  depth_config depth;
  std::vector<rate_source> rates;
  baseline_config baseline;
  history_config history;
  recording_config recording;
  alert::alert_config alert;
  std::vector<feed::venue_config> venues;
};

// Relative paths in a config file (state_dir, ca_file, cert/key/credential files, baseline
// file) are resolved against the config file's directory; load_config stores them resolved.
struct config_error {
  std::string file;
  std::uint32_t line = 0, column = 0;  // 1-based; 0 when the problem has no position
  std::string key;                     // dotted path, e.g. "venue[2].symbols"
  std::string message;                 // what was expected / found, and a did-you-mean
  std::string to_string() const;       // "file:line:column: key: message"
};

// Reads and validates `path`. On any error `out` is left unspecified and every error found is
// in `errors`.
bool load_config(const std::string& path, daemon_config& out, std::vector<config_error>& errors);
// The same from text (tests, --check-config of stdin); `name` is used as the file in errors.
bool parse_config(std::string_view text, const std::string& name, daemon_config& out,
                  std::vector<config_error>& errors);

// What applying `next` over `current` changes. A venue is identified by its name; one whose
// connection-level keys (URLs, CA, settings, timings) changed is restarted; one whose symbols
// alone changed gets them added and removed on its running connections where it can.
struct config_diff {
  std::vector<std::string> venues_added, venues_removed, venues_restarted;
  std::map<std::string, std::vector<std::string>> symbols_added, symbols_removed;  // by venue
  bool http_changed = false;       // listen/TLS/auth: needs a restart (reported, not applied)
  bool io_threads_changed = false; // likewise
  bool depth_changed = false;      // bands/notionals: every book republishes
  bool rates_changed = false, baseline_changed = false, log_changed = false, state_dir_changed = false;
  bool alert_changed = false, history_changed = false, recording_changed = false;
  bool empty() const noexcept;
};

config_diff diff(const daemon_config& current, const daemon_config& next);

}  // namespace depthmon::config
