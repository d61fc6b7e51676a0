// core/latency_histogram.hpp — a single-writer latency histogram with fixed buckets, readable
// from any thread without locks (Prometheus histogram semantics: cumulative `le` buckets).
//
// Bucket bounds are fixed at compile time (0.5 µs .. 10 s) so every exchange's histogram has the
// same `le` labels and the writer does one relaxed add per count. They are dense below 100 µs
// (steps of 1.3-2×), where the daemon's processing time lives, so a quantile interpolated inside
// a bucket (histogram_quantile, benchmarks/daemon_latency_bench) is meaningful at the 20 µs target.
//
// Threads: observe() from one writer thread only; read() from any thread (a reading may lag a
// concurrent observe by one sample; each counter is itself exact). Errors: none; negative
// durations are counted as 0.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace depthmon::core {

class latency_histogram {
 public:
  static constexpr std::array<std::int64_t, 28> bounds_nanos{
      500,        1'000,      1'500,       2'000,       3'000,       4'000,         5'000,
      7'500,      10'000,     15'000,      20'000,      30'000,      50'000,        75'000,
      100'000,    200'000,    500'000,     1'000'000,   2'000'000,   5'000'000,     10'000'000,
      20'000'000, 50'000'000, 100'000'000, 250'000'000, 500'000'000, 1'000'000'000, 10'000'000'000};
  static constexpr std::size_t bucket_count = bounds_nanos.size() + 1;  // last: +Inf

  struct reading {
    std::array<std::uint64_t, bucket_count> cumulative{};  // count of samples <= bound (last: all)
    std::uint64_t count = 0;
    std::int64_t sum_nanos = 0;
  };

  void observe(std::int64_t nanos) noexcept {
    if (nanos < 0) nanos = 0;
    std::size_t i = 0;
    while (i < bounds_nanos.size() && nanos > bounds_nanos[i]) ++i;
    bump(counts_[i], 1);
    sum_.store(sum_.load(std::memory_order_relaxed) + nanos, std::memory_order_relaxed);
  }

  reading read() const noexcept {
    reading r;
    std::uint64_t run = 0;
    for (std::size_t i = 0; i < bucket_count; ++i) {
      run += counts_[i].load(std::memory_order_relaxed);
      r.cumulative[i] = run;
    }
    r.count = run;  // equals the +Inf bucket, as the text format requires
    r.sum_nanos = sum_.load(std::memory_order_relaxed);
    return r;
  }

 private:
  static void bump(std::atomic<std::uint64_t>& a, std::uint64_t by) noexcept {
    a.store(a.load(std::memory_order_relaxed) + by, std::memory_order_release);
  }
  std::array<std::atomic<std::uint64_t>, bucket_count> counts_{};
  std::atomic<std::int64_t> sum_{0};
};

}  // namespace depthmon::core
