// net/reconnect_limiter.hpp — a process-wide bound on new connections: at most N per interval,
// across every venue and thread, so an outage never turns into a reconnect storm.
//
// A sliding window over the last N grants rather than a token bucket: a bucket of N refilled
// at N per interval admits 2N in one interval (a full bucket, then its refill), which is how a
// "5 per second" client gets banned (peers.md §3.8, nautilus #5012). Here any window of length
// `interval` contains at most N grants. Callers combine it with their own net::backoff: wait
// for max(backoff delay, the limiter's answer), then ask again.
//
// Threads: shared by every feed thread; a mutex guards the window (a few nanoseconds per
// connection attempt, never per frame). Errors: none. The clock is an argument, so tests drive
// it without sleeping.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <vector>

namespace depthmon::net {

class reconnect_limiter {
 public:
  using clock = std::chrono::steady_clock;

  // At most `max_per_interval` (>= 1) grants in any window of length `interval`.
  reconnect_limiter(std::size_t max_per_interval, clock::duration interval)
      : ring_(max_per_interval == 0 ? 1 : max_per_interval), interval_(interval) {}

  // Grants a connection now (returns zero) and records it, or returns how long to wait before
  // asking again (nothing is recorded: a caller that gives up leaves no reservation behind).
  clock::duration acquire(clock::time_point now) {
    std::lock_guard lock(mu_);
    if (now < last_) now = last_;  // threads read the clock in any order
    if (count_ == ring_.size()) {
      const clock::time_point oldest = ring_[head_];
      if (now - oldest < interval_) return oldest + interval_ - now;
    } else {
      ++count_;
    }
    ring_[head_] = now;
    head_ = (head_ + 1) % ring_.size();
    last_ = now;
    ++granted_;
    return clock::duration::zero();
  }

  std::size_t granted() const {
    std::lock_guard lock(mu_);
    return granted_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<clock::time_point> ring_;  // the last N grants; ring_[head_] is the oldest when full
  clock::duration interval_;
  clock::time_point last_{};
  std::size_t head_ = 0, count_ = 0, granted_ = 0;
};

}  // namespace depthmon::net
