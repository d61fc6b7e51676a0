// alert/lifecycle.hpp — one alert's state machine: inactive -> pending -> firing -> resolved.
//
// A condition has a direction (the value falls below / rises above its threshold) and a
// separate resolve threshold: once active, the alert stays active until the value is back on
// the resolve side (hysteresis), so a value oscillating between the two thresholds neither
// fires twice nor resolves. Pending lasts `for` before firing (a pending alert whose condition
// clears goes back to inactive, never notified); a firing alert whose condition clears keeps
// firing for `keep_firing_for` and then resolves. A step without a value (an incomplete band:
// nothing known) changes nothing: the state is held until a value arrives again.
//
// Threads: plain values, owned by the alert thread. Errors: none.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/time.hpp"

namespace depthmon::alert {

enum class direction : std::uint8_t { below, above };

struct condition {
  direction dir = direction::below;
  double threshold = 0;
  double resolve = 0;  // below: clears at value >= resolve; above: clears at value <= resolve
  bool triggers(double v) const noexcept { return dir == direction::below ? v < threshold : v > threshold; }
  bool clears(double v) const noexcept { return dir == direction::below ? v >= resolve : v <= resolve; }
};

struct timing {
  std::chrono::nanoseconds for_{0};
  std::chrono::nanoseconds keep_firing_for{0};
};

enum class phase : std::uint8_t { inactive, pending, firing };
std::string_view to_string(phase p) noexcept;  // "inactive" / "pending" / "firing"

enum class transition : std::uint8_t {
  none,
  pending,   // inactive -> pending
  fired,     // -> firing
  dropped,   // pending -> inactive (condition cleared before `for`)
  resolved,  // firing -> resolved (inactive)
};

struct alert_state {
  phase ph = phase::inactive;
  bool active = false;                 // the condition holds (with hysteresis)
  core::unix_nanos active_since = 0;   // pending since (Prometheus' activeAt)
  core::unix_nanos starts_at = 0;      // firing since
  core::unix_nanos cleared_at = 0;     // condition cleared while firing (keep_firing_for), 0: not
  double value = 0;                    // last value seen
};

// One evaluation at `now`. value: the figure now, or std::nullopt = unknown (state held).
transition step(alert_state& s, const condition& c, const timing& t, std::optional<double> value,
                core::unix_nanos now) noexcept;

}  // namespace depthmon::alert
