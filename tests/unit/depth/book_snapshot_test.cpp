// depth::capture_snapshot against the naive reference (tests/support/naive_depth.hpp) on random
// books: bands, completeness, top levels, level counts, impacts; and what a book that is not
// publishable carries (nothing priced).
#include "depth/book_snapshot.hpp"

#include <catch2/catch.hpp>

#include <random>

#include "depth/band_tracker.hpp"
#include "depth/valuation.hpp"
#include "support/naive_depth.hpp"
#include "support/seed.hpp"

using namespace depthmon;
using core::side;

namespace {

constexpr std::size_t idx(side s) { return static_cast<std::size_t>(s); }

void check_priced(const depth::book_snapshot& snap, const book::tracked_book& tb,
                  const depth::band_set& bands, const depth::impact_targets& t) {
  const book::l2_book& bk = tb.book;
  REQUIRE(snap.live());
  CHECK(snap.bid_levels == bk.size(side::bid));
  CHECK(snap.ask_levels == bk.size(side::ask));
  // Top levels: the best K (or all) per side, best first, exactly the book's.
  for (side s : {side::bid, side::ask}) {
    const std::size_t want = std::min(bk.size(s), depth::snapshot_top_levels);
    const auto& top = s == side::bid ? snap.top_bids : snap.top_asks;
    REQUIRE((s == side::bid ? snap.top_bid_count : snap.top_ask_count) == want);
    for (std::size_t i = 0; i < want; ++i) REQUIRE(top[i] == bk.nth(s, i));
  }
  const bool mid = bk.best(side::bid) && bk.best(side::ask);
  REQUIRE(snap.depth.has_mid == mid);
  if (!mid) return;
  CHECK(snap.depth.mid2 == test::naive_mid2(bk));
  CHECK(snap.depth.best_bid == *bk.best(side::bid));
  REQUIRE(snap.depth.band_count == bands.size());
  for (std::size_t b = 0; b < bands.size(); ++b)
    for (side s : {side::bid, side::ask}) {
      const auto n = test::naive(bk, s, bands[b]);
      INFO("band " << bands[b].pct_text() << " side " << core::to_string(s));
      REQUIRE(snap.depth.bands[b][s].complete == n.complete);
      if (n.complete) {  // an incomplete side's sums are never read (missing, not partial)
        REQUIRE(snap.depth.bands[b][s].qty == n.qty);
        REQUIRE(snap.depth.bands[b][s].notional == n.notional);
      }
    }
  REQUIRE(snap.impact_count == t.count);
  for (std::size_t i = 0; i < t.count; ++i)
    for (side s : {side::bid, side::ask}) {
      const auto& f = snap.impacts[i][idx(s)];
      const auto want = test::naive_impact_price(bk, s, t.quote[i]);
      INFO("impact " << i << " side " << core::to_string(s));
      REQUIRE(f.present == want.has_value());
      if (want) {
        CHECK(f.last_price == *want);
        const double mid_p = static_cast<double>(test::naive_mid2(bk)) / 2;
        CHECK(f.bps == Approx(std::abs(static_cast<double>(*want) - mid_p) / mid_p * 1e4));
      }
      CHECK(snap.impact_usd[i] == t.usd[i]);
    }
}

depth::impact_targets targets_for(const book::l2_book& bk, std::initializer_list<std::int64_t> quote) {
  depth::impact_targets t;
  t.notional_scale = bk.price_scale() + bk.qty_scale();
  t.has_usd_rate = true;
  t.usd_per_quote = 1;
  for (auto q : quote) {
    t.usd[t.count] = q;
    t.quote[t.count++] = q;
  }
  return t;
}

}  // namespace

TEST_CASE("a snapshot equals the naive reference on random books", "[book_snapshot][property]") {
  const std::uint64_t fallback = GENERATE(11, 12, 13);
  DEPTHMON_PROPERTY_SEED(seed, fallback);
  std::mt19937_64 rng(seed);
  book::tracked_book tb("X");
  const auto bands = *depth::parse_bands("0.1,0.5,1,2,5,10");
  depth::band_tracker t(tb.book, bands);
  tb.status = book::book_status::live;
  std::int64_t mid = 10000;
  depth::book_snapshot snap;
  for (int step = 0; step < 3000; ++step) {
    const auto r = rng() % 100;
    if (r < 3) {
      mid += static_cast<std::int64_t>(rng() % 401) - 200;
      if (mid < 3000) mid = 3000;
    } else if (r < 6) {
      const side s = (rng() & 1) ? side::bid : side::ask;
      const auto k = rng() % 3;
      tb.book.set_coverage(s, k == 0   ? book::coverage::full_book()
                              : k == 1 ? book::coverage::top_n(static_cast<std::uint32_t>(rng() % 120))
                                       : book::coverage::down_to(s == side::bid ? mid - 150 : mid + 150));
    } else {
      const side s = (rng() & 1) ? side::bid : side::ask;
      const auto dist = static_cast<std::int64_t>(rng() % (rng() % 8 == 0 ? 1500 : 40));
      const std::int64_t price = s == side::bid ? mid - 1 - dist : mid + 1 + dist;
      const std::int64_t qty = rng() % 5 == 0 ? 0 : static_cast<std::int64_t>(1 + rng() % 900);
      if (s == side::bid && tb.book.best(side::ask) && price >= tb.book.best(side::ask)->price) continue;
      if (s == side::ask && tb.book.best(side::bid) && price <= tb.book.best(side::bid)->price) continue;
      tb.book.set_ticks(s, price, qty);
    }
    ++tb.counters.messages;
    tb.last_update_id = static_cast<std::uint64_t>(step);
    if (rng() % 4 != 0) continue;  // captures skip steps: the tracker must keep up unobserved
    const auto tg = targets_for(tb.book, {1'000'000, 50'000'000, 1'000'000'000'000});
    depth::capture_snapshot(snap, tb, t, true, tg, 1000 + step);
    check_priced(snap, tb, bands, tg);
    CHECK(snap.counters.messages == tb.counters.messages);
    CHECK(snap.has_update_id);
    CHECK(snap.last_update_id == static_cast<std::uint64_t>(step));
    CHECK(snap.publish_time == 1000 + step);
    CHECK(snap.ever_live);
  }
}

