#include "book/l2_book.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <vector>

#include "support/seed.hpp"

using namespace depthmon;
using book::l2_book;
using book::level;
using core::side;

namespace {
core::decimal d(const char* s) { return *core::parse_decimal(s); }

struct recorder final : book::book_observer {
  struct ev {
    side s;
    std::int64_t price, old_qty, new_qty;
  };
  std::vector<ev> events;
  int resets = 0;
  void on_level(side s, std::int64_t p, std::int64_t o, std::int64_t n) noexcept override {
    events.push_back({s, p, o, n});
  }
  void on_reset() noexcept override { ++resets; }
};
}  // namespace

TEST_CASE("set, replace and delete levels with exact prices", "[book]") {
  l2_book b;
  REQUIRE(b.set(side::bid, d("100.5"), d("2")));
  REQUIRE(b.set(side::bid, d("100.25"), d("1")));
  REQUIRE(b.set(side::ask, d("101"), d("3")));
  CHECK(b.price_scale() == 2);
  CHECK(b.best(side::bid)->price == 10050);
  CHECK(b.best(side::ask)->price == 10100);
  REQUIRE(b.set(side::bid, d("100.50000000"), d("5")));  // same price, other text
  CHECK(b.size(side::bid) == 2);
  CHECK(b.best(side::bid)->qty == 5);
  REQUIRE(b.set(side::bid, d("100.5"), d("0")));
  CHECK(b.best(side::bid)->price == 10025);
  REQUIRE(b.set(side::bid, d("99"), d("0")));  // deleting an absent level is a no-op
  CHECK(b.size(side::bid) == 1);
  CHECK_FALSE(b.set(side::bid, d("0"), d("1")));
  CHECK_FALSE(b.set(side::bid, d("-1"), d("1")));
  CHECK_FALSE(b.set(side::ask, d("1"), d("-1")));
  CHECK(b.size(side::ask) == 1);
}

TEST_CASE("finer wire values grow the scale exactly", "[book]") {
  l2_book b;
  REQUIRE(b.set(side::ask, d("2"), d("1")));
  REQUIRE(b.set(side::ask, d("1.5"), d("0.25")));
  CHECK(b.price_scale() == 1);
  CHECK(b.qty_scale() == 2);
  CHECK(b.nth(side::ask, 0) == level{15, 25});
  CHECK(b.nth(side::ask, 1) == level{20, 100});
  // A rescale that would overflow leaves the book untouched.
  REQUIRE(b.set(side::bid, d("9000000000"), d("1")));
  auto st = b.set(side::bid, d("0.0000000001"), d("1"));
  CHECK(st.code() == core::errc::precision_loss);
  CHECK(b.price_scale() == 1);
  CHECK(b.size(side::bid) == 1);
}

TEST_CASE("ordering, top levels, truncation", "[book]") {
  l2_book b;
  for (int p = 1; p <= 10; ++p) {
    b.set_ticks(side::bid, p, p);
    b.set_ticks(side::ask, 100 + p, p);
  }
  CHECK(b.best(side::bid)->price == 10);
  CHECK(b.best(side::ask)->price == 101);
  std::vector<level> top;
  b.top(side::bid, 3, top);
  CHECK(top == std::vector<level>{{10, 10}, {9, 9}, {8, 8}});
  b.top(side::ask, 2, top);
  CHECK(top == std::vector<level>{{101, 1}, {102, 2}});
  recorder r;
  b.set_observer(&r);
  b.truncate(4);
  CHECK(b.size(side::bid) == 4);
  CHECK(b.size(side::ask) == 4);
  CHECK(b.nth(side::bid, 3).price == 7);
  CHECK(b.nth(side::ask, 3).price == 104);
  CHECK(r.events.size() == 12);  // every dropped level is reported
  b.set_observer(nullptr);
}

TEST_CASE("crossed and locked books are detected", "[book]") {
  l2_book b;
  CHECK_FALSE(b.crossed());
  b.set_ticks(side::bid, 100, 1);
  CHECK_FALSE(b.crossed());
  b.set_ticks(side::ask, 101, 1);
  CHECK_FALSE(b.crossed());
  CHECK_FALSE(b.locked());
  b.set_ticks(side::bid, 101, 1);
  CHECK(b.locked());
  CHECK_FALSE(b.crossed());
  b.set_ticks(side::bid, 102, 1);
  CHECK(b.crossed());
}

