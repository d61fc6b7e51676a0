#include "book/tick_window_ladder.hpp"

#include <catch2/catch.hpp>

#include "support/ladder_check.hpp"
#include "support/seed.hpp"

#include <limits>
#include <map>
#include <random>
#include <vector>

using namespace depthmon;

namespace {

// A 128-tick window (anchor at 96, slide down below 32) over 8-level pages, anchored past 8
// levels: a few hundred levels spread over a few thousand ticks slide it both ways all the time.
using small_ladder = book::tick_window_ladder<8, 128, 8>;
using ref_map = std::map<std::int64_t, std::int64_t>;

std::int64_t ref_set(ref_map& ref, std::int64_t k, std::int64_t q) {
  const auto it = ref.find(k);
  const std::int64_t old = it == ref.end() ? 0 : it->second;
  if (q == 0) ref.erase(k);
  else ref[k] = q;
  return old;
}

void check_reads(const small_ladder& l, const ref_map& ref, std::mt19937_64& rng,
                 std::int64_t probe_lo, std::int64_t probe_hi) {
  REQUIRE(l.invariants_hold());
  REQUIRE(l.size() == ref.size());
  if (ref.empty()) {
    REQUIRE(l.begin() == l.end());
    return;
  }
  REQUIRE(l.back().key == ref.rbegin()->first);
  REQUIRE(l.back().qty == ref.rbegin()->second);
  REQUIRE(l.front().key == ref.begin()->first);
  // Ranks on both sides of the window/paged boundary.
  for (std::size_t i : {std::size_t{0}, l.window_size(), l.window_size() - (l.window_size() > 0),
                        static_cast<std::size_t>(rng() % ref.size())}) {
    if (i >= ref.size()) continue;
    const auto want = std::next(ref.rbegin(), static_cast<std::ptrdiff_t>(i));
    REQUIRE(l.nth_from_back(i).key == want->first);
    REQUIRE(l.nth_from_back(i).qty == want->second);
  }
  const auto span = static_cast<std::uint64_t>(probe_hi - probe_lo + 1);
  const auto probe = probe_lo + static_cast<std::int64_t>(rng() % span);
  const auto want = ref.lower_bound(probe);
  const auto got = l.lower_bound(probe);
  if (want == ref.end()) {
    REQUIRE(got == l.end());
  } else {
    REQUIRE(got != l.end());
    REQUIRE(got->key == want->first);
    // The iterator from lower_bound walks on to the next level either way.
    auto next = got;
    ++next;
    const auto want_next = std::next(want);
    if (want_next == ref.end()) REQUIRE(next == l.end());
    else REQUIRE(next->key == want_next->first);
  }
}

}  // namespace

TEST_CASE("the window anchors past the threshold and slides with the best", "[tick_window]") {
  small_ladder l;
  ref_map ref;
  for (std::int64_t k = 1000; k < 1008; ++k) {
    CHECK(l.set(k, 1) == 0);
    ref[k] = 1;
  }
  CHECK_FALSE(l.window_anchored());  // 8 levels: still only paged
  l.set(1008, 1);
  ref[1008] = 1;
  CHECK(l.window_anchored());  // the 9th level anchors it over keys 912..1039
  CHECK(l.window_size() == 9);
  test::require_ladder_equal(l, ref);
  // A best 50 ticks up: keys 912..961 leave the window's low end, none occupied.
  l.set(1058, 2);
  ref[1058] = 2;
  CHECK(l.window_size() == 10);
  test::require_ladder_equal(l, ref);
  // A best 200 ticks up (more than the window): every level leaves for the paged part.
  l.set(1258, 3);
  ref[1258] = 3;
  CHECK(l.window_size() == 1);
  test::require_ladder_equal(l, ref);
  // Deleting that best empties the window over paged levels: it slides down onto them.
  CHECK(l.set(1258, 0) == 3);
  ref.erase(1258);
  CHECK(l.window_size() == 10);
  test::require_ladder_equal(l, ref);
  // Deleting the best leaves the rest in place while the new best stays in the upper three
  // quarters (keys >= 944)...
  CHECK(l.set(1058, 0) == 2);
  ref.erase(1058);
  test::require_ladder_equal(l, ref);
  CHECK(l.window_size() == 9);
  // ... and slides down once it falls below: the low end 962 -> 879, keeping every level.
  for (std::int64_t k = 970; k < 976; ++k) l.set(k, 4), ref[k] = 4;
  for (std::int64_t k = 1000; k <= 1008; ++k) l.set(k, 0), ref.erase(k);
  CHECK(l.window_size() == 6);
  test::require_ladder_equal(l, ref);
  CHECK(l.lower_bound(900)->key == 970);
  // Deleting an absent key above the window changes nothing.
  CHECK(l.set(5000, 0) == 0);
  test::require_ladder_equal(l, ref);
}

