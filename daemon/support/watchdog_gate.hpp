// support/watchdog_gate.hpp — decides whether a WATCHDOG=1 ping may go out: only when every
// feed thread proved it is turning since the previous ping.
//
// A timer thread that pings unconditionally survives a wedged feed thread and hides it from
// systemd. Here each feed thread bumps its own heartbeat from a timer on its own io_context (so a
// bump proves that event loop runs, even when its venue is quiet), and the pinging thread asks
// should_ping() every half watchdog interval: a thread whose heartbeat did not move withholds
// the ping, systemd's WatchdogSec= expires and Restart=on-failure restarts the service.
//
// Threads: beat(i) is called by feed thread i only (relaxed atomic store of its own counter);
// should_ping() and stalled() by the one pinging thread, which owns the remembered values.
// Errors: none; an index out of range is a bug (asserted).
#pragma once

#include <atomic>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace depthmon::daemon_support {

class watchdog_gate {
 public:
  explicit watchdog_gate(std::size_t threads)
      : n_(threads),
        beats_(std::make_unique<std::atomic<std::uint64_t>[]>(threads)),
        seen_(std::make_unique<std::uint64_t[]>(threads)) {}

  std::size_t threads() const noexcept { return n_; }

  void beat(std::size_t thread) noexcept {
    assert(thread < n_);
    beats_[thread].fetch_add(1, std::memory_order_relaxed);
  }

  // True when every thread beat since the last call (the first call compares with zero, so a
  // thread that never started withholds the very first ping too).
  bool should_ping() noexcept {
    bool all = true;
    for (std::size_t i = 0; i < n_; ++i) {
      const auto now = beats_[i].load(std::memory_order_relaxed);
      if (now == seen_[i]) all = false;
      seen_[i] = now;
    }
    return all;
  }

 private:
  std::size_t n_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> beats_;
  std::unique_ptr<std::uint64_t[]> seen_;
};

}  // namespace depthmon::daemon_support
