// alert/rules.hpp — the rules engine: every [[alert.rule]] evaluated against one read-model
// copy (feed::published_view) per pass, each (rule, labels) series through its lifecycle.
//
// Kinds and their value (DESIGN.md "Alerts and receivers"; alert_config.hpp):
//   depth_below_baseline  depth / baseline per book (or per asset aggregate), band and side
//   depth_drop            fall from the highest value seen within `window` (a small ring of
//                         past values per series), as a fraction
//   depth_below_usd       USD depth
//   spread_wide           spread in bps;  impact_high: bps to fill `notional_usd`
//   book_stale            seconds since the book's last receive (receive time only) while its
//                         venue's feed is up
//   feed_down             1 while the venue's feed is not up, else 0 (threshold 0)
// A depth rule on an incomplete band gets no value: its alert neither fires nor resolves (held).
// A series that disappears (book removed, rule removed or changed by a reload) resolves.
// Labels: alertname, severity, exchange, symbol, base, side, band_bps as they apply, then the
// rule's labels. Annotations: the rule's templates (defaults for summary and description)
// with the current values, plus depth_usd, baseline_usd, ratio, runbook_url where known.
//
// Threads: owned by the alert thread (evaluate, set_rules); results are plain values.
// Errors: none; a rule whose band or notional is not configured simply has no series.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "alert/alert_config.hpp"
#include "alert/lifecycle.hpp"
#include "alert/notification.hpp"
#include "core/decimal.hpp"
#include "feed/published_view.hpp"

namespace depthmon::alert {

struct engine_settings {
  core::decimal headline_pct{2, 0};  // a depth rule without bands_pct watches this band
};

// One pending or firing alert as /api/v1/alerts shows it.
struct active_alert {
  alert_instance alert;            // labels, annotations, starts_at (firing), fingerprint
  phase state = phase::pending;
  core::unix_nanos active_at = 0;  // pending since
  double value = 0;
  bool inhibited = false;          // per-book alert of a venue whose feed_down fires
};

// A lifecycle change, for the log.
struct alert_event {
  transition what = transition::none;
  alert_instance alert;
  double value = 0;
};

struct evaluation {
  // Firing alerts now and those resolved in this pass (status resolved, ends_at set): the
  // grouping input.
  std::vector<alert_instance> alerts;
  std::vector<alert_event> events;         // pending, fired, dropped, resolved
  std::set<std::string> feeds_down;        // exchanges whose feed_down alert fires
  std::vector<active_alert> active;        // pending + firing, for the API
};

// The value's direction for the kind.
direction direction_of(rule_kind k) noexcept;
std::string_view to_string(rule_kind k) noexcept;

// What the alert thread publishes after each pass (for /api/v1/alerts and alerts_firing).
struct alert_report {
  core::unix_nanos evaluated_at = 0;
  std::vector<active_alert> alerts;                           // pending + firing
  std::vector<std::pair<std::string, std::string>> rules;    // configured (alertname, severity)
};

class rule_engine {
 public:
  rule_engine() = default;
  explicit rule_engine(std::vector<rule_config> rules, engine_settings s = {}) { set_rules(std::move(rules), s); }

  // Unchanged rules (alert_config.hpp same_rule) keep their alerts' state; the alerts of removed
  // or changed rules resolve in the next evaluate().
  void set_rules(std::vector<rule_config> rules, engine_settings s = {});
  evaluation evaluate(const feed::published_view& v, core::unix_nanos now);
  std::size_t rule_count() const noexcept { return rules_.size(); }

 private:
  struct series {
    alert_state st;
    alert_instance inst;  // labels, fingerprint, annotations (last rendered)
    bool seen = false;
  };
  struct sample {
    core::unix_nanos at = 0;
    double value = 0;
  };
  struct rule_state {
    rule_config cfg;
    condition cond;
    timing tm;
    std::map<std::uint64_t, series> alerts;               // by fingerprint
    std::map<std::uint64_t, std::deque<sample>> history;  // depth_drop look-back, by fingerprint
  };
  std::vector<rule_state> rules_;
  std::vector<alert_instance> orphans_;  // firing alerts of removed rules: resolved next pass
  engine_settings settings_;
};

}  // namespace depthmon::alert