TEST_CASE("bulk loads, front drops and rescales keep the order", "[tick_window]") {
  small_ladder l;
  std::vector<book::keyed_level> sorted;
  for (std::int64_t k = 0; k < 300; ++k) sorted.push_back({k * 3, k + 1});
  l.assign_sorted(sorted.data(), sorted.size());
  ref_map ref;
  for (const auto& lv : sorted) ref[lv.key] = lv.qty;
  CHECK(l.window_anchored());
  CHECK(l.window_size() == 33);  // keys 801..897, every 3 ticks
  test::require_ladder_equal(l, ref);
  // Drops through the paged part into the window.
  l.drop_front(250);
  for (int i = 0; i < 250; ++i) ref.erase(ref.begin());
  test::require_ladder_equal(l, ref);
  CHECK(l.window_size() == 33);
  l.drop_front(40);
  for (int i = 0; i < 40; ++i) ref.erase(ref.begin());
  test::require_ladder_equal(l, ref);
  // A rescale (keys x10, a new tick) leaves the window; the next set anchors one again.
  l.for_each_mutable([](std::int64_t& key, std::int64_t& qty) {
    key *= 10;
    qty *= 2;
  });
  ref_map scaled;
  for (auto [k, q] : ref) scaled[k * 10] = q * 2;
  ref.swap(scaled);
  CHECK_FALSE(l.window_anchored());
  test::require_ladder_equal(l, ref);
  // Sizes at the threshold: 8 levels stay paged, 9 anchor.
  l.assign_sorted(sorted.data(), 8);
  CHECK_FALSE(l.window_anchored());
  l.assign_sorted(sorted.data(), 9);
  CHECK(l.window_anchored());
  l.assign_sorted(sorted.data(), 0);
  CHECK(l.empty());
  test::require_ladder_equal(l, ref_map{});
}

TEST_CASE("keys at the ends of int64 never anchor a window that cannot fit", "[tick_window]") {
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
  small_ladder l;
  ref_map ref;
  // Keys below INT64_MAX (the callers' bound): the best has no 32 ticks of headroom.
  for (std::int64_t k = max - 20; k < max; ++k) l.set(k, 1), ref[k] = 1;
  CHECK_FALSE(l.window_anchored());
  test::require_ladder_equal(l, ref);
  // The best drops far enough: the next change anchors a window.
  for (std::int64_t k = max - 20; k < max; ++k) l.set(k, 0);
  ref.clear();
  for (std::int64_t k = max - 60; k < max - 40; ++k) l.set(k, 2), ref[k] = 2;
  test::require_ladder_equal(l, ref);
  CHECK(l.window_anchored());
  // A new best above the room a window needs: the window flushes to the paged part.
  l.set(max - 1, 7);
  ref[max - 1] = 7;
  CHECK_FALSE(l.window_anchored());
  test::require_ladder_equal(l, ref);
  // At INT64_MIN: the window anchors over keys near it, and a best falling below the room
  // for the anchor flushes it instead of sliding below INT64_MIN.
  l.clear();
  ref.clear();
  for (std::int64_t k = min; k < min + 200; k += 2) l.set(k, 3), ref[k] = 3;
  CHECK(l.window_anchored());
  test::require_ladder_equal(l, ref);
  while (ref.size() > 2) {
    const std::int64_t best = ref.rbegin()->first;
    CHECK(l.set(best, 0) == 3);
    ref.erase(best);
    REQUIRE(l.invariants_hold());
  }
  CHECK_FALSE(l.window_anchored());
  test::require_ladder_equal(l, ref);
}

