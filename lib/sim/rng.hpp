// sim/rng.hpp — the simulator's deterministic random numbers (xoshiro256** seeded by splitmix64).
//
// std::uniform_*_distribution is implementation-defined, so a seed would not give the same
// books on another standard library; these helpers use only integer arithmetic and IEEE
// +,-,*,/ on doubles, which are reproducible everywhere.
//
// Threads: one generator per model, never shared. Errors: none.
#pragma once

#include <cstdint>

namespace depthmon::sim {

class rng {
 public:
  explicit rng(std::uint64_t seed) noexcept {
    for (auto& w : s_) w = splitmix(seed);
  }

  std::uint64_t next() noexcept {
    const std::uint64_t out = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return out;
  }
  // Uniform in [0, 1).
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [lo, hi] (hi >= lo); modulo bias is irrelevant at these ranges.
  std::int64_t between(std::int64_t lo, std::int64_t hi) noexcept {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(next() % span);
  }
  bool chance(double p) noexcept { return uniform() < p; }
  // Geometric count with the given mean (>= 0): number of failures before a success.
  std::int64_t geometric(double mean) noexcept {
    const double p = 1.0 / (1.0 + mean);
    std::int64_t n = 0;
    while (!chance(p) && n < 1'000'000) ++n;
    return n;
  }

  // A child generator for an independent stream (per instrument), stable for a seed.
  static std::uint64_t derive(std::uint64_t seed, std::uint64_t salt) noexcept {
    std::uint64_t x = seed ^ (salt * 0x9E3779B97F4A7C15ULL);
    return splitmix(x);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix(std::uint64_t& x) noexcept {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  std::uint64_t s_[4];
};

}  // namespace depthmon::sim
