// alert/grouping.hpp — from the engine's alerts to notifications, with Alertmanager's
// semantics (operations.md 2.5): each receiver's route (label matchers, all must match) takes
// the alerts it matches; they are grouped by the receiver's group_by labels (else
// [alert].group_by). A new group is flushed group_wait after its first alert; after that it is
// looked at every group_interval and flushed when its set of firing/resolved alerts changed,
// or when repeat_interval has passed since the last flush with alerts still firing. Resolved
// alerts go out once (when send_resolved) and then leave the group; an empty group is dropped.
// Inhibition: while a venue's feed_down alert fires, that venue's per-book alerts (those with
// an `exchange` and a `symbol` label) are muted: left out of notifications, not resolved.
//
// Each flush is one alert::notification handed to the sink (the durable outbox); a refused
// submit is retried at the group's next interval.
//
// Threads: owned by the alert thread. All time is passed in (`now`), so tests compress it.
// Errors: configure() reports a bad matcher regex in `why` and keeps the old routing.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "alert/alert_config.hpp"
#include "alert/labels.hpp"
#include "alert/notification.hpp"

namespace depthmon::alert {

class grouper {
 public:
  // Receivers whose config is unchanged keep their groups (and so their timers).
  bool configure(const alert_config& c, std::string* why = nullptr);
  // One pass: `alerts` = the engine's firing alerts and those resolved this pass. Submits due
  // flushes to `sink` (null: nothing is delivered and no groups are kept). Returns how many
  // notifications were submitted.
  std::size_t process(const std::vector<alert_instance>& alerts, const std::set<std::string>& feeds_down,
                      core::unix_nanos now, notification_sink* sink);
  std::size_t groups() const noexcept;

 private:
  struct group {
    label_set group_labels;
    std::map<std::uint64_t, alert_instance> alerts;
    core::unix_nanos next_flush = 0;
    core::unix_nanos last_sent = 0;
    bool sent = false;
    std::set<std::pair<std::uint64_t, alert_status>> last_set;  // what the last flush carried
  };
  struct route {
    receiver_config cfg;
    std::vector<compiled_matcher> match;
    std::vector<std::string> group_by;
    std::int64_t wait = 0, interval = 0, repeat = 0;  // nanoseconds
    std::map<std::string, group> groups;               // by group key
  };
  std::vector<route> routes_;
  bool inhibit_ = true;  // [alert].inhibit_when_feed_down
};

}  // namespace depthmon::alert