TEST_CASE("random operations around a moving touch match a std::map",
          "[tick_window][property]") {
  const std::uint64_t fallback = GENERATE(21, 22, 23, 24);
  DEPTHMON_PROPERTY_SEED(seed, fallback);
  std::mt19937_64 rng(seed);
  small_ladder l;
  ref_map ref;
  std::int64_t mid = 1'000'000;
  const auto offset = [&](std::uint64_t span) { return static_cast<std::int64_t>(rng() % span); };
  for (int step = 0; step < 60000; ++step) {
    const auto r = rng() % 1000;
    INFO("step " << step << " op " << r << ", " << ref.size() << " levels, "
                  << l.window_size() << " in the window");
    if (r < 2) {
      // A far jump of the touch (more than the window): slides by more than W.
      mid += offset(2) == 0 ? -300 - offset(2000) : 300 + offset(2000);
    } else if (r < 60) {
      mid += offset(9) - 4;  // the touch drifts
    }
    if (r < 3) {
      // A bulk load of any size: empty, at the threshold, across the window, wider.
      const std::size_t n = std::vector<std::size_t>{0, 1, 8, 9, 40, 300}[rng() % 6];
      std::vector<book::keyed_level> v;
      ref.clear();
      std::int64_t k = mid - 600;
      for (std::size_t i = 0; i < n; ++i) {
        k += 1 + offset(4);
        v.push_back({k, 1 + offset(9)});
        ref[k] = v.back().qty;
      }
      l.assign_sorted(v.data(), v.size());
    } else if (r < 8 && !ref.empty()) {
      const std::size_t n = rng() % (ref.size() + 1);
      l.drop_front(n);
      for (std::size_t i = 0; i < n; ++i) ref.erase(ref.begin());
    } else if (r < 9 && (ref.empty() || ref.rbegin()->first - ref.begin()->first < 100'000)) {
      // A rescale that keeps keys ascending (the book's tick refinement), around the touch.
      l.for_each_mutable([mid](std::int64_t& key, std::int64_t&) { key = key * 2 - mid; });
      ref_map scaled;
      for (auto [k, q] : ref) scaled[k * 2 - mid] = q;
      ref.swap(scaled);
    } else if (r < 120 && !ref.empty()) {
      // The best level goes (a trade through the touch).
      const std::int64_t best = ref.rbegin()->first;
      REQUIRE(l.set(best, 0) == ref_set(ref, best, 0));
    } else {
      // Most changes near the touch, some deep, a few new bests above it.
      const auto d = rng() % 10;
      const std::int64_t k = d < 6 ? mid - offset(100) : d < 9 ? mid - offset(1500) : mid + offset(60);
      const std::int64_t q = rng() % 3 == 0 ? 0 : 1 + offset(100);
      REQUIRE(l.set(k, q) == ref_set(ref, k, q));
    }
    check_reads(l, ref, rng, mid - 2000, mid + 200);
    if (step % 400 == 0) test::require_ladder_equal(l, ref);
  }
  test::require_ladder_equal(l, ref);
}

TEST_CASE("a window returned by a dropped ladder comes back empty", "[tick_window]") {
  // Windows are pooled process-wide: the next ladder that anchors reuses this one, so any size
  // or bit left behind would show in its invariants (every tick checked) or its levels.
  for (int round = 0; round < 3; ++round) {
    ref_map ref;
    {
      small_ladder l;
      for (std::int64_t k = 0; k < 100; ++k) l.set(1000 + k, 5 + k);
      REQUIRE(l.window_anchored());
      REQUIRE(l.invariants_hold());
    }
    small_ladder m;
    for (std::int64_t k = 0; k < 40; ++k) {
      m.set(1050 + 2 * k, 1);
      ref[1050 + 2 * k] = 1;
    }
    REQUIRE(m.window_anchored());
    test::require_ladder_equal(m, ref);
  }
}
