// feed/rest_budget.hpp — a venue's REST request-weight budget: what a snapshot may spend now.
//
// Binance limits REST weight per IP per minute (6000 spot, 2400 USD-M) and reports what is
// used in X-MBX-USED-WEIGHT-1M; going over earns 429, and ignoring 429 earns 418 (an IP ban
// of minutes to days) with Retry-After. The budget keeps its own sliding minute of granted
// weight, trusts the server's figure when it is higher (other processes on the IP), stops
// every request while a 429 or 418 Retry-After runs, and leaves a headroom (`usable`) so
// concurrent requests in flight cannot overshoot. A venue without a documented weight budget
// (limit 0) only honours Retry-After.
//
// Threads: owned by one feed's io thread. Errors: none. The clock is an argument, so tests
// drive it without sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <string_view>

namespace depthmon::feed {

class rest_budget {
 public:
  using clock = std::chrono::steady_clock;

  // `weight_per_minute` = the venue's limit (0: none documented); `usable` the fraction spent.
  explicit rest_budget(std::uint32_t weight_per_minute, double usable = 0.8) noexcept;

  // Grants a request of `weight` now (returns zero and records it) or returns how long to wait
  // before asking again (nothing recorded).
  clock::duration acquire(std::uint32_t weight, clock::time_point now);

  // A response arrived: `status`, and the X-MBX-USED-WEIGHT-1M and Retry-After header values
  // ("" when absent). 429: every request pauses for Retry-After (default 60 s); 418: banned
  // for Retry-After (default 5 min); both are counted.
  void on_response(unsigned status, std::string_view used_weight, std::string_view retry_after,
                   clock::time_point now);

  bool blocked(clock::time_point now) const noexcept { return now < blocked_until_; }
  clock::time_point blocked_until() const noexcept { return blocked_until_; }
  std::uint32_t used(clock::time_point now) const noexcept;  // our view of the last minute
  std::uint32_t limit() const noexcept { return limit_; }
  std::uint64_t too_many() const noexcept { return n429_; }
  std::uint64_t banned() const noexcept { return n418_; }

 private:
  struct grant {
    clock::time_point at;
    std::uint32_t weight;
  };
  void expire(clock::time_point now) const;

  std::uint32_t limit_;
  std::uint32_t usable_;
  mutable std::deque<grant> window_;
  mutable std::uint32_t window_sum_ = 0;
  std::uint32_t server_used_ = 0;
  clock::time_point server_at_{};
  clock::time_point blocked_until_{};
  std::uint64_t n429_ = 0, n418_ = 0;
};

// Retry-After as seconds ("" or unparsable: nullopt-like 0 with ok=false).
bool parse_retry_after(std::string_view text, std::chrono::seconds& out) noexcept;

}  // namespace depthmon::feed
