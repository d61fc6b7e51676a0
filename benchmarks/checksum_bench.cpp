// Cost of a venue checksum per message on a deep book: Kraken's CRC32 over the top 10 levels
// per side formatted at the pair's precision (target <= 1 us on a 1 000-level book), and OKX's
// legacy signed CRC32 over the top 25 interleaved (historical data only).
#include <benchmark/benchmark.h>

#include "book/l2_book.hpp"
#include "venues/kraken/checksum.hpp"
#include "venues/okx/checksum.hpp"

using namespace depthmon;
using core::side;

namespace {

// 1 000 levels per side around 45 285.2 with 8-decimal sizes, like Kraken's BTC/USD.
void fill(book::l2_book& b) {
  b.begin_bulk();
  for (int i = 0; i < 1000; ++i) {
    const std::int64_t q = 12345678 + i * 1001;  // 0.12345678 ..
    (void)b.set(side::bid, core::decimal{452852 - i, 1}, core::decimal{q, 8});
    (void)b.set(side::ask, core::decimal{452853 + i, 1}, core::decimal{q + 7, 8});
  }
  b.end_bulk();
}

void BM_kraken_checksum_top10(benchmark::State& st) {
  book::l2_book b;
  fill(b);
  for (auto _ : st) {
    auto c = venues::kraken::book_checksum(b, 1, 8);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_kraken_checksum_top10);

// What the Kraken sync pays per message: one top level changed, the cache reformats only it.
void BM_kraken_checksum_cached_after_top_change(benchmark::State& st) {
  book::l2_book b;
  fill(b);
  venues::kraken::checksum_cache cache;
  std::int64_t q = 1;
  for (auto _ : st) {
    b.set_ticks(side::bid, 452852, 12345678 + (++q % 1000));
    auto c = cache.checksum(b, 1, 8);
    benchmark::DoNotOptimize(c);
  }
}
BENCHMARK(BM_kraken_checksum_cached_after_top_change);

void BM_okx_legacy_checksum_top25(benchmark::State& st) {
  book::l2_book b;
  fill(b);
  for (auto _ : st) benchmark::DoNotOptimize(venues::okx::legacy_checksum(b));
}
BENCHMARK(BM_okx_legacy_checksum_top25);

}  // namespace

BENCHMARK_MAIN();
