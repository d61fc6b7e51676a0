// The synthetic market: deterministic for a seed, never crossed, realistic shape, and the
// scenarios' depth and price trajectories reach their targets.
#include <catch2/catch.hpp>

#include "sim/market_model.hpp"
#include "sim/truth.hpp"
#include "sim/venue_sim.hpp"

using namespace depthmon;
using sim::market_model;

namespace {

sim::instrument btc() { return sim::default_instruments(core::venue::binance, 1)[0]; }
sim::instrument alt() { return sim::default_instruments(core::venue::binance, 4)[3]; }

double band2(const market_model& m) {
  return sim::truth_band(m.book(), m.inst(), core::decimal{2, 0}).total();
}

// Runs the model until simulated time `t_s`.
void run_until(market_model& m, double t_s) {
  while (static_cast<double>(m.next_time()) / 1e9 <= t_s) (void)m.step();
}

}  // namespace

TEST_CASE("the same seed gives the same changes; another seed does not", "[sim][model]") {
  market_model a(btc(), {}, 42), b(btc(), {}, 42), c(btc(), {}, 43);
  bool differs = false;
  for (int i = 0; i < 2000; ++i) {
    const auto ca = a.step();
    REQUIRE(ca == b.step());
    REQUIRE(a.next_time() == b.next_time());
    if (c.step() != ca) differs = true;
  }
  CHECK(differs);
  CHECK(a.book().top(core::side::bid, 0) == b.book().top(core::side::bid, 0));
}

TEST_CASE("a book is never crossed and keeps its shape", "[sim][model]") {
  for (const auto& in : {btc(), alt()}) {
    market_model m(in, {}, 7);
    const auto levels0 = m.book().size(core::side::bid);
    CHECK(levels0 == in.levels);
    std::size_t changes = 0, near_touch = 0;
    for (int i = 0; i < 3000; ++i) {
      const auto& ch = m.step();
      REQUIRE_FALSE(ch.empty());
      auto b = m.book().best(core::side::bid);
      auto a = m.book().best(core::side::ask);
      REQUIRE(b);
      REQUIRE(a);
      REQUIRE(b->price < a->price);
      for (const auto& c : ch) {
        REQUIRE(c.price % in.tick == 0);
        REQUIRE(c.qty % in.lot == 0);
        REQUIRE(c.qty >= 0);
        ++changes;
        const auto best = c.side == core::side::bid ? b->price : a->price;
        if (std::abs(c.price - best) * 1000 <= best) ++near_touch;  // within 0.1 %
      }
    }
    INFO(in.symbol);
    // Level counts stay near the configured depth; most changes are near the touch.
    CHECK(m.book().size(core::side::bid) > in.levels * 9 / 10);
    CHECK(m.book().size(core::side::ask) < in.levels * 11 / 10);
    if (in.major) CHECK(near_touch * 2 > changes);
    // Sizes thin away from the touch: the first tenth of the levels holds more per level than
    // the last tenth.
    const auto side = m.book().top(core::side::bid, 0);
    const std::size_t k = side.size() / 10;
    std::int64_t head = 0, tail = 0;
    for (std::size_t i = 0; i < k; ++i) {
      head += side[i].qty;
      tail += side[side.size() - 1 - i].qty;
    }
    CHECK(head > tail);
  }
}

TEST_CASE("thinning takes ±2 % depth down 30-40 % for majors, 50-70 % for altcoins",
          "[sim][scenario]") {
  sim::scenario sc;
  sc.kind = sim::scenario_kind::thinning;
  sc.thinning_s = 120;
  for (const auto& in0 : {btc(), alt()}) {
    sim::instrument in = in0;
    in.rate = 40;  // 4800 steps over the scenario
    const double fall = sc.target_fall(in.major);
    if (in.major) CHECK((fall >= 0.30 && fall <= 0.40));
    else CHECK((fall >= 0.50 && fall <= 0.70));
    // The scenario changes sizes only, never the level structure or the random draws: against
    // the same market without thinning the ratio is the scenario's depth factor exactly (up to
    // lot rounding and the sweep's lag).
    market_model m(in, sc, 11), calm(in, {}, 11);
    for (double t : {30.0, 60.0, 90.0, 150.0}) {
      run_until(m, t);
      run_until(calm, t);
      REQUIRE(m.book().top(core::side::bid, 0).size() == calm.book().top(core::side::bid, 0).size());
      INFO(in.symbol << " t " << t);
      CHECK(band2(m) / band2(calm) == Approx(sc.depth_factor(t, in.major)).margin(0.03));
    }
    // Against the book's own start ("October" baseline): the target within the market's noise,
    // which is larger on thin books (tens of levels in ±2 %), so those average five seeds.
    double sum = 0;
    const int seeds = in.major ? 1 : 5;
    for (int seed = 0; seed < seeds; ++seed) {
      market_model r(in, sc, 100 + static_cast<std::uint64_t>(seed));
      const double start = band2(r);
      run_until(r, 150);
      sum += band2(r) / start;
    }
    const double end = sum / seeds;
    INFO(in.symbol << " end " << end);
    CHECK(end == Approx(1.0 - fall).margin(in.major ? 0.08 : 0.12));
  }
}

