// Fault matrix, REST weight budget: 200 symbols need their first snapshot at once on Binance
// spot (6000 weight/min) and USD-M (2400/min). The simulator counts the weight it received per
// minute (rest_stats::max_minute_weight) and answers 429 above its limit, as Binance does.
//   * depth by need: the feed picks the deepest snapshot that fits every book within half the
//     budget, so all 200 books go live at once, under the budget, without one 429;
//   * a fixed depth 1000 (200 x 50 = 10 000 weight on spot, 200 x 20 = 4 000 on USD-M) does not
//     fit: the feed stops at its usable share (80 %) of the minute and the rest of the books
//     wait (syncing, never wrong); no 429, never over the budget.
// Bitstamp documents no REST weight budget (protocols.md §7), so only Retry-After applies to it
// (matrix_rest_refusal_test).
#include <catch2/catch.hpp>

#include "matrix_rig.hpp"

using namespace depthmon;
using namespace depthmon::test;

namespace {
matrix_options two_hundred(std::uint32_t depth) {
  matrix_options o;
  o.symbols = 200;
  o.levels_scale = 0.05;
  o.rate = 1.0;
  o.adjust = [depth](feed::venue_config& c) { c.snapshot_depth = depth; };
  o.adjust_sim = [](sim_server_options& s) {
    s.binance_weight_limit = s.venue == core::venue::binance ? 6000 : 2400;
  };
  return o;
}
std::uint32_t limit_of(core::venue v) { return v == core::venue::binance ? 6000 : 2400; }
}  // namespace

TEST_CASE("matrix: 200 snapshots at once stay within the REST weight budget", "[feed][integration][matrix]") {
  const std::vector<core::venue> vs{core::venue::binance, core::venue::binance_usdm};
  SECTION("depth by need") {
    matrix m(vs, two_hundred(0));
    m.start();
    REQUIRE(m.run_until([&] { return m.all_live(); }, ms(20'000), ms(1000)));
    for (auto& r : m.rigs) {
      INFO(r->name() << " depth " << r->fd->snapshot_depth());
      const auto st = r->srv->with_sim([](sim::venue_sim& s, sim_server_log&) { return s.rest_counters(); });
      CHECK(st.requests == 200);
      CHECK(st.refused == 0);
      CHECK(st.max_minute_weight <= limit_of(r->v) / 2);
      CHECK(r->fd->stats().rest_429 == 0);
    }
    CHECK(violations_text(m) == "");
  }
  SECTION("a fixed depth that does not fit") {
    matrix m(vs, two_hundred(1000));
    m.start();
    // Until the feeds stop asking: no request for 2 s.
    std::vector<std::uint64_t> last(m.rigs.size(), ~0ull);
    auto quiet_since = steady::now();
    REQUIRE(m.run_until([&] {
      bool same = true;
      for (std::size_t i = 0; i < m.rigs.size(); ++i) {
        const auto n = m.rigs[i]->fd->stats().snapshot_requests;
        same = same && n == last[i];
        last[i] = n;
      }
      if (!same) quiet_since = steady::now();
      return steady::now() - quiet_since > ms(2000);
    }, ms(20'000), ms(1000)));
    for (auto& r : m.rigs) {
      INFO(r->name());
      const auto st = r->srv->with_sim([](sim::venue_sim& s, sim_server_log&) { return s.rest_counters(); });
      const std::uint32_t weight = r->v == core::venue::binance ? 50 : 20;
      const std::uint32_t usable = limit_of(r->v) * 8 / 10;
      CHECK(st.refused == 0);
      CHECK(st.max_minute_weight <= usable);
      CHECK(st.requests == usable / weight);  // the budget used up to its share, not beyond
      std::size_t live = 0;
      for (const auto& b : r->fd->books()) live += b->publishable();
      CHECK(live == usable / weight);
    }
    CHECK(violations_text(m) == "");
  }
}
