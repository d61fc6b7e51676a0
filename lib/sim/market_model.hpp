// sim/market_model.hpp — one seeded synthetic order book and the level changes it makes.
//
// The model owns the simulator's truth for one (venue, symbol): an exact book (int64 price and
// size ticks on the instrument's grid) and a fair price that follows a random walk around the
// scenario's price curve. Each step() is one venue message's worth of changes, applied to the
// truth and returned:
//   - the touch follows the fair price: levels the fair price crosses are consumed and a new
//     touch level is quoted next to it, so the book is never crossed or locked;
//   - near-touch activity (a few size changes, cancels and inserts, mostly in the top levels);
//   - deep churn (inserts and deletes far from the touch) that keeps each side near its level
//     count and price span, and fills holes near the touch;
//   - a sweep that re-sizes levels to the scenario's current depth factor, so thinning and
//     crashes reach every level of the book, not only those that happen to trade.
// Level spacing: dense (1-5 ticks) over the first tenth of the levels, then sparser so the
// side spans `span_pct`; sizes fall away from the touch with noise and occasional walls.
// Everything is drawn from sim::rng: the same instrument, scenario and seed give the same
// changes, byte for byte.
//
// Threads: one owner (the simulator's loop). Errors: none; the model cannot produce a crossed
// book or a non-positive price (it clamps to one tick).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "core/decimal.hpp"
#include "core/ids.hpp"
#include "core/time.hpp"
#include "sim/instrument.hpp"
#include "sim/rng.hpp"
#include "sim/scenario.hpp"

namespace depthmon::sim {

// One level's new absolute size after a step; qty 0 deletes it.
struct level_change {
  core::side side = core::side::bid;
  std::int64_t price = 0;  // price ticks
  std::int64_t qty = 0;    // qty ticks
  friend bool operator==(const level_change&, const level_change&) = default;
};

struct price_level {
  std::int64_t price = 0;
  std::int64_t qty = 0;
  friend bool operator==(const price_level&, const price_level&) = default;
};

// The truth: both sides keyed best-first (bids by price descending, asks ascending).
class truth_book {
 public:
  std::size_t size(core::side s) const noexcept { return side_of(s).size(); }
  std::optional<price_level> best(core::side s) const noexcept;
  std::int64_t qty_at(core::side s, std::int64_t price) const noexcept;
  // The best `n` levels of a side, best first (n = 0: all).
  std::vector<price_level> top(core::side s, std::size_t n) const;
  // Calls f(price, qty) for each level, best first, until f returns false.
  template <class F>
  void for_each(core::side s, F&& f) const {
    for (const auto& [key, e] : side_of(s))
      if (!f(price_of(s, key), e.qty)) return;
  }

 private:
  friend class market_model;
  struct entry {
    std::int64_t qty = 0;
    std::int64_t base = 0;         // size at depth factor 1
    std::int32_t applied = 1000;   // depth factor (per mille) the size was computed at
  };
  // Key = price for bids, −price for asks; std::greater puts the best level first.
  using side_map = std::map<std::int64_t, entry, std::greater<>>;
  static std::int64_t key_of(core::side s, std::int64_t p) noexcept {
    return s == core::side::bid ? p : -p;
  }
  static std::int64_t price_of(core::side s, std::int64_t k) noexcept {
    return s == core::side::bid ? k : -k;
  }
  side_map& side_of(core::side s) noexcept { return sides_[static_cast<std::size_t>(s)]; }
  const side_map& side_of(core::side s) const noexcept {
    return sides_[static_cast<std::size_t>(s)];
  }
  side_map sides_[2];
};

class market_model {
 public:
  market_model(instrument inst, scenario sc, std::uint64_t seed);

  const instrument& inst() const noexcept { return inst_; }
  const scenario& scen() const noexcept { return scen_; }
  const truth_book& book() const noexcept { return book_; }

  // Simulated time (ns since the scenario start) of the next step and of the last one.
  core::unix_nanos next_time() const noexcept { return next_time_; }
  core::unix_nanos time() const noexcept { return time_; }
  std::uint64_t steps() const noexcept { return steps_; }
  std::int64_t fair() const noexcept { return fair_; }

  // Runs one step at next_time(): the changes are applied to book() and returned (valid until
  // the next call). A step always changes at least one level.
  const std::vector<level_change>& step();

 private:
  double seconds() const noexcept { return static_cast<double>(time_) / 1e9; }
  std::int64_t span_ticks() const noexcept { return span_ticks_; }
  std::int64_t distance(core::side s, std::int64_t price) const noexcept;
  std::int64_t draw_base(std::int64_t dist);
  std::int64_t sized(std::int64_t base, std::int32_t factor) const noexcept;
  std::int64_t to_grid_below(std::int64_t p) const noexcept;
  std::int64_t to_grid_above(std::int64_t p) const noexcept;
  std::int64_t draw_distance();
  bool valid_price(core::side s, std::int64_t price) const noexcept;
  void set_level(core::side s, std::int64_t price, std::int64_t base);
  void erase_level(core::side s, std::int64_t price);
  void record(core::side s, std::int64_t price, std::int64_t qty);
  void build_initial();
  void move_fair();
  void keep_touch(core::side s);
  void activity();
  void churn(core::side s);
  void densify(core::side s);
  void sweep(core::side s);

  instrument inst_;
  scenario scen_;
  rng rng_;
  truth_book book_;
  std::vector<level_change> changes_;
  std::int64_t fair0_ = 0;
  std::int64_t fair_ = 0;
  std::int64_t walk_ = 0;
  std::int64_t walk_step_ = 1;  // price ticks
  std::int64_t span_ticks_ = 1;
  std::int64_t dense_extent_ = 1;  // distance (price ticks) of the dense region
  std::uint32_t dense_levels_ = 1;
  std::int32_t factor_ = 1000;  // depth factor, per mille
  core::unix_nanos time_ = 0;
  core::unix_nanos next_time_ = 0;
  std::uint64_t steps_ = 0;
  std::int64_t sweep_cursor_[2] = {0, 0};  // key to continue the sweep from
};

}  // namespace depthmon::sim