TEST_CASE("coverage boundary per side", "[book]") {
  l2_book b;
  for (int p = 1; p <= 5; ++p) {
    b.set_ticks(side::bid, p, 1);
    b.set_ticks(side::ask, 10 + p, 1);
  }
  CHECK_FALSE(b.coverage_key(side::bid).has_value());  // full book by default
  b.set_coverage(side::bid, book::coverage::down_to(3));
  CHECK(*b.coverage_key(side::bid) == 3);
  b.set_coverage(side::ask, book::coverage::down_to(14));
  CHECK(*b.coverage_key(side::ask) == -14);
  b.set_coverage(side::ask, book::coverage::top_n(3));
  CHECK(*b.coverage_key(side::ask) == -13);  // the current 3rd level
  b.set_ticks(side::ask, 12, 0);
  CHECK(*b.coverage_key(side::ask) == -14);  // follows the book
  b.set_coverage(side::ask, book::coverage::top_n(10));
  CHECK_FALSE(b.coverage_key(side::ask).has_value());  // fewer than N levels: all shown
  // A venue showing zero levels tells nothing: above every key (the naive reference agrees).
  b.set_coverage(side::ask, book::coverage::top_n(0));
  CHECK(b.coverage_key(side::ask) == l2_book::k_nothing_known);
  b.set_ticks(side::ask, 11, 0);
  b.set_ticks(side::ask, 13, 0);
  b.set_ticks(side::ask, 14, 0);
  b.set_ticks(side::ask, 15, 0);
  CHECK(b.coverage_key(side::ask) == l2_book::k_nothing_known);  // also on an empty side
}

TEST_CASE("observers see every change, bulk loads as one reset", "[book]") {
  l2_book b;
  recorder r;
  b.set_observer(&r);
  b.set_ticks(side::bid, 10, 1);
  b.set_ticks(side::bid, 10, 3);
  b.set_ticks(side::bid, 10, 3);  // no change, no event
  b.set_ticks(side::bid, 10, 0);
  b.set_ticks(side::bid, 11, 0);  // absent, no event
  REQUIRE(r.events.size() == 3);
  CHECK(r.events[1].old_qty == 1);
  CHECK(r.events[1].new_qty == 3);
  CHECK(r.events[2].new_qty == 0);
  b.begin_bulk();
  const int resets_before = r.resets;
  b.set_ticks(side::ask, 20, 1);
  b.set_ticks(side::ask, 21, 1);
  b.end_bulk();
  CHECK(r.events.size() == 3);
  CHECK(r.resets == resets_before + 1);
  b.set_observer(nullptr);
}

TEST_CASE("random operations match a std::map reference", "[book][property]") {
  DEPTHMON_PROPERTY_SEED(seed, 7);
  std::mt19937_64 rng(seed);
  l2_book b;
  std::map<std::int64_t, std::int64_t> ref[2];
  for (int step = 0; step < 200000; ++step) {
    const side s = (rng() & 1) ? side::bid : side::ask;
    // Concentrate near the top like real traffic, with some deep changes.
    const std::int64_t base = s == side::bid ? 10000 : 10001;
    const std::int64_t dist = (rng() % 8 == 0) ? static_cast<std::int64_t>(rng() % 5000)
                                               : static_cast<std::int64_t>(rng() % 20);
    const std::int64_t price = s == side::bid ? base - dist : base + dist;
    const std::int64_t qty = (rng() % 3 == 0) ? 0 : static_cast<std::int64_t>(1 + rng() % 1000);
    b.set_ticks(s, price, qty);
    auto& m = ref[static_cast<int>(s)];
    if (qty == 0) m.erase(price);
    else m[price] = qty;
    if (step % 997 == 0) {
      for (side t : {side::bid, side::ask}) {
        auto& mm = ref[static_cast<int>(t)];
        REQUIRE(b.size(t) == mm.size());
        std::size_t i = 0;
        if (t == side::bid) {
          for (auto it = mm.rbegin(); it != mm.rend(); ++it, ++i)
            REQUIRE(b.nth(t, i) == level{it->first, it->second});
        } else {
          for (auto it = mm.begin(); it != mm.end(); ++it, ++i)
            REQUIRE(b.nth(t, i) == level{it->first, it->second});
        }
      }
    }
  }
}

TEST_CASE("bulk loads accept any order, repeated prices and zero sizes", "[book]") {
  l2_book b;
  b.set_ticks(side::bid, 1, 1);  // replaced by the load
  b.begin_bulk();
  b.set_ticks(side::bid, 10, 1);
  b.set_ticks(side::bid, 8, 2);
  b.set_ticks(side::bid, 9, 3);
  b.set_ticks(side::bid, 10, 4);  // later entry for the same price wins
  b.set_ticks(side::bid, 7, 0);   // zero: no level
  b.set_ticks(side::ask, 12, 1);
  b.set_ticks(side::ask, 11, 1);
  b.set_ticks(side::ask, 11, 0);  // set then deleted
  b.end_bulk();
  std::vector<level> top;
  b.top(side::bid, 10, top);
  CHECK(top == std::vector<level>{{10, 4}, {9, 3}, {8, 2}});
  b.top(side::ask, 10, top);
  CHECK(top == std::vector<level>{{12, 1}});
}

