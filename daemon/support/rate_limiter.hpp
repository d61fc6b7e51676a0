// support/rate_limiter.hpp — keeps repetitive log events (a reconnect storm, a venue rejecting
// every resubscribe) from flooding the journal: per key, the first `burst` events of each
// interval are logged, the rest only counted, and the count is reported once as "suppressed K
// similar messages" when the key's window closes.
//
// journald drops a service's lines beyond 10000 per 30 s without regard to importance; limiting
// in-process by key keeps one noisy venue from silencing the others. A window opens at a key's
// first event; the suppressed count of a closed window is handed back by the next admit() of
// that key or by drain(), whichever comes first, so it is reported exactly once. Keys are
// bounded (max_keys): when full, closed windows are evicted first (their count reported by the
// next drain), and a new key beyond the cap shares one overflow key.
//
// Threads: any (one mutex; called per log event, never per market-data message).
// Errors: none. The clock is an argument so tests drive it without sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace depthmon::daemon_support {

class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;

  rate_limiter(std::uint32_t burst, clock::duration interval, std::size_t max_keys = 1024);

  struct verdict {
    bool log = true;              // write this event
    std::uint64_t suppressed = 0;  // report this many suppressed events of the closed window first
    std::uint8_t suppressed_tag = 0;
  };

  // `tag` is the caller's (the log level): returned with a closed window's count.
  verdict admit(std::string_view key, std::uint8_t tag, clock::time_point now);

  struct closed {
    std::string key;
    std::uint64_t suppressed;
    std::uint8_t tag;
  };
  // Windows that have ended with suppressed events, each reported once and then forgotten.
  std::vector<closed> drain(clock::time_point now);

  // Digit runs become '#': "reconnect in 2.5 s (attempt 7)" and "... 4.0 s (attempt 8)" are one
  // key. `scope` (the venue) keeps keys of different venues apart.
  static std::string similarity_key(std::string_view scope, std::string_view message);

  static constexpr std::string_view overflow_key = "\x1f(other)";

 private:
  struct window {
    clock::time_point start;
    std::uint32_t count = 0;
    std::uint64_t suppressed = 0;
    std::uint8_t tag = 0;
  };
  void evict_closed(clock::time_point now);

  std::uint32_t burst_;
  clock::duration interval_;
  std::size_t max_keys_;
  std::mutex mu_;
  std::unordered_map<std::string, window> windows_;
  std::vector<closed> evicted_;  // closed windows evicted for space, reported by drain()
};

}  // namespace depthmon::daemon_support
