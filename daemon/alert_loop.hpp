// daemon/alert_loop.hpp — depthmond's alert thread: on a fixed cadence (default 250 ms) it takes
// one read-model copy of the published board and
//   * logs each book going live (and leaving live after having been live),
//   * logs each band side crossing below its baseline and back: below once the ratio to the
//     baseline falls under k_below_ratio (0.9), back once it is at k_recovered_ratio (0.95) or
//     more; the gap keeps a calm book's few-percent wander around its baseline out of the log,
//   * evaluates the [[alert.rule]]s (alert::rule_engine) on that same copy, logs every alert
//     firing and resolving, routes and groups the alerts for the receivers (alert::grouper)
//     and submits each due notification to the sink (the durable outbox; none: no receivers),
//   * publishes the active alerts to api_state (/api/v1/alerts, depthmon_alerts_firing),
//   * keeps the counts the main thread reports (books live / configured, all ever live for
//     /-/ready and systemd STATUS).
//
// Threads: its own std::thread; start()/stop() from the main thread; configure() and set_sink()
// from any thread (applied at the start of the next pass, on the alert thread); counts() from
// any thread. Reads published snapshots only (api_state::view()). Errors: none escape; a
// refused submit is offered again at the group's next interval (alert::grouper); a receiver
// routing that cannot be compiled is logged and the previous one kept; logging goes to
// log_sink.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>

#include "alert/grouping.hpp"
#include "alert/notification.hpp"
#include "alert/rules.hpp"
#include "daemon/http_api.hpp"
#include "feed/log_sink.hpp"

namespace depthmon::daemon {

inline constexpr double k_below_ratio = 0.90;
inline constexpr double k_recovered_ratio = 0.95;

class alert_loop {
 public:
  alert_loop(const api_state& st, feed::log_sink& log,
             std::chrono::milliseconds cadence = std::chrono::milliseconds(250))
      : st_(st), log_(log), cadence_(cadence) {}
  ~alert_loop() { stop(); }
  alert_loop(const alert_loop&) = delete;
  alert_loop& operator=(const alert_loop&) = delete;

  void start();
  void stop();
  // One evaluation now, on the caller's thread (tests; the loop calls it every cadence).
  void evaluate();
  // The rules, grouping and cadence of `c` ([alert]); `headline_pct` is the band a rule without
  // bands_pct watches. Unchanged rules keep their alerts' state (a reload).
  void configure(const alert::alert_config& c, core::decimal headline_pct);
  // Where notifications go (the outbox); null: no receivers. The sink must outlive the loop or
  // be replaced (set_sink(nullptr)) before it goes.
  void set_sink(alert::notification_sink* sink) noexcept { sink_.store(sink); }

  struct counts {
    std::uint32_t live = 0, configured = 0;
    bool all_ever_live = false;
    std::uint64_t passes = 0;
    std::uint64_t below_baseline = 0;  // band sides below baseline (as logged) in the last pass
    std::uint64_t firing = 0;          // alerts firing after the last pass
    std::uint64_t notifications = 0;   // submitted to the sink since start
  };
  counts current() const;

 private:
  void log_event(const alert::alert_event& e);

  const api_state& st_;
  feed::log_sink& log_;
  std::chrono::milliseconds cadence_;
  std::thread th_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  counts counts_;
  std::optional<std::pair<alert::alert_config, core::decimal>> pending_config_;  // under mu_
  std::atomic<alert::notification_sink*> sink_{nullptr};
  // Alert thread only.
  alert::rule_engine engine_;
  alert::grouper grouper_;
  std::vector<std::pair<std::string, std::string>> rule_names_;
  // Per book (venue, symbol): live last pass; per band side: below baseline last pass.
  std::map<std::pair<core::venue, std::string>, bool> live_;
  std::map<std::tuple<core::venue, std::string, std::size_t, int>, bool> below_;
};

}  // namespace depthmon::daemon
