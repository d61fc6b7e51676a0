// alert/alert_config.hpp — the alerting part of depthmond's configuration as plain values:
// the `[alert]` table, its `[[alert.rule]]`s and `[[alert.receiver]]`s. lib/config parses the
// TOML into these (with file:line errors); lib/alert evaluates rules and delivers to receivers
// from them. Header only, no I/O, so lib/config may include it (as it does feed/config.hpp).
//
// Threads: plain values. Errors: none here; validation lives in lib/config.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "core/decimal.hpp"
#include "core/ids.hpp"

namespace depthmon::alert {

enum class rule_kind : std::uint8_t {
  depth_below_baseline,  // USD depth / baseline below threshold (ratio, e.g. 0.7)
  depth_drop,            // USD depth fell by threshold (fraction, e.g. 0.3) within `window`
  depth_below_usd,       // USD depth below threshold (absolute USD)
  spread_wide,           // spread above threshold (bps)
  impact_high,           // price impact of `notional_usd` above threshold (bps)
  book_stale,            // no update for threshold (seconds) while the feed is up
  feed_down,             // the venue's feed is not up
};

// Per book (venue, symbol) or per base asset summed over venues (asset depth, asset baseline).
enum class rule_scope : std::uint8_t { book, asset };

// Alertmanager-style matcher on an alert's labels: =, !=, =~, !~ (regex fully anchored).
struct label_matcher {
  enum class op : std::uint8_t { eq, ne, re, nre };
  std::string name;
  op match = op::eq;
  std::string value;
  friend bool operator==(const label_matcher&, const label_matcher&) = default;
};

struct rule_config {
  std::string name;                  // the alert's `alertname`
  rule_kind kind = rule_kind::depth_below_baseline;
  rule_scope scope = rule_scope::book;
  // Which books/assets it applies to; empty = all. Venues by `depthmon replay --venue` name,
  // symbols venue-native, bases upper-case ("BTC").
  std::vector<core::venue> venues;
  std::vector<std::string> symbols;
  std::vector<std::string> bases;
  std::vector<core::decimal> bands_pct;   // depth rules; empty = depth.headline_pct
  std::vector<core::side> sides;          // depth / impact rules; empty = both
  double threshold = 0;                   // fires when the value crosses it (see rule_kind)
  std::optional<double> resolve_threshold;  // hysteresis; default = threshold
  std::chrono::milliseconds window{0};    // depth_drop: the look-back
  std::int64_t notional_usd = 0;          // impact_high: one of depth.impact_notionals_usd
  std::chrono::milliseconds for_{0};      // pending this long before firing
  std::chrono::milliseconds keep_firing_for{0};  // stays firing this long after clearing
  std::string severity = "warning";       // label `severity`
  std::map<std::string, std::string> labels;       // extra labels (static)
  // Templates: "{{ depth_usd }}", "{{ baseline_usd }}", "{{ ratio }}", "{{ value }}",
  // "{{ threshold }}", "{{ exchange }}", "{{ symbol }}", "{{ base }}", "{{ side }}",
  // "{{ band_pct }}", "{{ runbook_url }}" (and any label as "{{ labels.NAME }}").
  std::map<std::string, std::string> annotations;  // summary, description, ...
  std::string runbook_url;
  std::uint32_t line = 0;                 // in the config file (errors, logs)
};

enum class receiver_kind : std::uint8_t { webhook, slack, discord, telegram, pagerduty, alertmanager };

struct receiver_config {
  std::string name;                       // label `receiver` of the notification metrics
  receiver_kind kind = receiver_kind::webhook;
  // webhook: the endpoint; slack/discord: the incoming-webhook URL (a secret: prefer url_file);
  // telegram: the Bot API base (default https://api.telegram.org); pagerduty: Events v2 base
  // (default https://events.pagerduty.com); alertmanager: the Alertmanager base URL (it posts
  // to /api/v2/alerts).
  std::string url;
  std::string url_file;                   // the URL read from a file (secret webhook URLs)
  // Secret material is never inline: a file path, or a systemd credential name looked up in
  // $CREDENTIALS_DIRECTORY. webhook: Standard Webhooks signing secret ("whsec_<base64>" or raw);
  // telegram: bot token; pagerduty: routing key.
  std::string secret_file;
  std::string secret_credential;
  std::string chat_id;                    // telegram
  std::string ca_file;                    // extra trust anchor (tests, private CAs)
  std::vector<label_matcher> match;       // routing: all must match; empty = every alert
  std::vector<std::string> group_by;      // empty = [alert].group_by
  std::optional<std::chrono::milliseconds> group_wait, group_interval, repeat_interval;
  bool send_resolved = true;
  std::chrono::milliseconds timeout{10'000};        // per attempt
  std::chrono::milliseconds backoff_initial{1'000}; // full jitter, doubling
  std::chrono::milliseconds backoff_max{60'000};
  std::chrono::milliseconds max_retry_duration{24 * 3'600'000};  // then dead letter
  std::uint32_t max_attempts = 0;         // 0 = bounded by max_retry_duration only
  double rate_limit_per_s = 1.0;          // token bucket per receiver
  std::uint32_t rate_limit_burst = 5;
  std::uint32_t line = 0;
};

struct alert_config {
  std::chrono::milliseconds cadence{250};           // evaluation period of the alert thread
  std::vector<std::string> group_by{"alertname", "exchange", "symbol"};
  std::chrono::milliseconds group_wait{30'000};
  std::chrono::milliseconds group_interval{300'000};
  std::chrono::milliseconds repeat_interval{4 * 3'600'000};
  bool inhibit_when_feed_down = true;     // per-book alerts of a venue whose feed_down fires
  std::vector<rule_config> rules;
  std::vector<receiver_config> receivers;
};

// Equal in everything but the line they sit on: a reload keeps an unchanged rule's alert state
// and an unchanged receiver's groups even when other tables moved them in the file.
inline bool same_rule(const rule_config& a, const rule_config& b) noexcept {
  auto tie = [](const rule_config& r) {
    return std::tie(r.name, r.kind, r.scope, r.venues, r.symbols, r.bases, r.bands_pct, r.sides, r.threshold,
                    r.resolve_threshold, r.window, r.notional_usd, r.for_, r.keep_firing_for, r.severity, r.labels,
                    r.annotations, r.runbook_url);
  };
  return tie(a) == tie(b);
}

inline bool same_receiver(const receiver_config& a, const receiver_config& b) noexcept {
  auto tie = [](const receiver_config& r) {
    return std::tie(r.name, r.kind, r.url, r.url_file, r.secret_file, r.secret_credential, r.chat_id, r.ca_file,
                    r.match, r.group_by, r.group_wait, r.group_interval, r.repeat_interval, r.send_resolved,
                    r.timeout, r.backoff_initial, r.backoff_max, r.max_retry_duration, r.max_attempts,
                    r.rate_limit_per_s, r.rate_limit_burst);
  };
  return tie(a) == tie(b);
}

// [alert] with its rules and receivers, lines ignored (config_diff::alert_changed).
inline bool same_alert_config(const alert_config& a, const alert_config& b) noexcept {
  return std::tie(a.cadence, a.group_by, a.group_wait, a.group_interval, a.repeat_interval,
                  a.inhibit_when_feed_down) == std::tie(b.cadence, b.group_by, b.group_wait, b.group_interval,
                                                        b.repeat_interval, b.inhibit_when_feed_down) &&
         a.rules.size() == b.rules.size() && a.receivers.size() == b.receivers.size() &&
         std::equal(a.rules.begin(), a.rules.end(), b.rules.begin(), same_rule) &&
         std::equal(a.receivers.begin(), a.receivers.end(), b.receivers.begin(), same_receiver);
}

}  // namespace depthmon::alert
