#include "alert/lifecycle.hpp"

namespace depthmon::alert {

std::string_view to_string(phase p) noexcept {
  switch (p) {
    case phase::inactive: return "inactive";
    case phase::pending: return "pending";
    case phase::firing: return "firing";
  }
  return "?";
}

transition step(alert_state& s, const condition& c, const timing& t, std::optional<double> value,
                core::unix_nanos now) noexcept {
  if (!value) return transition::none;
  const double v = *value;
  s.value = v;
  s.active = s.active ? !c.clears(v) : c.triggers(v);
  switch (s.ph) {
    case phase::inactive:
      if (!s.active) return transition::none;
      s.active_since = now;
      s.cleared_at = 0;
      if (t.for_.count() <= 0) {
        s.ph = phase::firing;
        s.starts_at = now;
        return transition::fired;
      }
      s.ph = phase::pending;
      return transition::pending;
    case phase::pending:
      if (!s.active) {
        s.ph = phase::inactive;
        return transition::dropped;
      }
      if (now - s.active_since >= t.for_.count()) {
        s.ph = phase::firing;
        s.starts_at = now;
        return transition::fired;
      }
      return transition::none;
    case phase::firing:
      if (s.active) {
        s.cleared_at = 0;
        return transition::none;
      }
      if (s.cleared_at == 0) s.cleared_at = now;
      if (now - s.cleared_at >= t.keep_firing_for.count()) {
        s.ph = phase::inactive;
        s.cleared_at = 0;
        return transition::resolved;
      }
      return transition::none;
  }
  return transition::none;
}

}  // namespace depthmon::alert
