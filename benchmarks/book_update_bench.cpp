// Cost of one level update on a book with 5 000 levels per side: at the top of the book
// (where most venue traffic lands) and deep in it; size changes, inserts and deletes. The same
// operations on a std::map ladder are measured alongside, as the alternative the flat sorted
// vector was chosen against (benchmarks/README.md).
#include <benchmark/benchmark.h>

#include <functional>
#include <map>
#include <random>

#include "book_fixture.hpp"

using namespace depthmon;
using core::side;

namespace {

constexpr int k_levels = 5000;

// The alternative: a node-based ordered map per side.
struct map_book {
  std::map<std::int64_t, std::int64_t, std::greater<>> bids;
  std::map<std::int64_t, std::int64_t> asks;
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

void fill_map(map_book& m) {
  for (int i = 0; i < k_levels; ++i) {
    m.set(side::bid, bench::k_mid - 2 - i * bench::k_spacing, 100);
    m.set(side::ask, bench::k_mid + 2 + i * bench::k_spacing, 100);
  }
}

// Size change on one of the best three levels.
void BM_top_of_book_size_change(benchmark::State& st) {
  book::l2_book b;
  bench::fill(b, k_levels);
  std::int64_t q = 1;
  int i = 0;
  for (auto _ : st) {
    b.set_ticks(side::bid, bench::k_mid - 2 - (i % 3) * bench::k_spacing, ++q);
    ++i;
  }
  benchmark::DoNotOptimize(b.best(side::bid));
}
BENCHMARK(BM_top_of_book_size_change);

// A new best level appears, then goes (insert + delete at the top).
void BM_top_of_book_insert_delete(benchmark::State& st) {
  book::l2_book b;
  bench::fill(b, k_levels);
  bool on = false;
  for (auto _ : st) {
    b.set_ticks(side::ask, bench::k_mid + 1, on ? 0 : 7);
    on = !on;
  }
  benchmark::DoNotOptimize(b.best(side::ask));
}
BENCHMARK(BM_top_of_book_insert_delete);

// Size change on a random existing level among the deepest 2 500.
void BM_deep_size_change(benchmark::State& st) {
  book::l2_book b;
  bench::fill(b, k_levels);
  std::mt19937 rng(1);
  std::int64_t q = 1;
  for (auto _ : st) {
    const int lvl = 2500 + static_cast<int>(rng() % 2500);
    b.set_ticks(side::bid, bench::k_mid - 2 - lvl * bench::k_spacing, ++q);
  }
  benchmark::DoNotOptimize(b.size(side::bid));
}
BENCHMARK(BM_deep_size_change);

// Insert then delete a level between two existing deep levels (shifts the tail of the vector).
void BM_deep_insert_delete(benchmark::State& st) {
  book::l2_book b;
  bench::fill(b, k_levels);
  std::mt19937 rng(2);
  for (auto _ : st) {
    const int lvl = 2500 + static_cast<int>(rng() % 2500);
    const std::int64_t p = bench::k_mid - 2 - lvl * bench::k_spacing - 1;
    b.set_ticks(side::bid, p, 5);
    b.set_ticks(side::bid, p, 0);
  }
  benchmark::DoNotOptimize(b.size(side::bid));
}
BENCHMARK(BM_deep_insert_delete);

void BM_map_top_of_book_size_change(benchmark::State& st) {
  map_book m;
  fill_map(m);
  std::int64_t q = 1;
  int i = 0;
  for (auto _ : st) {
    m.set(side::bid, bench::k_mid - 2 - (i % 3) * bench::k_spacing, ++q);
    ++i;
  }
  benchmark::DoNotOptimize(m.bids.begin()->second);
}
BENCHMARK(BM_map_top_of_book_size_change);

void BM_map_top_of_book_insert_delete(benchmark::State& st) {
  map_book m;
  fill_map(m);
  bool on = false;
  for (auto _ : st) {
    m.set(side::ask, bench::k_mid + 1, on ? 0 : 7);
    on = !on;
  }
  benchmark::DoNotOptimize(m.asks.begin()->second);
}
BENCHMARK(BM_map_top_of_book_insert_delete);

void BM_map_deep_insert_delete(benchmark::State& st) {
  map_book m;
  fill_map(m);
  std::mt19937 rng(2);
  for (auto _ : st) {
    const int lvl = 2500 + static_cast<int>(rng() % 2500);
    const std::int64_t p = bench::k_mid - 2 - lvl * bench::k_spacing - 1;
    m.set(side::bid, p, 5);
    m.set(side::bid, p, 0);
  }
  benchmark::DoNotOptimize(m.bids.size());
}
BENCHMARK(BM_map_deep_insert_delete);

}  // namespace

BENCHMARK_MAIN();
