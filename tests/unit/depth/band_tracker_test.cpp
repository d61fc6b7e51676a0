#include "depth/band_tracker.hpp"

#include <catch2/catch.hpp>

#include <random>

#include "support/naive_depth.hpp"
#include "support/seed.hpp"

using namespace depthmon;
using core::side;

namespace {
// The coverage boundary l2_book::coverage_key() reports must be the one the reference derives
// from the coverage kind and the levels (the tracker and price impact both rely on it).
void check_coverage_key(const book::l2_book& bk, side s) {
  const auto k = test::naive_coverage(bk, s);
  const auto got = bk.coverage_key(s);
  INFO("coverage of side " << core::to_string(s));
  REQUIRE(got.has_value() == !k.whole_side);
  if (k.nothing) REQUIRE(*got == book::l2_book::k_nothing_known);
  else if (got) REQUIRE(*got == book::key_of(s, k.price));
}

void check_against_naive(const book::l2_book& bk, depth::band_tracker& t) {
  for (side s : {side::bid, side::ask}) check_coverage_key(bk, s);
  const auto v = t.compute();
  const bool mid = bk.best(side::bid) && bk.best(side::ask);
  REQUIRE(v.has_mid == mid);
  if (!mid) return;
  REQUIRE_FALSE(v.overflow);
  for (std::size_t b = 0; b < t.bands().size(); ++b)
    for (side s : {side::bid, side::ask}) {
      const auto n = test::naive(bk, s, t.bands()[b]);
      INFO("band " << t.bands()[b].pct_text() << " side " << core::to_string(s));
      REQUIRE_FALSE(n.overflow);
      REQUIRE(v.bands[b][s].qty == n.qty);
      REQUIRE(v.bands[b][s].notional == n.notional);
      REQUIRE(v.bands[b][s].complete == n.complete);
    }
}
}  // namespace

TEST_CASE("a hand-checked book", "[band_tracker]") {
  book::l2_book bk;
  depth::band_tracker t(bk, *depth::parse_bands("1,2"));
  // mid 100: ±1 % = [99, 101], ±2 % = [98, 102], inclusive.
  bk.set_ticks(side::bid, 99, 10);
  bk.set_ticks(side::bid, 98, 20);
  bk.set_ticks(side::bid, 97, 40);
  bk.set_ticks(side::ask, 101, 1);
  bk.set_ticks(side::ask, 102, 2);
  bk.set_ticks(side::ask, 103, 4);
  auto v = t.compute();
  REQUIRE(v.has_mid);
  CHECK(v.mid2 == 200);
  CHECK(v.spread_bps() == Approx(200.0));  // (101 - 99) / 100
  CHECK(v.bands[0][side::bid].qty == 10);
  CHECK(v.bands[0][side::bid].notional == 990);
  CHECK(v.bands[1][side::bid].qty == 30);
  CHECK(v.bands[1][side::bid].notional == 990 + 1960);
  CHECK(v.bands[1][side::ask].qty == 3);
  CHECK(v.bands[1][side::ask].notional == 101 + 204);
  CHECK(v.bands[1][side::ask].complete);
  // Knowing the asks only down to 101 leaves the 2 % ask band incomplete.
  bk.set_coverage(side::ask, book::coverage::down_to(101));
  v = t.compute();
  CHECK(v.bands[0][side::ask].complete);
  CHECK_FALSE(v.bands[1][side::ask].complete);
  // An empty side: no mid, no depth.
  bk.set_ticks(side::ask, 101, 0);
  bk.set_ticks(side::ask, 102, 0);
  bk.set_ticks(side::ask, 103, 0);
  CHECK_FALSE(t.compute().has_mid);
}

