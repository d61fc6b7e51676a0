// net/backoff.hpp — reconnect delays: exponential, capped, with full jitter.
//
// Venues ban clients that reconnect in a tight loop (Binance 300 attempts / 5 min, Kraken ~150
// per 10 min, Coinbase 8/s per IP). Each connection keeps one backoff; success resets it.
// Pure and deterministic given the random draw, so it is tested without a clock.
//
// Threads: owned by one connection. Errors: none.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace depthmon::net {

class backoff {
 public:
  using ms = std::chrono::milliseconds;
  backoff(ms initial = ms(500), ms cap = ms(60'000)) noexcept : initial_(initial), cap_(cap) {}

  // Delay before the next attempt; `unit_random` in [0, 1) spreads clients apart (full jitter).
  ms next(double unit_random) noexcept {
    const auto ceiling = ceiling_ms();
    attempts_ = std::min<std::uint32_t>(attempts_ + 1, 30);
    const double r = std::clamp(unit_random, 0.0, 1.0);
    return ms(std::max<std::int64_t>(1, static_cast<std::int64_t>(r * static_cast<double>(ceiling))));
  }
  void reset() noexcept { attempts_ = 0; }
  std::uint32_t attempts() const noexcept { return attempts_; }

 private:
  std::int64_t ceiling_ms() const noexcept {
    std::int64_t c = initial_.count();
    for (std::uint32_t i = 0; i < attempts_ && c < cap_.count(); ++i) c *= 2;
    return std::min<std::int64_t>(c, cap_.count());
  }
  ms initial_, cap_;
  std::uint32_t attempts_ = 0;
};

}  // namespace depthmon::net
