// Cost of one level update on a book with 5 000 levels per side, per layout: at the top of the
// book, at rank 2 500 (the middle of the side) and on a mix drawn by rank as the real 2026
// BTCUSDT stream changes levels. Layouts: the book itself (`l2_book`: a tick window over pages
// of k_page_levels), the bare tick window at two widths, the bare paged ladder at 16..256 per
// page, the flat sorted vector the book used first and a node-based std::map, as the
// alternatives (benchmarks/README.md).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <vector>

#include "book_fixture.hpp"

using namespace depthmon;
using core::side;

namespace {

constexpr int k_levels = 5000;
constexpr std::size_t idx(side s) { return static_cast<std::size_t>(s); }

// The book as venues drive it.
struct chosen_book {
  book::l2_book b;
  void fill() { bench::fill(b, k_levels); }
  void set(side s, std::int64_t p, std::int64_t q) { b.set_ticks(s, p, q); }
};

// The fixture's levels as both sides' sorted keys, bulk-loaded into bare ladders.
template <class Ladder>
void fill_sides(Ladder (&sides)[2]) {
  std::vector<book::keyed_level> v[2];
  for (int i = k_levels - 1; i >= 0; --i) {
    v[0].push_back({bench::k_mid - 2 - i * bench::k_spacing, 100 + i % 17});
    v[1].push_back({-(bench::k_mid + 2 + i * bench::k_spacing), 100 + i % 13});
  }
  for (int s = 0; s < 2; ++s) sides[s].assign_sorted(v[s].data(), v[s].size());
}

// The bare ladder at another page size.
template <std::uint32_t Cap>
struct paged_book {
  book::paged_ladder<Cap> sides[2];
  void fill() { fill_sides(sides); }
  void set(side s, std::int64_t p, std::int64_t q) { sides[idx(s)].set(book::key_of(s, p), q); }
};

// The bare tick window over pages of 32, W ticks wide (5 000 levels span 20 000 ticks here).
template <std::uint32_t W>
struct window_book {
  book::tick_window_ladder<32, W> sides[2];
  void fill() { fill_sides(sides); }
  void set(side s, std::int64_t p, std::int64_t q) { sides[idx(s)].set(book::key_of(s, p), q); }
};

// The first layout: one flat vector per side, ascending key, best at the back, a short probe
// from the back before bisecting (lib/book/l2_book.cpp until 2026-12).
struct flat_book {
  std::vector<book::keyed_level> sides[2];
  void fill() {
    for (int i = k_levels - 1; i >= 0; --i) {
      sides[0].push_back({bench::k_mid - 2 - i * bench::k_spacing, 100 + i % 17});
      sides[1].push_back({-(bench::k_mid + 2 + i * bench::k_spacing), 100 + i % 13});
    }
  }
  void set(side s, std::int64_t p, std::int64_t q) {
    auto& v = sides[idx(s)];
    const std::int64_t key = book::key_of(s, p);
    std::size_t i = v.size();
    const std::size_t stop = v.size() > 8 ? v.size() - 8 : 0;
    while (i > stop && v[i - 1].key >= key) --i;
    if (i == stop && stop > 0)
      i = static_cast<std::size_t>(
          std::lower_bound(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(stop), key,
                           [](const book::keyed_level& l, std::int64_t k) { return l.key < k; }) -
          v.begin());
    if (i < v.size() && v[i].key == key) {
      if (q == 0) v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
      else v[i].qty = q;
    } else if (q != 0) {
      v.insert(v.begin() + static_cast<std::ptrdiff_t>(i), {key, q});
    }
  }
};

// A node-based ordered map per side.
struct map_book {
  std::map<std::int64_t, std::int64_t, std::greater<>> bids;
  std::map<std::int64_t, std::int64_t> asks;
  void fill() {
    for (int i = 0; i < k_levels; ++i) {
      set(side::bid, bench::k_mid - 2 - i * bench::k_spacing, 100 + i % 17);
      set(side::ask, bench::k_mid + 2 + i * bench::k_spacing, 100 + i % 13);
    }
  }
  void set(side s, std::int64_t p, std::int64_t q) {
    if (s == side::bid) {
      if (q == 0) bids.erase(p);
      else bids[p] = q;
    } else {
      if (q == 0) asks.erase(p);
      else asks[p] = q;
    }
  }
};

std::int64_t bid_at_rank(int r) { return bench::k_mid - 2 - r * bench::k_spacing; }

// Size change on one of the best three levels.
template <class B>
void BM_top_size_change(benchmark::State& st) {
  B b;
  b.fill();
  std::int64_t q = 1;
  int i = 0;
  for (auto _ : st) {
    b.set(side::bid, bid_at_rank(i % 3), ++q);
    ++i;
  }
  benchmark::ClobberMemory();
}

// A new best level appears, then goes: one insert or one delete per iteration.
template <class B>
void BM_top_insert_delete(benchmark::State& st) {
  B b;
  b.fill();
  bool on = false;
  for (auto _ : st) {
    b.set(side::ask, bench::k_mid + 1, on ? 0 : 7);
    on = !on;
  }
  benchmark::ClobberMemory();
}

// A level appears between ranks 2 500 and 2 501 of the 5 000, then goes: one insert or one
// delete per iteration (the target figure).
template <class B>
void BM_rank2500_insert_delete(benchmark::State& st) {
  B b;
  b.fill();
  bool on = false;
  const std::int64_t p = bid_at_rank(2500) - 1;
  for (auto _ : st) {
    b.set(side::bid, p, on ? 0 : 5);
    on = !on;
  }
  benchmark::ClobberMemory();
}

// Insert then delete at a random rank among the deepest 2 500 (two operations per iteration).
template <class B>
void BM_deep_insert_delete_pair(benchmark::State& st) {
  B b;
  b.fill();
  std::mt19937 rng(2);
  for (auto _ : st) {
    const std::int64_t p = bid_at_rank(2500 + static_cast<int>(rng() % 2500)) - 1;
    b.set(side::bid, p, 5);
    b.set(side::bid, p, 0);
  }
  benchmark::ClobberMemory();
}

// Size change on a random existing level among the deepest 2 500.
template <class B>
void BM_deep_size_change(benchmark::State& st) {
  B b;
  b.fill();
  std::mt19937 rng(1);
  std::int64_t q = 1;
  for (auto _ : st) b.set(side::bid, bid_at_rank(2500 + static_cast<int>(rng() % 2500)), ++q);
  benchmark::ClobberMemory();
}

// Changes drawn by rank and kind as on the real BTCUSDT diff stream of 2026-08-24 (the
// buckets of the `btcusdt2026` profile of tools/gen_binance_stream.py): 18 % in the top 10
// levels, 34 % in 10-100, 26 % in 100-500, 21 % deeper; deletes and inserts dominate away from
// the touch. The sequence is followed by its inverse, so the book returns to its start and
// the cycle can repeat; one operation per iteration.
struct op {
  side s;
  std::int64_t price, qty;
};

const std::vector<op>& btcusdt2026_ops() {
  static const std::vector<op> ops = [] {
    struct bucket {
      std::size_t hi;
      double share, p_chg, p_del;
    };
    const bucket buckets[] = {{10, 0.184, 0.46, 0.23}, {100, 0.343, 0.33, 0.35},
                              {500, 0.263, 0.12, 0.44}, {0, 0.210, 0.14, 0.40}};
    std::map<std::int64_t, std::int64_t> ref[2];  // by key, ascending: best last
    for (int i = 0; i < k_levels; ++i) {
      ref[0][bench::k_mid - 2 - i * bench::k_spacing] = 100 + i % 17;
      ref[1][-(bench::k_mid + 2 + i * bench::k_spacing)] = 100 + i % 13;
    }
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(0, 1);
    std::vector<op> fwd, inv;
    while (fwd.size() < 20000) {
      const side s = (rng() & 1) ? side::bid : side::ask;
      auto& m = ref[idx(s)];
      double r = u(rng);
      std::size_t lo = 0, b = 0;
      for (; b < 3 && r >= buckets[b].share; ++b) {
        r -= buckets[b].share;
        lo = buckets[b].hi;
      }
      const std::size_t hi = std::min(m.size(), buckets[b].hi ? buckets[b].hi : m.size());
      const std::size_t rank = lo + rng() % (hi - lo);
      const auto it = std::prev(m.end(), static_cast<std::ptrdiff_t>(rank) + 1);
      std::int64_t key = it->first, qty;
      // Depth stays near 5 000 as on the venue: deletes when deep, inserts when thin.
      double kind = u(rng);
      if (m.size() > k_levels * 11 / 10) kind = buckets[b].p_chg + buckets[b].p_del / 2;
      else if (m.size() < k_levels * 9 / 10) kind = 1.0;
      if (kind < buckets[b].p_chg) {
        qty = 1 + static_cast<std::int64_t>(rng() % 200000);
      } else if (kind < buckets[b].p_chg + buckets[b].p_del) {
        qty = 0;
      } else {
        key -= 1;  // one tick further from the touch
        if (rank == 0 && rng() % 2 == 0) key += 2;  // improves the best instead
        if (m.count(key)) continue;
        qty = 1 + static_cast<std::int64_t>(rng() % 200000);
      }
      const auto old = m.find(key);
      const std::int64_t before = old == m.end() ? 0 : old->second;
      if (qty == 0) m.erase(key);
      else m[key] = qty;
      fwd.push_back({s, book::price_of(s, key), qty});
      inv.push_back({s, book::price_of(s, key), before});
    }
    fwd.insert(fwd.end(), inv.rbegin(), inv.rend());
    return fwd;
  }();
  return ops;
}

template <class B>
void BM_btcusdt2026_mix(benchmark::State& st) {
  const auto& ops = btcusdt2026_ops();
  B b;
  b.fill();
  std::size_t i = 0;
  for (auto _ : st) {
    const op& o = ops[i];
    b.set(o.s, o.price, o.qty);
    if (++i == ops.size()) i = 0;
  }
  benchmark::ClobberMemory();
}

#define DEPTHMON_LAYOUTS(bm)                                                       \
  BENCHMARK_TEMPLATE(bm, chosen_book);                                            \
  BENCHMARK_TEMPLATE(bm, window_book<4096>);                                      \
  BENCHMARK_TEMPLATE(bm, window_book<16384>);                                     \
  BENCHMARK_TEMPLATE(bm, paged_book<16>);                                         \
  BENCHMARK_TEMPLATE(bm, paged_book<32>);                                         \
  BENCHMARK_TEMPLATE(bm, paged_book<64>);                                         \
  BENCHMARK_TEMPLATE(bm, paged_book<128>);                                        \
  BENCHMARK_TEMPLATE(bm, paged_book<256>);                                        \
  BENCHMARK_TEMPLATE(bm, flat_book);                                              \
  BENCHMARK_TEMPLATE(bm, map_book)

DEPTHMON_LAYOUTS(BM_top_size_change);
DEPTHMON_LAYOUTS(BM_top_insert_delete);
DEPTHMON_LAYOUTS(BM_rank2500_insert_delete);
DEPTHMON_LAYOUTS(BM_deep_insert_delete_pair);
DEPTHMON_LAYOUTS(BM_deep_size_change);
DEPTHMON_LAYOUTS(BM_btcusdt2026_mix);

}  // namespace

BENCHMARK_MAIN();