TEST_CASE("running sums equal a full rescan after every step", "[band_tracker][property]") {
  const std::uint64_t fallback = GENERATE(1, 2, 3, 4);
  DEPTHMON_PROPERTY_SEED(seed, fallback);
  std::mt19937_64 rng(seed);
  book::l2_book bk;
  depth::band_tracker t(bk, *depth::parse_bands("0.1,0.25,0.5,1,2,5,10,33.3333"));
  std::int64_t mid = 10000;
  for (int step = 0; step < 6000; ++step) {
    const auto r = rng() % 100;
    if (r < 2) {
      // Occasional snapshot: replace everything.
      bk.begin_bulk();
      const int n = static_cast<int>(rng() % 300);
      for (int i = 0; i < n; ++i) {
        bk.set_ticks(side::bid, mid - 1 - static_cast<std::int64_t>(rng() % 2000), 1 + rng() % 50);
        bk.set_ticks(side::ask, mid + 1 + static_cast<std::int64_t>(rng() % 2000), 1 + rng() % 50);
      }
      bk.end_bulk();
    } else if (r < 4) {
      // Jumps of the mid (flash moves) drag every edge across many levels.
      mid += static_cast<std::int64_t>(rng() % 801) - 400;
      if (mid < 3000) mid = 3000;
    } else if (r < 6) {
      const auto cov = rng() % 7;
      const side s = (rng() & 1) ? side::bid : side::ask;
      if (cov == 0) bk.set_coverage(s, book::coverage::full_book());
      else if (cov == 1) bk.set_coverage(s, book::coverage::top_n(static_cast<std::uint32_t>(1 + rng() % 400)));
      else if (cov == 2) bk.set_coverage(s, book::coverage::top_n(0));  // a venue showing nothing
      else bk.set_coverage(s, book::coverage::down_to(s == side::bid ? mid - static_cast<std::int64_t>(rng() % 600) : mid + static_cast<std::int64_t>(rng() % 600)));
    } else if (r < 7) {
      bk.truncate(1 + rng() % 500);
    } else {
      const side s = (rng() & 1) ? side::bid : side::ask;
      const std::int64_t dist = (rng() % 10 == 0) ? static_cast<std::int64_t>(rng() % 2500)
                                                  : static_cast<std::int64_t>(rng() % 30);
      std::int64_t price = s == side::bid ? mid - 1 - dist : mid + 1 + dist;
      if (price <= 0) price = 1;
      const std::int64_t qty = (rng() % 4 == 0) ? 0 : static_cast<std::int64_t>(1 + rng() % 1000);
      // Keep the book uncrossed as a venue would.
      if (s == side::bid && bk.best(side::ask) && price >= bk.best(side::ask)->price) continue;
      if (s == side::ask && bk.best(side::bid) && price <= bk.best(side::bid)->price) continue;
      bk.set_ticks(s, price, qty);
    }
    // Compute only every few steps too: sums must survive many unpublished changes.
    if (rng() % 3 == 0) check_against_naive(bk, t);
  }
  check_against_naive(bk, t);
}

// Regression: coverage_key() read top_n(0) as "no truncation" and reported the whole side known,
// so every band of a side the venue shows no level of was published as complete. The reference
// (DESIGN.md: a band the book does not fully cover is missing) knows nothing there.
TEST_CASE("a side shown to zero levels covers no band", "[band_tracker]") {
  book::l2_book bk;
  depth::band_tracker t(bk, depth::default_bands());
  for (std::int64_t i = 0; i < 50; ++i) {
    bk.set_ticks(side::bid, 999 - i, 1);
    bk.set_ticks(side::ask, 1001 + i, 1);
  }
  bk.set_coverage(side::ask, book::coverage::top_n(0));
  REQUIRE(bk.coverage_key(side::ask) == book::l2_book::k_nothing_known);
  REQUIRE(bk.coverage_key(side::bid) == std::nullopt);
  check_against_naive(bk, t);
  const auto v = t.compute();
  for (std::size_t b = 0; b < t.bands().size(); ++b) {
    CHECK_FALSE(v.bands[b][side::ask].complete);
    CHECK(v.bands[b][side::bid].complete);
  }
}

TEST_CASE("scale growth triggers an exact rebuild", "[band_tracker]") {
  book::l2_book bk;
  depth::band_tracker t(bk, depth::default_bands());
  REQUIRE(bk.set(side::bid, *core::parse_decimal("99"), *core::parse_decimal("1")));
  REQUIRE(bk.set(side::ask, *core::parse_decimal("101"), *core::parse_decimal("1")));
  (void)t.compute();
  REQUIRE(bk.set(side::ask, *core::parse_decimal("100.5"), *core::parse_decimal("0.5")));
  check_against_naive(bk, t);
  CHECK(t.compute().price_scale == 1);
}