TEST_CASE("bands beyond the coverage boundary stay missing in the snapshot", "[book_snapshot]") {
  book::tracked_book tb("X");
  const auto bands = *depth::parse_bands("1,5");
  depth::band_tracker t(tb.book, bands);
  tb.status = book::book_status::live;
  for (std::int64_t i = 0; i < 20; ++i) {
    tb.book.set_ticks(side::bid, 999 - i, 10);   // down to 980: 2 % below mid
    tb.book.set_ticks(side::ask, 1001 + i, 10);  // up to 1020
  }
  tb.book.set_coverage(side::bid, book::coverage::top_n(20));  // the venue shows 20 levels
  const auto snap = depth::snapshot_of(tb, t);
  REQUIRE(snap.depth.has_mid);
  CHECK(snap.depth.bands[0][side::bid].complete);        // ±1 %: 990..1000, shown
  CHECK_FALSE(snap.depth.bands[1][side::bid].complete);  // ±5 %: reaches past level 20
  CHECK(snap.depth.bands[1][side::ask].complete);        // the ask side is the whole book
  // An impact that needs levels beyond the boundary is missing, not a partial figure.
  const auto tg = targets_for(tb.book, {5'000, 1'000'000});
  depth::book_snapshot s2;
  depth::capture_snapshot(s2, tb, t, true, tg, 0);
  CHECK(s2.impacts[0][idx(side::bid)].present);
  CHECK_FALSE(s2.impacts[1][idx(side::bid)].present);
  // A target made for another notional scale is not applied to this book.
  auto stale_scale = tg;
  stale_scale.notional_scale += 1;
  depth::capture_snapshot(s2, tb, t, true, stale_scale, 0);
  CHECK_FALSE(s2.impacts[0][idx(side::bid)].present);
}

TEST_CASE("a book that is not publishable publishes status and counters, nothing priced",
          "[book_snapshot]") {
  book::tracked_book tb("X");
  depth::band_tracker t(tb.book, *depth::parse_bands("2"));
  tb.book.set_ticks(side::bid, 99, 1);
  tb.book.set_ticks(side::ask, 101, 1);
  tb.status = book::book_status::live;
  tb.counters.messages = 7;
  tb.last_event_time = 5;
  tb.last_receive_time = 6;
  depth::book_snapshot snap;
  const auto tg = targets_for(tb.book, {10});
  depth::capture_snapshot(snap, tb, t, true, tg, 0);
  REQUIRE(snap.depth.has_mid);
  REQUIRE(snap.top_bid_count == 1);
  REQUIRE(snap.impacts[0][0].present);

  // Held back by its owner (stale): reused buffer, every priced figure cleared.
  depth::capture_snapshot(snap, tb, t, false, tg, 0);
  CHECK(snap.held);
  CHECK_FALSE(snap.live());
  CHECK_FALSE(snap.depth.has_mid);
  CHECK(snap.depth.best_bid == book::level{});
  CHECK(snap.top_bid_count == 0);
  CHECK(snap.top_ask_count == 0);
  CHECK(snap.impact_count == 0);
  CHECK(snap.counters.messages == 7);
  CHECK(snap.event_time == 5);
  CHECK(snap.receive_time == 6);
  CHECK(snap.bid_levels == 1);
  CHECK(snap.ever_live);  // it was live before

  // Invalidated by the venue check: status and why, no levels even though counted.
  tb.invalidate({core::errc::checksum_mismatch, "crc32"});
  depth::capture_snapshot(snap, tb, t, true, tg, 0);
  CHECK(snap.status == book::book_status::invalid);
  CHECK_FALSE(snap.held);
  CHECK_FALSE(snap.depth.has_mid);
  CHECK(snap.last_error.code == core::errc::checksum_mismatch);
  CHECK(std::string_view(snap.last_error.detail) == "crc32");
  CHECK(snap.counters.resyncs == 1);
  CHECK_FALSE(snap.has_update_id);

  book::tracked_book fresh("Y");
  depth::band_tracker t2(fresh.book, *depth::parse_bands("2"));
  const auto s3 = depth::snapshot_of(fresh, t2);
  CHECK(s3.status == book::book_status::syncing);
  CHECK_FALSE(s3.ever_live);
  CHECK_FALSE(s3.depth.has_mid);
}
