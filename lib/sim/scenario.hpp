// sim/scenario.hpp — how a simulated market evolves: steady, thinning, flash-crash.
//
// A scenario is three curves over simulated time t (seconds since the scenario start), each a
// factor on the book's starting state: depth (sizes resting in the book), price (the mid the
// random walk is centred on) and message rate. The market model samples them every step.
//
//   steady       all factors 1.
//   thinning     depth falls linearly by `fall` over `thinning_s` and stays there; `fall`
//                defaults to 0.35 for majors and 0.60 for altcoins (the 30-40 % / 50-70 % fall
//                of ±2 % depth seen after 10 October 2025).
//   flash-crash  from `crash_start_s`, over `crash_s`: price −15 %, depth −70 %, message rate
//                ×20 (the rate stays ×20 for `crash_s` after the bottom, then returns to 1).
// Optional recovery (thinning, flash-crash; unset by default, so nothing else changes): from
// `recover_start_s`, over `recover_s`, depth and price return linearly from wherever they are
// then to their starting level, so alerts that fired on the fall can resolve.
//
// Threads: immutable values. Errors: parse_scenario_kind returns std::nullopt for unknown names.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace depthmon::sim {

enum class scenario_kind : std::uint8_t { steady, thinning, flash_crash };

std::string_view to_string(scenario_kind k) noexcept;
std::optional<scenario_kind> parse_scenario_kind(std::string_view name) noexcept;

struct scenario {
  scenario_kind kind = scenario_kind::steady;
  // thinning
  double thinning_s = 600.0;
  std::optional<double> fall;  // fraction of depth lost; unset = by profile (0.35 / 0.60)
  // flash-crash
  double crash_start_s = 30.0;
  double crash_s = 120.0;
  double crash_price_fall = 0.15;
  double crash_depth_fall = 0.70;
  double crash_rate_mult = 20.0;
  // recovery (both)
  std::optional<double> recover_start_s;
  double recover_s = 60.0;

  double depth_factor(double t, bool major) const noexcept;
  double price_factor(double t) const noexcept;
  double rate_factor(double t) const noexcept;
  // The same without the recovery.
  double fallen_depth(double t, bool major) const noexcept;
  double fallen_price(double t) const noexcept;
  // The depth fall the scenario aims at by its end for a book of this profile (0 for steady).
  double target_fall(bool major) const noexcept;
};

}  // namespace depthmon::sim
