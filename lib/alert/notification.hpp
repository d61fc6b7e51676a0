// alert/notification.hpp — what the alert thread hands to delivery: one notification per
// (receiver, alert group) flush, carrying the group's alerts as Alertmanager's webhook v4
// describes them (labels, annotations, status, startsAt, endsAt, fingerprint). Receivers
// render it in their own wire format (webhook v4 JSON, Slack, Discord, Telegram, PagerDuty
// Events v2, Alertmanager API v2).
//
// Threads: plain values. notification_sink::submit() is called on the alert thread; an
// implementation makes the notification durable (the outbox) before returning and never
// blocks on a receiver. Errors: submit() returns a status; a failure is logged and counted by
// the caller, and the group is offered again on its next flush.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"

namespace depthmon::alert {

// Sorted by name, unique names (Prometheus label set semantics).
using label_set = std::vector<std::pair<std::string, std::string>>;

enum class alert_status : std::uint8_t { firing, resolved };

struct alert_instance {
  label_set labels;          // alertname, severity, exchange, symbol, base, side, band_bps, ...
  label_set annotations;     // summary, description, depth_usd, baseline_usd, ratio, runbook_url
  alert_status status = alert_status::firing;
  core::unix_nanos starts_at = 0;
  core::unix_nanos ends_at = 0;   // 0 while firing
  std::uint64_t fingerprint = 0;  // stable hash of labels (PagerDuty dedup_key, AM fingerprint)
};

struct notification {
  std::string id;            // Standard Webhooks `webhook-id`; the outbox assigns it when empty
  std::string receiver;      // receiver_config::name
  std::string group_key;     // stable per (receiver, group labels)
  label_set group_labels, common_labels, common_annotations;
  alert_status status = alert_status::firing;  // firing if any alert in it fires
  std::vector<alert_instance> alerts;
  core::unix_nanos created = 0;
};

std::string_view to_string(alert_status s) noexcept;  // "firing" / "resolved"

class notification_sink {
 public:
  virtual ~notification_sink() = default;
  virtual core::status submit(notification n) = 0;
};

}  // namespace depthmon::alert
