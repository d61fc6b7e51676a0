// daemon/alert_loop.hpp — depthmond's alert thread: on a fixed cadence (default 250 ms) it takes
// one read-model copy of the published board and
//   * logs each book going live (and leaving live after having been live),
//   * logs each band side crossing below its baseline and back: below once the ratio to the
//     baseline falls under k_below_ratio (0.9), back once it is at k_recovered_ratio (0.95) or
//     more; the gap keeps a calm book's few-percent wander around its baseline out of the log,
//   * keeps the counts the main thread reports (books live / configured, all ever live for
//     /-/ready and systemd STATUS).
// Issue 9 adds rules, alert lifecycle and receivers here; until then /api/v1/alerts stays empty.
//
// Threads: its own std::thread; start()/stop() from the main thread; counts() from any thread.
// Reads published snapshots only (api_state::view()). Errors: none; logging goes to log_sink.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>

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

  struct counts {
    std::uint32_t live = 0, configured = 0;
    bool all_ever_live = false;
    std::uint64_t passes = 0;
    std::uint64_t below_baseline = 0;  // band sides below baseline (as logged) in the last pass
  };
  counts current() const;

 private:
  const api_state& st_;
  feed::log_sink& log_;
  std::chrono::milliseconds cadence_;
  std::thread th_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  counts counts_;
  // Per book (venue, symbol): live last pass; per band side: below baseline last pass.
  std::map<std::pair<core::venue, std::string>, bool> live_;
  std::map<std::tuple<core::venue, std::string, std::size_t, int>, bool> below_;
};

}  // namespace depthmon::daemon
