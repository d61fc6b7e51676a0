// tests/support/seed.hpp — the seed of a property test: reproducible by default, overridable
// from the environment, and printed with every failure so a failing run can be replayed.
//
// DEPTHMON_SEED unset: the test's own fixed seed (CI runs stay deterministic).
// DEPTHMON_SEED=N: N for every property test (replays a reported failure).
// DEPTHMON_SEED=random: a fresh seed per test, printed on failure (explores new cases).
#pragma once

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string_view>

namespace depthmon::test {

inline std::uint64_t property_seed(std::uint64_t fallback) {
  const char* env = std::getenv("DEPTHMON_SEED");
  if (env == nullptr || *env == '\0') return fallback;
  if (std::string_view(env) == "random") {
    std::random_device rd;
    const auto t = static_cast<std::uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count());
    return (static_cast<std::uint64_t>(rd()) << 32 ^ rd()) ^ t;
  }
  char* end = nullptr;
  const unsigned long long v = std::strtoull(env, &end, 0);
  if (end == env || *end != '\0') FAIL("DEPTHMON_SEED must be a number or 'random', got " << env);
  return v;
}

}  // namespace depthmon::test

// Declares `const std::uint64_t NAME`, the seed to use, and attaches it to every assertion that
// fails in the enclosing scope (Catch2 INFO), with the command line that replays it.
#define DEPTHMON_PROPERTY_SEED(NAME, FALLBACK)                              \
  const std::uint64_t NAME = ::depthmon::test::property_seed(FALLBACK);     \
  INFO("property seed " << NAME << " (replay: DEPTHMON_SEED=" << NAME << ")")
