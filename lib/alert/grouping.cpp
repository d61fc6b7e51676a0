#include "alert/grouping.hpp"

#include <algorithm>
#include <tuple>

namespace depthmon::alert {
namespace {

std::int64_t ns(std::chrono::milliseconds d) { return std::chrono::nanoseconds(d).count(); }

// Alertmanager's group key text: {name="value",...}.
std::string key_text(const label_set& l) {
  std::string out = "{";
  for (const auto& [k, v] : l) {
    if (out.size() > 1) out += ",";
    out += k + "=\"" + v + "\"";
  }
  return out + "}";
}

bool inhibited(const alert_instance& a, const std::set<std::string>& feeds_down) {
  if (feeds_down.empty() || !label_value(a.labels, "symbol")) return false;
  const auto ex = label_value(a.labels, "exchange");
  return ex && feeds_down.count(std::string(*ex));
}

// Labels (and annotations) whose name and value every alert shares.
label_set common(const std::vector<alert_instance>& alerts, label_set alert_instance::*member) {
  if (alerts.empty()) return {};
  label_set out = alerts.front().*member;
  for (const auto& a : alerts)
    std::erase_if(out, [&](const auto& kv) {
      auto v = label_value(a.*member, kv.first);
      return !v || *v != kv.second;
    });
  return out;
}

}  // namespace

bool grouper::configure(const alert_config& c, std::string* why) {
  std::vector<route> next;
  for (const auto& r : c.receivers) {
    route rt;
    rt.cfg = r;
    for (const auto& m : r.match) {
      auto cm = compiled_matcher::compile(m, why);
      if (!cm) return false;
      rt.match.push_back(std::move(*cm));
    }
    rt.group_by = r.group_by.empty() ? c.group_by : r.group_by;
    rt.wait = ns(r.group_wait.value_or(c.group_wait));
    rt.interval = ns(r.group_interval.value_or(c.group_interval));
    rt.repeat = ns(r.repeat_interval.value_or(c.repeat_interval));
    for (auto& old : routes_)
      if (same_receiver(old.cfg, r) &&
          old.group_by == rt.group_by && old.wait == rt.wait && old.interval == rt.interval && old.repeat == rt.repeat)
        rt.groups = std::move(old.groups);
    next.push_back(std::move(rt));
  }
  routes_ = std::move(next);
  inhibit_ = c.inhibit_when_feed_down;
  return true;
}

std::size_t grouper::groups() const noexcept {
  std::size_t n = 0;
  for (const auto& r : routes_) n += r.groups.size();
  return n;
}

std::size_t grouper::process(const std::vector<alert_instance>& alerts, const std::set<std::string>& feeds_down,
                             core::unix_nanos now, notification_sink* sink) {
  if (!sink) {
    for (auto& r : routes_) r.groups.clear();
    return 0;
  }
  std::size_t submitted = 0;
  for (auto& r : routes_) {
    for (const auto& a : alerts) {
      if (!std::all_of(r.match.begin(), r.match.end(), [&](const compiled_matcher& m) { return m.matches(a.labels); }))
        continue;
      std::map<std::string, std::string> gl;
      for (const auto& name : r.group_by)
        if (auto v = label_value(a.labels, name)) gl[name] = std::string(*v);
      label_set group_labels = make_label_set(std::move(gl));
      const std::string key = "{}:" + key_text(group_labels);
      auto it = r.groups.find(key);
      if (a.status == alert_status::resolved) {
        // Only what was announced gets a resolution.
        if (it == r.groups.end() || !it->second.alerts.count(a.fingerprint)) continue;
        if (r.cfg.send_resolved) it->second.alerts[a.fingerprint] = a;
        else it->second.alerts.erase(a.fingerprint);
        continue;
      }
      if (inhibit_ && inhibited(a, feeds_down)) {
        if (it != r.groups.end()) it->second.alerts.erase(a.fingerprint);
        continue;
      }
      if (it == r.groups.end()) {
        it = r.groups.emplace(key, group{}).first;
        it->second.group_labels = std::move(group_labels);
        it->second.next_flush = now + r.wait;
      }
      it->second.alerts[a.fingerprint] = a;
    }
    for (auto it = r.groups.begin(); it != r.groups.end();) {
      group& g = it->second;
      if (g.alerts.empty() && g.sent) {  // everything in it resolved (or muted) and was told
        it = r.groups.erase(it);
        continue;
      }
      if (now < g.next_flush) {
        ++it;
        continue;
      }
      g.next_flush = now + r.interval;
      std::set<std::pair<std::uint64_t, alert_status>> set;
      bool any_firing = false;
      for (const auto& [fp, a] : g.alerts) {
        set.emplace(fp, a.status);
        any_firing |= a.status == alert_status::firing;
      }
      const bool changed = !g.sent || set != g.last_set;
      const bool repeat = any_firing && now - g.last_sent >= r.repeat;
      if (g.alerts.empty()) {  // its alerts were muted before it ever flushed
        it = r.groups.erase(it);
        continue;
      }
      if (!changed && !repeat) {
        ++it;
        continue;
      }
      notification n;
      n.receiver = r.cfg.name;
      n.group_key = r.cfg.name + ":" + it->first;
      n.group_labels = g.group_labels;
      n.status = any_firing ? alert_status::firing : alert_status::resolved;
      for (const auto& [fp, a] : g.alerts) n.alerts.push_back(a);
      n.common_labels = common(n.alerts, &alert_instance::labels);
      n.common_annotations = common(n.alerts, &alert_instance::annotations);
      n.created = now;
      if (!sink->submit(std::move(n))) {
        ++it;  // offered again at the next interval
        continue;
      }
      ++submitted;
      g.sent = true;
      g.last_sent = now;
      g.last_set = std::move(set);
      std::erase_if(g.alerts, [](const auto& kv) { return kv.second.status == alert_status::resolved; });
      std::erase_if(g.last_set, [](const auto& e) { return e.second == alert_status::resolved; });
      if (g.alerts.empty()) it = r.groups.erase(it);
      else ++it;
    }
  }
  return submitted;
}

}  // namespace depthmon::alert
