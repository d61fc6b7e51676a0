#include "alert/lifecycle.hpp"

#include <catch2/catch.hpp>

using namespace depthmon::alert;
using namespace std::chrono_literals;

namespace {
constexpr depthmon::core::unix_nanos s = 1'000'000'000;
const condition below{direction::below, 0.7, 0.8};
}  // namespace

TEST_CASE("lifecycle: pending for `for`, then firing; clearing before `for` never fires", "[alert]") {
  const timing t{10s, 0s};
  alert_state st;
  CHECK(step(st, below, t, 0.9, 0) == transition::none);
  CHECK(step(st, below, t, 0.6, 1 * s) == transition::pending);
  CHECK(st.active_since == 1 * s);
  CHECK(step(st, below, t, 0.6, 10 * s) == transition::none);  // 9 s pending
  CHECK(step(st, below, t, 0.6, 11 * s) == transition::fired);
  CHECK(st.starts_at == 11 * s);
  CHECK(st.ph == phase::firing);

  alert_state other;
  CHECK(step(other, below, t, 0.5, 0) == transition::pending);
  CHECK(step(other, below, t, 0.85, 5 * s) == transition::dropped);
  CHECK(other.ph == phase::inactive);
  CHECK(step(other, below, t, 0.5, 20 * s) == transition::pending);
  CHECK(other.active_since == 20 * s);  // a fresh pending period
}

TEST_CASE("lifecycle: no flapping while the value oscillates between threshold and resolve threshold", "[alert]") {
  const timing t{0s, 0s};
  alert_state st;
  // Inactive: values between 0.7 and 0.8 do not trigger.
  for (int i = 0; i < 20; ++i) CHECK(step(st, below, t, i % 2 ? 0.71 : 0.79, i * s) == transition::none);
  CHECK(step(st, below, t, 0.69, 20 * s) == transition::fired);
  // Firing: oscillating across the firing threshold but under the resolve threshold.
  int changes = 0;
  for (int i = 21; i < 60; ++i) changes += step(st, below, t, i % 2 ? 0.69 : 0.79, i * s) != transition::none;
  CHECK(changes == 0);
  CHECK(st.ph == phase::firing);
  CHECK(step(st, below, t, 0.8, 60 * s) == transition::resolved);  // at the resolve threshold
  // Without hysteresis (resolve = threshold) the same oscillation would change state each pass:
  const condition bare{direction::below, 0.7, 0.7};
  alert_state b;
  int flaps = 0;
  for (int i = 0; i < 10; ++i) flaps += step(b, bare, t, i % 2 ? 0.71 : 0.69, i * s) != transition::none;
  CHECK(flaps == 10);
}

TEST_CASE("lifecycle: keep_firing_for holds a cleared alert, a relapse keeps it firing", "[alert]") {
  const timing t{0s, 30s};
  const condition above{direction::above, 50, 40};
  alert_state st;
  CHECK(step(st, above, t, 60, 0) == transition::fired);
  CHECK(step(st, above, t, 30, 10 * s) == transition::none);  // cleared at 10 s
  CHECK(st.cleared_at == 10 * s);
  CHECK(step(st, above, t, 30, 39 * s) == transition::none);
  CHECK(step(st, above, t, 60, 39 * s + 1) == transition::none);  // back: the clock restarts
  CHECK(st.cleared_at == 0);
  CHECK(step(st, above, t, 30, 50 * s) == transition::none);
  CHECK(step(st, above, t, 30, 79 * s) == transition::none);
  CHECK(step(st, above, t, 30, 80 * s) == transition::resolved);
  CHECK(st.ph == phase::inactive);
}

TEST_CASE("lifecycle: an unknown value (incomplete band) neither fires nor resolves", "[alert]") {
  const timing t{5s, 0s};
  alert_state st;
  CHECK(step(st, below, t, 0.5, 0) == transition::pending);
  for (int i = 1; i < 100; ++i) CHECK(step(st, below, t, std::nullopt, i * s) == transition::none);
  CHECK(st.ph == phase::pending);  // held: not promoted while nothing is known
  CHECK(step(st, below, t, 0.5, 100 * s) == transition::fired);
  for (int i = 101; i < 200; ++i) CHECK(step(st, below, t, std::nullopt, i * s) == transition::none);
  CHECK(st.ph == phase::firing);
  CHECK(step(st, below, t, 0.95, 200 * s) == transition::resolved);
}