// Regression: the ask edge of a book priced near the int64 limit (18 decimals make that a price
// of ~9) lies above INT64_MAX ticks. The int128 -> int64 cast wrapped it, so every wide ask band
// read as empty, and complete. The edge now saturates, which keeps membership exact.
TEST_CASE("band edges beyond the int64 range do not wrap", "[band_tracker]") {
  constexpr std::int64_t top = INT64_MAX - 4;
  book::l2_book bk;
  depth::band_tracker t(bk, *depth::parse_bands("0.1,2,10"));
  bk.set_ticks(side::bid, top - 3, 5);
  bk.set_ticks(side::bid, top - 2, 7);
  bk.set_ticks(side::ask, top, 11);
  bk.set_ticks(side::ask, top + 2, 13);
  check_against_naive(bk, t);
  const auto v = t.compute();
  for (std::size_t b = 0; b < 3; ++b) {
    CHECK(v.bands[b][side::ask].qty == 24);  // both asks: every int64 price is within ±0.1 %
    CHECK(v.bands[b][side::ask].complete);
  }
  CHECK(depth::edge_key(side::ask, v.mid2, t.bands()[2]) == -INT64_MAX);
  // Known only down to `top`: the level at top + 2 might have hidden others up to INT64_MAX.
  bk.set_coverage(side::ask, book::coverage::down_to(top));
  check_against_naive(bk, t);
  CHECK_FALSE(t.compute().bands[0][side::ask].complete);
  bk.set_coverage(side::ask, book::coverage::down_to(INT64_MAX));
  check_against_naive(bk, t);
  CHECK(t.compute().bands[2][side::ask].complete);
  // Moving the mid slides the saturated edges too.
  bk.set_ticks(side::ask, top, 0);
  check_against_naive(bk, t);
  bk.set_ticks(side::bid, top - 3, 0);
  bk.set_ticks(side::bid, 1000, 2);
  check_against_naive(bk, t);
  bk.set_ticks(side::bid, top - 2, 0);  // mid halves: the ask edges come back inside int64
  check_against_naive(bk, t);
  CHECK(t.compute().bands[2][side::ask].qty == 0);
}

// A sum that passes int128 marks the figures unusable (depth_view::overflow, every band side
// incomplete), as the reference's checked sums say it must.
TEST_CASE("a band sum beyond int128 is reported, not wrapped", "[band_tracker]") {
  book::l2_book bk;
  depth::band_tracker t(bk, *depth::parse_bands("50"));
  for (std::int64_t i = 0; i < 24; ++i) bk.set_ticks(side::ask, INT64_MAX / 2 + i, INT64_MAX);
  bk.set_ticks(side::bid, INT64_MAX / 2 - 1, 1);
  const auto n = test::naive(bk, side::ask, t.bands()[0]);
  REQUIRE(n.overflow);
  const auto v = t.compute();
  CHECK(v.overflow);
  CHECK_FALSE(v.bands[0][side::ask].complete);
  CHECK_FALSE(v.bands[0][side::bid].complete);
}

