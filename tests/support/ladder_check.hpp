// tests/support/ladder_check.hpp — compares a book side ladder (book::paged_ladder,
// book::tick_window_ladder) with a std::map reference through every read path the book uses:
// forward and backward iteration, and walk_from_back with an early stop.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <map>

namespace depthmon::test {

template <class Ladder>
void require_ladder_equal(const Ladder& l, const std::map<std::int64_t, std::int64_t>& ref) {
  REQUIRE(l.invariants_hold());
  REQUIRE(l.size() == ref.size());
  auto it = l.begin();
  for (const auto& [k, q] : ref) {
    REQUIRE(it != l.end());
    REQUIRE(it->key == k);
    REQUIRE(it->qty == q);
    ++it;
  }
  REQUIRE(it == l.end());
  // And backwards from the best, as checksums and price impact walk.
  auto rit = ref.rbegin();
  for (auto jt = l.end(); jt != l.begin(); ++rit) {
    --jt;
    REQUIRE(jt->key == rit->first);
  }
  // And level by level from the best, as price impact walks; stopping where fn says so.
  rit = ref.rbegin();
  std::size_t seen = 0;
  const std::size_t stop_at = ref.size() / 2;
  const bool finished = l.walk_from_back([&](std::int64_t k, std::int64_t q) {
    REQUIRE(rit != ref.rend());
    REQUIRE(k == rit->first);
    REQUIRE(q == rit->second);
    ++rit;
    return ++seen <= stop_at || stop_at == 0;
  });
  REQUIRE(finished == (stop_at == 0 || stop_at >= ref.size()));
  if (stop_at == 0) REQUIRE(rit == ref.rend());
}

}  // namespace depthmon::test