TEST_CASE("an optional recovery brings thinning and flash-crash back; without it nothing changes",
          "[sim][scenario]") {
  sim::scenario th;
  th.kind = sim::scenario_kind::thinning;
  th.thinning_s = 60;
  const sim::scenario plain = th;
  th.recover_start_s = 90;
  th.recover_s = 30;
  for (double t : {0.0, 30.0, 60.0, 90.0}) CHECK(th.depth_factor(t, true) == plain.depth_factor(t, true));
  CHECK(th.depth_factor(105, true) == Approx(1.0 - 0.35 / 2));
  CHECK(th.depth_factor(120, true) == Approx(1.0));
  CHECK(th.depth_factor(500, false) == Approx(1.0));
  CHECK(plain.depth_factor(500, false) == Approx(0.4));
  // Recovery starting mid-fall returns from where the fall had got to.
  th.recover_start_s = 30;
  CHECK(th.depth_factor(30, true) == Approx(1.0 - 0.35 / 2));
  CHECK(th.depth_factor(45, true) == Approx(1.0 - 0.35 / 4));

  sim::scenario fc;
  fc.kind = sim::scenario_kind::flash_crash;
  fc.crash_start_s = 10;
  fc.crash_s = 20;
  fc.recover_start_s = 40;
  fc.recover_s = 20;
  CHECK(fc.price_factor(30) == Approx(0.85));
  CHECK(fc.depth_factor(30, true) == Approx(0.30));
  CHECK(fc.depth_factor(50, true) == Approx(0.65));
  CHECK(fc.price_factor(60) == Approx(1.0));
  CHECK(fc.depth_factor(60, false) == Approx(1.0));
  sim::scenario steady;
  steady.recover_start_s = 0;
  CHECK(steady.depth_factor(10, true) == 1.0);
}

TEST_CASE("steady keeps ±2 % depth near its baseline", "[sim][scenario]") {
  for (auto in : {btc(), alt()}) {
    in.rate = 40;
    market_model m(in, {}, 5);
    const double start = band2(m);
    for (int minute = 1; minute <= 4; ++minute) {
      run_until(m, 60.0 * minute);
      INFO(in.symbol << " minute " << minute);
      CHECK(band2(m) / start == Approx(1.0).margin(in.major ? 0.15 : 0.45));
    }
  }
}

TEST_CASE("flash-crash: price -15 %, depth -70 %, message rate x20 within minutes",
          "[sim][scenario]") {
  sim::scenario sc;
  sc.kind = sim::scenario_kind::flash_crash;
  sc.crash_start_s = 10;
  sc.crash_s = 60;
  sim::instrument in = btc();
  in.levels = 1000;
  market_model m(in, sc, 3);
  const double start_depth = band2(m);
  const double start_price = static_cast<double>(m.fair());
  run_until(m, 9);
  const std::uint64_t calm_steps = m.steps();
  run_until(m, 25);
  const std::uint64_t crash_steps = m.steps() - calm_steps;
  // 9 s calm vs 16 s of which most at x20: at least ten times the calm rate per second.
  CHECK(static_cast<double>(crash_steps) / 16.0 > 10.0 * static_cast<double>(calm_steps) / 9.0);
  run_until(m, 75);
  const double price = static_cast<double>(m.fair()) / start_price;
  const double depth = band2(m) / start_depth;
  INFO("price " << price << " depth " << depth);
  CHECK(price == Approx(0.85).margin(0.01));
  // Sizes fall 70 %; the crash also rebuilds the levels near the new touch, so the measured
  // ±2 % depth lands within a few points of that.
  CHECK(depth < 0.45);
  CHECK(depth > 0.15);
  auto b = m.book().best(core::side::bid);
  auto a = m.book().best(core::side::ask);
  REQUIRE(b);
  REQUIRE(a);
  CHECK(b->price < a->price);
}

TEST_CASE("the October baseline is the ±2 % depth at the scenario start", "[sim][scenario]") {
  sim::scenario sc;
  sc.kind = sim::scenario_kind::thinning;
  sim::sim_options o;
  o.seed = 7;
  o.scen = sc;
  sim::venue_sim v(core::venue::binance, sim::default_instruments(core::venue::binance, 2), o);
  const auto* f = v.feed("BTCUSDT");
  REQUIRE(f);
  const double base = f->baseline.total();
  CHECK(base == sim::truth_band(f->model.book(), f->model.inst(), core::decimal{2, 0}).total());
  CHECK(base > 1e6);
  for (int i = 0; i < 200; ++i) v.step_next();
  CHECK(f->baseline.total() == base);
}