TEST_CASE("clear() resets the scales with the content", "[book][regression]") {
  // One dust size with 12 decimals must not make later large sizes unrepresentable: before the
  // fix the size scale stayed at 12 across clear(), and 90 000 000 × 10^12 overflows int64.
  l2_book b;
  REQUIRE(b.set(side::bid, d("100.5"), d("0.000000000001")));
  CHECK(b.qty_scale() == 12);
  b.clear();
  CHECK(b.price_scale() == 0);
  CHECK(b.qty_scale() == 0);
  REQUIRE(b.set(side::bid, d("100"), d("90000000")));
  REQUIRE(b.set(side::ask, d("101"), d("0.5")));
  CHECK(b.qty_scale() == 1);
  CHECK(b.best(side::bid)->qty == 900000000);
  // A snapshot replaces the content, so it starts from fresh scales too.
  b.clear();
  REQUIRE(b.set(side::ask, d("101.000001"), d("0.000000000001")));
  b.begin_bulk();
  REQUIRE(b.set(side::bid, d("99"), d("90000000")));
  REQUIRE(b.set(side::ask, d("102"), d("1")));
  b.end_bulk();
  CHECK(b.price_scale() == 0);
  CHECK(b.qty_scale() == 0);
  CHECK(b.size(side::ask) == 1);
}

TEST_CASE("clear() keeps a to_price coverage boundary exact", "[book]") {
  // The boundary outlives the content (venues set it again after their next snapshot); the
  // price scale shrinks only as far as the boundary's own digits allow.
  l2_book b;
  REQUIRE(b.set(side::bid, d("100.25"), d("1")));
  REQUIRE(b.set(side::bid, d("99.5"), d("1")));
  REQUIRE(b.set(side::ask, d("101.5"), d("1")));
  REQUIRE(b.set(side::ask, d("101.75"), d("0.001")));
  b.set_coverage(side::bid, book::coverage::down_to(9950));
  b.set_coverage(side::ask, book::coverage::down_to(10175));
  b.clear();
  CHECK(b.price_scale() == 2);  // 101.75 needs two decimals
  CHECK(b.qty_scale() == 0);
  CHECK(*b.coverage_key(side::ask) == -10175);
  b.set_coverage(side::ask, book::coverage::top_n(5));
  b.clear();
  CHECK(b.price_scale() == 1);  // only 99.5 is left
  CHECK(*b.coverage_key(side::bid) == 995);
}