TEST_CASE("running sums on deep books across page splits, merges and truncation",
          "[band_tracker][property]") {
  // 3 000 levels per side, bands out to 30 %: edges sit deep in the ladder, where inserts and
  // deletes split and merge pages; the edges must follow by key whatever moves under them.
  const std::uint64_t fallback = GENERATE(31, 32);
  DEPTHMON_PROPERTY_SEED(seed, fallback);
  std::mt19937_64 rng(seed);
  book::l2_book bk;
  depth::band_tracker t(bk, *depth::parse_bands("0.05,0.5,1,2,5,10,30"));
  std::int64_t mid = 100000;
  const auto load = [&](int n) {
    bk.begin_bulk();
    for (int i = 0; i < n; ++i) {
      const auto jitter = [&] { return static_cast<std::int64_t>(rng() % 10); };
      bk.set_ticks(side::bid, mid - 1 - i * 10 - jitter(), 1 + rng() % 50);
      bk.set_ticks(side::ask, mid + 1 + i * 10 + jitter(), 1 + rng() % 50);
    }
    bk.end_bulk();
  };
  load(3000);
  for (int step = 0; step < 20000; ++step) {
    const auto r = rng() % 1000;
    if (r < 2) {
      constexpr int f = static_cast<int>(book::k_page_levels - book::k_page_levels / 4);
      load(std::vector<int>{0, 1, f - 1, f, f + 1, 3000}[rng() % 6]);
    } else if (r < 5) {
      bk.truncate(1 + rng() % 3500);
    } else if (r < 15) {
      // The touch moves by up to a few levels, dragging every edge.
      const auto bb = bk.best(side::bid), ba = bk.best(side::ask);
      if (bb && ba) {
        const std::int64_t d = static_cast<std::int64_t>(rng() % 61) - 30;
        if (d > 0) bk.set_ticks(side::bid, std::min(ba->price - 1, bb->price + d), 1 + rng() % 50);
        else bk.set_ticks(side::ask, std::max(bb->price + 1, ba->price + d), 1 + rng() % 50);
      }
    } else {
      const side s = (rng() & 1) ? side::bid : side::ask;
      const auto best = bk.best(s), other = bk.best(s == side::bid ? side::ask : side::bid);
      if (!best || !other) {
        bk.set_ticks(s, s == side::bid ? mid - 1 : mid + 1, 1);
        continue;
      }
      // Anywhere from the touch to beyond the deepest band edge.
      const std::int64_t dist = (rng() % 5 == 0) ? static_cast<std::int64_t>(rng() % 40000)
                                                 : static_cast<std::int64_t>(rng() % 2000);
      const std::int64_t price = s == side::bid ? best->price - dist : best->price + dist;
      if (price <= 0) continue;
      // A random existing level is deleted a third of the time, so deletes land on edges too.
      std::int64_t p = price;
      if (rng() % 3 == 0 && bk.size(s) > 0) p = bk.nth(s, rng() % bk.size(s)).price;
      const std::int64_t qty =
          (p != price || rng() % 4 == 0) ? 0 : static_cast<std::int64_t>(1 + rng() % 1000);
      if (s == side::bid && p >= other->price) continue;
      if (s == side::ask && p <= other->price) continue;
      bk.set_ticks(s, p, qty);
    }
    if (step % 37 == 0) check_against_naive(bk, t);
  }
  check_against_naive(bk, t);
}

TEST_CASE("an edge that crosses no level moves without a lookup, and stays exact",
          "[band_tracker]") {
  // Levels every 100 ticks: a one-tick mid move cannot cross a level at any edge, a move of
  // many ticks crosses some; a delete of the level next to an edge forces the lookup path.
  book::l2_book bk;
  depth::band_tracker t(bk, *depth::parse_bands("1,5"));
  for (int i = 0; i < 200; ++i) {
    bk.set_ticks(side::bid, 99950 - i * 100, 10);
    bk.set_ticks(side::ask, 100050 + i * 100, 10);
  }
  check_against_naive(bk, t);
  for (int i = 1; i <= 40; ++i) {
    bk.set_ticks(side::bid, 99950 + i, 1);  // mid up by half a tick each time
    check_against_naive(bk, t);
  }
  // Delete the levels right inside and right outside the 1 % bid edge (bid prices are 50 mod
  // 100), then let the mid fall back across the gap they leave.
  const std::int64_t e = t.compute().bands[0][side::bid].edge_price;
  const std::int64_t inner = e + ((50 - e) % 100 + 100) % 100;
  REQUIRE(bk.best(side::bid));
  bk.set_ticks(side::bid, inner, 0);
  bk.set_ticks(side::bid, inner - 100, 0);
  check_against_naive(bk, t);
  for (int i = 1; i <= 40; ++i) {
    bk.set_ticks(side::bid, 99950 + i, 0);
    check_against_naive(bk, t);
  }
}
