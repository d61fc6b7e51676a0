// core/seqlock.hpp on one thread: what a reader gets back is exactly what was stored, versions
// count stores, and odd-sized payloads round-trip (the concurrent side: published_stress_test).
#include "core/seqlock.hpp"

#include <catch2/catch.hpp>

#include <cstdint>

using depthmon::core::seqlock;

namespace {
struct odd {  // 3 × 8 + 5 bytes: the last word is partly padding
  std::uint64_t a = 0, b = 0, c = 0;
  char tail[5] = {};
};
}  // namespace

TEST_CASE("seqlock: a fresh one reads the value-initialised payload, version 0", "[seqlock]") {
  seqlock<odd> s;
  const odd v = s.load();
  CHECK(v.a == 0);
  CHECK(v.c == 0);
  CHECK(v.tail[4] == 0);
  CHECK(s.version() == 0);
}

TEST_CASE("seqlock: load returns the last store, each store counts once", "[seqlock]") {
  seqlock<odd> s;
  for (std::uint64_t i = 1; i <= 100; ++i) {
    odd v;
    v.a = i;
    v.b = ~i;
    v.c = i * 3;
    for (int k = 0; k < 5; ++k) v.tail[k] = static_cast<char>('a' + (i + k) % 26);
    s.store(v);
    CHECK(s.version() == i);
    odd got{};
    REQUIRE(s.try_load(got, 1));  // no writer is active: the first attempt succeeds
    CHECK(got.a == i);
    CHECK(got.b == ~i);
    CHECK(got.c == i * 3);
    CHECK(got.tail[4] == static_cast<char>('a' + (i + 4) % 26));
  }
}

TEST_CASE("seqlock: payloads smaller than a word and exactly a word", "[seqlock]") {
  seqlock<std::uint16_t> small;
  small.store(0xBEEF);
  CHECK(small.load() == 0xBEEF);
  seqlock<std::uint64_t> word;
  word.store(UINT64_MAX);
  CHECK(word.load() == UINT64_MAX);
  word.store(7);
  CHECK(word.load() == 7);
  CHECK(word.version() == 2);
}