TEST_CASE("a rescale that would overflow the coverage boundary fails", "[book][regression]") {
  // Before the fix the boundary was multiplied unchecked: the deepest ask of a snapshot, since
  // deleted, wrapped around int64 and the status said ok.
  l2_book b;
  REQUIRE(b.set(side::ask, d("9000000000"), d("1")));
  REQUIRE(b.set(side::ask, d("2"), d("1")));
  REQUIRE(b.set(side::bid, d("1"), d("1")));
  b.set_coverage(side::ask, book::coverage::down_to(9'000'000'000));
  REQUIRE(b.set(side::ask, d("9000000000"), d("0")));
  auto st = b.set(side::bid, d("1.0000000001"), d("1"));  // needs 10^10: the levels fit
  CHECK(st.code() == core::errc::precision_loss);
  CHECK(b.price_scale() == 0);
  CHECK(b.get_coverage(side::ask).price == 9'000'000'000);
  CHECK(b.size(side::bid) == 1);
  CHECK(b.best(side::bid)->price == 1);
  // A boundary that fits rescales with the levels.
  b.set_coverage(side::ask, book::coverage::down_to(3));
  REQUIRE(b.set(side::bid, d("1.0000000001"), d("1")));
  CHECK(b.get_coverage(side::ask).price == 30'000'000'000);
}

TEST_CASE("deep books: inserts and deletes at any rank, truncation, bulk loads",
          "[book][property]") {
  // Thousands of levels per side, so every page of the ladder splits and merges; changes drawn
  // by rank as on the real BTCUSDT stream (a fifth deeper than 500 levels), plus truncations
  // and snapshots whose sizes straddle page boundaries.
  const std::uint64_t fallback = GENERATE(21, 22);
  DEPTHMON_PROPERTY_SEED(seed, fallback);
  std::mt19937_64 rng(seed);
  l2_book b;
  std::map<std::int64_t, std::int64_t> ref[2];  // by price
  const auto load = [&](std::size_t n) {
    b.begin_bulk();
    ref[0].clear();
    ref[1].clear();
    for (std::size_t i = 0; i < n; ++i) {
      const auto bid = 100000 - 1 - static_cast<std::int64_t>(i) * 3;
      const auto ask = 100000 + 1 + static_cast<std::int64_t>(i) * 3;
      b.set_ticks(side::bid, bid, 1 + static_cast<std::int64_t>(i % 7));
      b.set_ticks(side::ask, ask, 1 + static_cast<std::int64_t>(i % 5));
      ref[0][bid] = 1 + static_cast<std::int64_t>(i % 7);
      ref[1][ask] = 1 + static_cast<std::int64_t>(i % 5);
    }
    b.end_bulk();
  };
  // The level at rank r from the best, by price.
  const auto at_rank = [&](side s, std::size_t r) {
    auto& m = ref[static_cast<int>(s)];
    return s == side::bid ? std::next(m.rbegin(), static_cast<std::ptrdiff_t>(r))->first
                          : std::next(m.begin(), static_cast<std::ptrdiff_t>(r))->first;
  };
  const auto check = [&] {
    for (side t : {side::bid, side::ask}) {
      auto& m = ref[static_cast<int>(t)];
      REQUIRE(b.ladder(t).levels->invariants_hold());
      REQUIRE(b.size(t) == m.size());
      // Worst to best by range-for, against the map in the same order.
      std::vector<std::int64_t> want, got;
      for (const auto& [p, q] : m) want.push_back(book::key_of(t, p) * 1000 + q);
      std::sort(want.begin(), want.end());
      for (const auto& l : b.ladder(t)) got.push_back(l.key * 1000 + l.qty);
      REQUIRE(got == want);
      if (!m.empty()) {
        for (int k = 0; k < 20; ++k) {
          const std::size_t r = rng() % m.size();
          REQUIRE(b.nth(t, r).price == at_rank(t, r));
        }
        REQUIRE(b.nth(t, m.size() - 1).price == at_rank(t, m.size() - 1));
        // The best levels copied in one walk: any count, past the side's size too.
        std::vector<level> top(1 + rng() % std::min<std::size_t>(m.size() + 10, 600));
        const std::size_t got_n = b.copy_best(t, top.data(), top.size());
        REQUIRE(got_n == std::min(top.size(), m.size()));
        for (std::size_t i = 0; i < got_n; ++i) REQUIRE(top[i] == b.nth(t, i));
        REQUIRE(b.copy_best(t, top.data(), 0) == 0);
        const auto n = static_cast<std::uint32_t>(1 + rng() % (m.size() + 10));
        b.set_coverage(t, book::coverage::top_n(n));
        const auto cov = b.coverage_key(t);
        if (n > m.size()) REQUIRE_FALSE(cov);
        else REQUIRE(*cov == book::key_of(t, at_rank(t, n - 1)));
      }
    }
  };
  load(5000);
  check();
  for (int step = 0; step < 60000; ++step) {
    const auto r = rng() % 10000;
    if (r < 3) {
      // 0, 1, around one and two pages at the bulk fill (3/4 of k_page_levels), 2 000, 5 000.
      constexpr std::size_t f = book::k_page_levels - book::k_page_levels / 4;
      const std::vector<std::size_t> sizes{0, 1, f - 1, f, f + 1, 2 * f, 2 * f + 1, 2000, 5000};
      load(sizes[rng() % sizes.size()]);
      continue;
    }
    const side s = (rng() & 1) ? side::bid : side::ask;
    auto& m = ref[static_cast<int>(s)];
    if (r < 8) {
      const std::size_t n = 1 + rng() % 6000;
      b.truncate(n);
      for (side t : {side::bid, side::ask}) {
        auto& mm = ref[static_cast<int>(t)];
        while (mm.size() > n) {
          if (t == side::bid) mm.erase(mm.begin());
          else mm.erase(std::prev(mm.end()));
        }
      }
      continue;
    }
    if (m.size() < 2) {
      b.set_ticks(s, s == side::bid ? 99000 : 101000, 1);
      m[s == side::bid ? 99000 : 101000] = 1;
      continue;
    }
    const auto band = rng() % 100;
    const std::size_t hi = band < 18 ? 10 : band < 52 ? 100 : band < 79 ? 500 : m.size();
    const std::size_t rank = rng() % std::min(hi, m.size());
    std::int64_t price = at_rank(s, rank);
    const auto kind = rng() % 3;
    std::int64_t qty = 0;
    if (kind == 0) {
      qty = 1 + static_cast<std::int64_t>(rng() % 999);  // size change
    } else if (kind == 1) {
      // insert next to the level (one tick further out), unless taken or at the touch
      price += s == side::bid ? -1 : 1;
      qty = 1 + static_cast<std::int64_t>(rng() % 999);
    }
    b.set_ticks(s, price, qty);
    if (qty == 0) m.erase(price);
    else m[price] = qty;
    if (step % 1500 == 0) check();
  }
  check();
}
