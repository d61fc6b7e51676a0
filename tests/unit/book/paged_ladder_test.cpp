#include "book/paged_ladder.hpp"

#include <catch2/catch.hpp>

#include "support/ladder_check.hpp"
#include "support/seed.hpp"

#include <map>
#include <random>
#include <vector>

using namespace depthmon;

namespace {

// Small pages so that a few hundred levels already split, merge and drop whole pages.
using small_ladder = book::paged_ladder<8>;

}  // namespace

TEST_CASE("pages split and merge as levels come and go", "[paged_ladder]") {
  small_ladder l;
  std::map<std::int64_t, std::int64_t> ref;
  // Ascending inserts (new best levels) fill pages and split them at the back.
  for (std::int64_t k = 1; k <= 40; ++k) {
    CHECK(l.set(k * 10, k) == 0);
    ref[k * 10] = k;
  }
  test::require_ladder_equal(l, ref);
  CHECK(l.page_count() >= 5);
  // Descending inserts below the worst level split the front page.
  for (std::int64_t k = 0; k > -40; --k) {
    l.set(k, 1);
    ref[k] = 1;
  }
  test::require_ladder_equal(l, ref);
  // Deleting most levels merges thin pages back together.
  const std::size_t pages_full = l.page_count();
  for (std::int64_t k = -39; k <= 400; ++k) {
    if (k % 7 == 0) continue;
    const auto it = ref.find(k);
    CHECK(l.set(k, 0) == (it == ref.end() ? 0 : it->second));
    if (it != ref.end()) ref.erase(it);
  }
  test::require_ladder_equal(l, ref);
  CHECK(l.page_count() < pages_full / 2);
  CHECK(l.page_count() <= (ref.size() + 1) / 2);  // no page below 1/4 next to a thin one
  // Emptying the ladder and starting again.
  for (auto [k, q] : std::map(ref)) l.set(k, 0);
  ref.clear();
  test::require_ladder_equal(l, ref);
  CHECK(l.page_count() == 0);
  l.set(5, 5);
  ref[5] = 5;
  test::require_ladder_equal(l, ref);
}

TEST_CASE("lookups, ranks and front drops across page boundaries", "[paged_ladder]") {
  small_ladder l;
  std::vector<book::keyed_level> sorted;
  for (std::int64_t k = 0; k < 100; ++k) sorted.push_back({k * 2, k + 1});
  l.assign_sorted(sorted.data(), sorted.size());
  REQUIRE(l.invariants_hold());
  CHECK(l.page_count() == 17);  // filled to 6 of 8: room for inserts
  for (std::int64_t key = -1; key <= 200; ++key) {
    const auto it = l.lower_bound(key);
    const std::int64_t want = key <= 0 ? 0 : (key + 1) / 2 * 2;
    if (want > 198) {
      CHECK(it == l.end());
    } else {
      REQUIRE(it != l.end());
      CHECK(it->key == want);
    }
  }
  for (std::size_t i = 0; i < 100; ++i)
    CHECK(l.nth_from_back(i).key == (99 - static_cast<std::int64_t>(i)) * 2);
  CHECK(l.back().key == 198);
  CHECK(l.front().key == 0);
  // Drops of part of a page, exactly one page, and several pages plus part of one.
  l.drop_front(3);
  CHECK(l.front().key == 6);
  l.drop_front(3);
  CHECK(l.front().key == 12);
  l.drop_front(20);
  CHECK(l.front().key == 52);
  REQUIRE(l.invariants_hold());
  CHECK(l.size() == 74);
  l.drop_front(74);
  CHECK(l.empty());
  REQUIRE(l.invariants_hold());
}

TEST_CASE("random operations on small pages match a std::map", "[paged_ladder][property]") {
  const std::uint64_t fallback = GENERATE(11, 12, 13);
  DEPTHMON_PROPERTY_SEED(seed, fallback);
  std::mt19937_64 rng(seed);
  small_ladder l;
  std::map<std::int64_t, std::int64_t> ref;
  for (int step = 0; step < 40000; ++step) {
    const auto r = rng() % 1000;
    if (r < 3) {
      // A bulk load of any size: empty, under a page, exact multiples of the fill, large.
      const std::size_t n = std::vector<std::size_t>{0, 1, 5, 6, 12, 61, 400}[rng() % 7];
      std::vector<book::keyed_level> v;
      ref.clear();
      std::int64_t k = static_cast<std::int64_t>(rng() % 50);
      for (std::size_t i = 0; i < n; ++i) {
        k += 1 + static_cast<std::int64_t>(rng() % 4);
        v.push_back({k, 1 + static_cast<std::int64_t>(rng() % 9)});
        ref[v.back().key] = v.back().qty;
      }
      l.assign_sorted(v.data(), v.size());
    } else if (r < 10 && !ref.empty()) {
      const std::size_t n = rng() % (ref.size() + 1);
      l.drop_front(n);
      for (std::size_t i = 0; i < n; ++i) ref.erase(ref.begin());
    } else {
      const auto k = static_cast<std::int64_t>(rng() % 600);
      const std::int64_t q = rng() % 3 == 0 ? 0 : static_cast<std::int64_t>(1 + rng() % 100);
      const auto it = ref.find(k);
      const std::int64_t old = it == ref.end() ? 0 : it->second;
      REQUIRE(l.set(k, q) == old);
      if (q == 0) ref.erase(k);
      else ref[k] = q;
    }
    REQUIRE(l.invariants_hold());
    REQUIRE(l.size() == ref.size());
    if (!ref.empty()) {
      REQUIRE(l.back().key == ref.rbegin()->first);
      const std::size_t i = rng() % ref.size();
      const auto want_i = std::next(ref.rbegin(), static_cast<std::ptrdiff_t>(i));
      REQUIRE(l.nth_from_back(i).key == want_i->first);
      const auto probe = static_cast<std::int64_t>(rng() % 620) - 10;
      const auto want = ref.lower_bound(probe);
      const auto got = l.lower_bound(probe);
      if (want == ref.end()) REQUIRE(got == l.end());
      else REQUIRE(got->key == want->first);
    }
    if (step % 500 == 0) test::require_ladder_equal(l, ref);
  }
  test::require_ladder_equal(l, ref);
}
