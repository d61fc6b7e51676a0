#include "sim/fault.hpp"

#include <algorithm>
#include <cstdlib>

#include "sim/text.hpp"

namespace depthmon::sim {

std::string_view to_string(fault_kind k) noexcept {
  switch (k) {
    case fault_kind::disconnect: return "disconnect";
    case fault_kind::stall: return "stall";
    case fault_kind::gap: return "gap";
    case fault_kind::bad_checksum: return "bad_checksum";
    case fault_kind::crossed: return "crossed";
    case fault_kind::malformed: return "malformed";
    case fault_kind::rest_429: return "rest_429";
    case fault_kind::rest_418: return "rest_418";
    case fault_kind::planned_close: return "planned_close";
  }
  return "?";
}

std::optional<fault_kind> parse_fault_kind(std::string_view name) noexcept {
  for (fault_kind k : all_fault_kinds)
    if (to_string(k) == name) return k;
  return std::nullopt;
}

core::result<fault_request> parse_fault_request(std::string_view json) {
  auto doc = parse_json(json);
  if (!doc || !doc->is_object()) return {core::errc::invalid_argument, "body is not a JSON object"};
  fault_request r;
  auto v = core::venue_from_string(doc->str("venue"));
  if (!v) return {core::errc::invalid_argument, "venue"};
  r.venue = *v;
  auto k = parse_fault_kind(doc->str("kind"));
  if (!k) return {core::errc::invalid_argument, "kind"};
  r.f.kind = *k;
  if (const jvalue* s = doc->get("symbol"); s && s->t != jvalue::type::null) {
    if (!s->is_string() || s->text.empty()) return {core::errc::invalid_argument, "symbol"};
    r.f.symbol = s->text;
  }
  if (const jvalue* d = doc->get("duration_s"); d && d->t != jvalue::type::null) {
    if (d->t != jvalue::type::number) return {core::errc::invalid_argument, "duration_s"};
    char* end = nullptr;
    const double x = std::strtod(d->text.c_str(), &end);
    if (end == d->text.c_str() || *end != '\0' || !(x >= 0.0) || x > 86400.0)
      return {core::errc::invalid_argument, "duration_s"};
    r.f.duration_s = x;
  }
  return r;
}

void fault_state::add(fault f, core::unix_nanos now) {
  if (f.at < 0) f.at = now;
  scheduled_.push_back(std::move(f));
}

std::vector<fault> fault_state::activate(core::unix_nanos now) {
  std::vector<fault> started;
  for (auto it = scheduled_.begin(); it != scheduled_.end();) {
    if (it->at > now) {
      ++it;
      continue;
    }
    active_fault a;
    a.f = *it;
    a.once = it->duration_s <= 0.0;
    a.until = a.once ? 0 : it->at + static_cast<core::unix_nanos>(it->duration_s * 1e9);
    switch (it->kind) {
      case fault_kind::disconnect:
      case fault_kind::stall:
      case fault_kind::planned_close:
        started.push_back(*it);
        if (it->kind == fault_kind::disconnect && !a.once) active_.push_back(a);
        break;
      case fault_kind::rest_429:
      case fault_kind::rest_418:
        // A REST refusal always has a window: at least one second.
        a.once = false;
        a.until = it->at + static_cast<core::unix_nanos>(std::max(1.0, it->duration_s) * 1e9);
        active_.push_back(a);
        break;
      default: active_.push_back(a);
    }
    it = scheduled_.erase(it);
  }
  // Drop what is over.
  std::erase_if(active_, [&](const active_fault& a) {
    return (a.once && a.used) || (!a.once && a.until <= now);
  });
  return started;
}

bool fault_state::matches(const active_fault& a, fault_kind k, std::string_view symbol,
                          core::unix_nanos now) const noexcept {
  if (a.f.kind != k || (a.once && a.used)) return false;
  if (!a.once && now >= a.until) return false;
  return !a.f.symbol || *a.f.symbol == symbol || symbol.empty();
}

bool fault_state::take(fault_kind k, std::string_view symbol, core::unix_nanos now) {
  for (auto& a : active_)
    if (matches(a, k, symbol, now)) {
      if (a.once) a.used = true;
      return true;
    }
  return false;
}

bool fault_state::pending(fault_kind k, std::string_view symbol, core::unix_nanos now) const {
  for (const auto& a : active_)
    if (matches(a, k, symbol, now)) return true;
  return false;
}

std::optional<std::pair<fault_kind, double>> fault_state::rest_refusal(core::unix_nanos now) const {
  for (const auto& a : active_)
    if ((a.f.kind == fault_kind::rest_429 || a.f.kind == fault_kind::rest_418) && now < a.until)
      return std::pair{a.f.kind, static_cast<double>(a.until - now) / 1e9};
  return std::nullopt;
}

}  // namespace depthmon::sim
