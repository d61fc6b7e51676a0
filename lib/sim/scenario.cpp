#include "sim/scenario.hpp"

namespace depthmon::sim {
namespace {
double ramp(double t, double start, double len) noexcept {
  if (t <= start) return 0.0;
  if (len <= 0.0 || t >= start + len) return 1.0;
  return (t - start) / len;
}
}  // namespace

std::string_view to_string(scenario_kind k) noexcept {
  switch (k) {
    case scenario_kind::steady: return "steady";
    case scenario_kind::thinning: return "thinning";
    case scenario_kind::flash_crash: return "flash-crash";
  }
  return "?";
}

std::optional<scenario_kind> parse_scenario_kind(std::string_view name) noexcept {
  for (auto k : {scenario_kind::steady, scenario_kind::thinning, scenario_kind::flash_crash})
    if (to_string(k) == name) return k;
  return std::nullopt;
}

double scenario::target_fall(bool major) const noexcept {
  switch (kind) {
    case scenario_kind::steady: return 0.0;
    case scenario_kind::thinning: return fall ? *fall : (major ? 0.35 : 0.60);
    case scenario_kind::flash_crash: return crash_depth_fall;
  }
  return 0.0;
}

namespace {
// `f` at t with the recovery applied: the fall reached at the recovery's start shrinks to 0.
template <class F>
double recovered(const scenario& s, double t, F&& f) noexcept {
  if (!s.recover_start_s || s.kind == scenario_kind::steady || t <= *s.recover_start_s) return f(t);
  const double fall = 1.0 - f(*s.recover_start_s);
  return 1.0 - fall * (1.0 - ramp(t, *s.recover_start_s, s.recover_s));
}
}  // namespace

double scenario::depth_factor(double t, bool major) const noexcept {
  return recovered(*this, t, [this, major](double x) { return fallen_depth(x, major); });
}

double scenario::price_factor(double t) const noexcept {
  return recovered(*this, t, [this](double x) { return fallen_price(x); });
}

double scenario::fallen_depth(double t, bool major) const noexcept {
  switch (kind) {
    case scenario_kind::steady: return 1.0;
    case scenario_kind::thinning: return 1.0 - target_fall(major) * ramp(t, 0.0, thinning_s);
    case scenario_kind::flash_crash:
      return 1.0 - crash_depth_fall * ramp(t, crash_start_s, crash_s);
  }
  return 1.0;
}

double scenario::fallen_price(double t) const noexcept {
  if (kind != scenario_kind::flash_crash) return 1.0;
  return 1.0 - crash_price_fall * ramp(t, crash_start_s, crash_s);
}

double scenario::rate_factor(double t) const noexcept {
  if (kind != scenario_kind::flash_crash) return 1.0;
  if (t < crash_start_s || t >= crash_start_s + 2 * crash_s) return 1.0;
  // Within minutes: the rate climbs to ×mult over the first fifth of the crash, holds, then
  // drops back once the market has been at the bottom for crash_s.
  return 1.0 + (crash_rate_mult - 1.0) * ramp(t, crash_start_s, crash_s / 5);
}

}  // namespace depthmon::sim
