#include "alert/rules.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "alert/labels.hpp"

namespace depthmon::alert {
namespace {

// What one series shows in one pass; value std::nullopt = unknown now (held).
struct observation {
  std::map<std::string, std::string> labels;
  std::optional<double> value;
  std::optional<double> depth_usd, baseline_usd, ratio;
  std::string band_pct;
};

template <class T>
bool admits(const std::vector<T>& allowed, const T& v) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}

bool book_admitted(const rule_config& r, const feed::book_view& b) {
  return admits(r.venues, b.id().venue) && admits(r.symbols, b.id().symbol) && admits(r.bases, b.id().base);
}

std::vector<std::size_t> band_indices(const rule_config& r, const feed::view_settings& s, core::decimal headline) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < s.bands.size(); ++i) {
    const core::decimal pct = s.bands[i].pct;
    if (r.bands_pct.empty() ? pct == headline : admits(r.bands_pct, pct)) out.push_back(i);
  }
  return out;
}

std::vector<core::side> sides_of(const rule_config& r) {
  if (!r.sides.empty()) return r.sides;
  return {core::side::bid, core::side::ask};
}

std::map<std::string, std::string> book_labels(const feed::book_view& b) {
  return {{"exchange", std::string(core::to_string(b.id().venue))}, {"symbol", b.id().symbol}, {"base", b.id().base}};
}

bool is_depth(rule_kind k) noexcept {
  return k == rule_kind::depth_below_baseline || k == rule_kind::depth_drop || k == rule_kind::depth_below_usd;
}

void depth_observations(const rule_config& r, const feed::published_view& v, core::decimal headline,
                        std::vector<observation>& out) {
  const auto bands = band_indices(r, v.settings, headline);
  const auto sides = sides_of(r);
  if (r.scope == rule_scope::asset) {
    for (const auto& a : v.assets) {
      if (!admits(r.bases, a.base) || std::find(bands.begin(), bands.end(), a.band) == bands.end() ||
          std::find(sides.begin(), sides.end(), a.side) == sides.end())
        continue;
      observation o;
      o.labels = {{"base", a.base}, {"side", std::string(core::to_string(a.side))},
                  {"band_bps", v.settings.bands[a.band].bps_text()}};
      o.band_pct = v.settings.bands[a.band].pct_text();
      const bool complete = a.books > 0;  // the sum covers complete books only; none: unknown
      if (complete) {
        o.depth_usd = a.usd;
        o.baseline_usd = a.baseline;
        o.ratio = a.ratio;
      }
      if (r.kind == rule_kind::depth_below_baseline) {
        if (complete && !a.ratio) continue;  // no baseline: no series
        o.value = o.ratio;
      } else if (complete) {
        o.value = a.usd;
      }
      out.push_back(std::move(o));
    }
    return;
  }
  for (const auto& b : v.books) {
    if (!book_admitted(r, b)) continue;
    for (std::size_t band : bands)
      for (core::side s : sides) {
        observation o;
        o.labels = book_labels(b);
        o.labels["side"] = std::string(core::to_string(s));
        o.labels["band_bps"] = v.settings.bands[band].bps_text();
        o.band_pct = v.settings.bands[band].pct_text();
        o.baseline_usd = b.baseline_usd(band, s);
        const bool complete = b.band_complete(band, s);
        if (complete) {
          o.depth_usd = b.depth_usd(band, s);
          o.ratio = b.baseline_ratio(band, s);
        }
        if (r.kind == rule_kind::depth_below_baseline) {
          if (!o.baseline_usd) continue;  // no baseline for this book: no series
          o.value = o.ratio;
        } else {
          o.value = o.depth_usd;
        }
        out.push_back(std::move(o));
      }
  }
}

const feed::feed_view* feed_of(const feed::published_view& v, core::venue venue) {
  for (const auto& f : v.feeds)
    if (f.venue() == venue) return &f;
  return nullptr;
}

std::vector<observation> observe(const rule_config& r, const feed::published_view& v, core::unix_nanos now,
                                 core::decimal headline) {
  std::vector<observation> out;
  if (is_depth(r.kind)) {
    depth_observations(r, v, headline, out);
    return out;
  }
  switch (r.kind) {
    case rule_kind::spread_wide:
      for (const auto& b : v.books) {
        if (!book_admitted(r, b)) continue;
        observation o;
        o.labels = book_labels(b);
        o.value = b.spread_bps();
        out.push_back(std::move(o));
      }
      break;
    case rule_kind::impact_high: {
      const auto& ns = v.settings.impact_notionals_usd;
      const auto it = std::find(ns.begin(), ns.end(), r.notional_usd);
      if (it == ns.end()) break;
      const auto j = static_cast<std::size_t>(it - ns.begin());
      for (const auto& b : v.books) {
        if (!book_admitted(r, b)) continue;
        for (core::side s : sides_of(r)) {
          observation o;
          o.labels = book_labels(b);
          o.labels["side"] = std::string(core::to_string(s));
          o.labels["notional_usd"] = std::to_string(r.notional_usd);
          if (b.live() && j < b.snapshot.impact_count) {
            const auto& f = b.snapshot.impacts[j][static_cast<std::size_t>(s)];
            if (f.present) o.value = f.bps;
          }
          out.push_back(std::move(o));
        }
      }
      break;
    }
    case rule_kind::book_stale:
      for (const auto& b : v.books) {
        if (!book_admitted(r, b)) continue;
        observation o;
        o.labels = book_labels(b);
        const feed::feed_view* f = feed_of(v, b.id().venue);
        // Judged by receive time only, and only while the feed is up (feed_down covers the rest).
        if (f && f->status.up && b.snapshot.receive_time > 0 && now >= b.snapshot.receive_time)
          o.value = static_cast<double>(now - b.snapshot.receive_time) / 1e9;
        out.push_back(std::move(o));
      }
      break;
    case rule_kind::feed_down:
      for (const auto& f : v.feeds) {
        if (!admits(r.venues, f.venue())) continue;
        observation o;
        o.labels = {{"exchange", std::string(core::to_string(f.venue()))}};
        o.value = f.status.up ? 0.0 : 1.0;
        out.push_back(std::move(o));
      }
      break;
    default: break;
  }
  return out;
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string opt_fmt(const char* f, std::optional<double> v) { return v ? fmt(f, *v) : std::string(); }

struct default_text {
  const char* summary;
  const char* description;
};

default_text defaults(rule_kind k, rule_scope scope) {
  const bool asset = scope == rule_scope::asset;
  switch (k) {
    case rule_kind::depth_below_baseline:
      return asset ? default_text{"{{ base }} ±{{ band_pct }} % {{ side }} depth across venues at {{ ratio }} of baseline",
                                  "{{ base }} {{ side }} depth within ±{{ band_pct }} % of mid, summed over venues, is "
                                  "{{ depth_usd }} USD against a baseline of {{ baseline_usd }} USD (ratio {{ ratio }}, "
                                  "threshold {{ threshold }})."}
                   : default_text{"{{ exchange }} {{ symbol }} ±{{ band_pct }} % {{ side }} depth at {{ ratio }} of baseline",
                                  "{{ exchange }} {{ symbol }} {{ side }} depth within ±{{ band_pct }} % of mid is "
                                  "{{ depth_usd }} USD against a baseline of {{ baseline_usd }} USD (ratio {{ ratio }}, "
                                  "threshold {{ threshold }})."};
    case rule_kind::depth_drop:
      return {asset ? "{{ base }} ±{{ band_pct }} % {{ side }} depth fell {{ value }} within the window"
                    : "{{ exchange }} {{ symbol }} ±{{ band_pct }} % {{ side }} depth fell {{ value }} within the window",
              "{{ side }} depth within ±{{ band_pct }} % is {{ depth_usd }} USD, down from {{ peak_usd }} USD "
              "(a fall of {{ value }}, threshold {{ threshold }})."};
    case rule_kind::depth_below_usd:
      return {asset ? "{{ base }} ±{{ band_pct }} % {{ side }} depth below {{ threshold }} USD"
                    : "{{ exchange }} {{ symbol }} ±{{ band_pct }} % {{ side }} depth below {{ threshold }} USD",
              "{{ side }} depth within ±{{ band_pct }} % is {{ depth_usd }} USD, under the floor of {{ threshold }} USD."};
    case rule_kind::spread_wide:
      return {"{{ exchange }} {{ symbol }} spread {{ value }} bps",
              "The spread is {{ value }} bps, above {{ threshold }} bps."};
    case rule_kind::impact_high:
      return {"{{ exchange }} {{ symbol }} {{ side }} impact {{ value }} bps for {{ labels.notional_usd }} USD",
              "Filling {{ labels.notional_usd }} USD on the {{ side }} side moves the price {{ value }} bps from mid "
              "(threshold {{ threshold }} bps)."};
    case rule_kind::book_stale:
      return {"{{ exchange }} {{ symbol }} book stale for {{ value }} s",
              "No update received for {{ value }} s while the feed is up (threshold {{ threshold }} s)."};
    case rule_kind::feed_down:
      return {"{{ exchange }} feed down", "The {{ exchange }} feed has no open, subscribed connection."};
  }
  return {"", ""};
}

label_set labels_of(const rule_config& r, const observation& o) {
  std::map<std::string, std::string> m(r.labels.begin(), r.labels.end());
  for (const auto& [k, v] : o.labels) m[k] = v;
  m["alertname"] = r.name;
  m["severity"] = r.severity;
  return make_label_set(std::move(m));
}

label_set annotations_of(const rule_config& r, const observation& o, const label_set& labels, double value,
                         std::optional<double> peak) {
  std::map<std::string, std::string> vars;
  for (const char* k : {"exchange", "symbol", "base", "side"})
    vars[k] = std::string(label_value(labels, k).value_or(""));
  vars["band_pct"] = o.band_pct;
  vars["depth_usd"] = opt_fmt("%.0f", o.depth_usd);
  vars["baseline_usd"] = opt_fmt("%.0f", o.baseline_usd);
  vars["ratio"] = opt_fmt("%.3f", o.ratio);
  vars["peak_usd"] = opt_fmt("%.0f", peak);
  vars["value"] = fmt("%.4g", value);
  vars["threshold"] = fmt("%g", r.threshold);
  vars["runbook_url"] = r.runbook_url;
  const default_text d = defaults(r.kind, r.scope);
  std::map<std::string, std::string> tpl{{"summary", d.summary}, {"description", d.description}};
  for (const auto& [k, t] : r.annotations) tpl[k] = t;
  std::map<std::string, std::string> out;
  for (const auto& [k, t] : tpl) out[k] = render_template(t, vars, labels);
  for (const char* k : {"depth_usd", "baseline_usd", "ratio", "runbook_url"})
    if (!vars[k].empty() && !out.count(k)) out[k] = vars[k];
  return make_label_set(std::move(out));
}

constexpr std::size_t k_max_history = 4096;  // depth_drop samples per series (bounded memory)

}  // namespace

std::string_view to_string(rule_kind k) noexcept {
  switch (k) {
    case rule_kind::depth_below_baseline: return "depth_below_baseline";
    case rule_kind::depth_drop: return "depth_drop";
    case rule_kind::depth_below_usd: return "depth_below_usd";
    case rule_kind::spread_wide: return "spread_wide";
    case rule_kind::impact_high: return "impact_high";
    case rule_kind::book_stale: return "book_stale";
    case rule_kind::feed_down: return "feed_down";
  }
  return "?";
}

direction direction_of(rule_kind k) noexcept {
  return k == rule_kind::depth_below_baseline || k == rule_kind::depth_below_usd ? direction::below : direction::above;
}

void rule_engine::set_rules(std::vector<rule_config> rules, engine_settings s) {
  const bool headline_changed = !(s.headline_pct == settings_.headline_pct);
  settings_ = s;
  std::vector<rule_state> next;
  next.reserve(rules.size());
  for (auto& r : rules) {
    rule_state st;
    auto old = std::find_if(rules_.begin(), rules_.end(), [&](const rule_state& o) { return same_rule(o.cfg, r); });
    if (old != rules_.end() && !(headline_changed && r.bands_pct.empty())) {
      st = std::move(*old);
      rules_.erase(old);
    } else {
      st.cfg = std::move(r);
      st.cond.dir = direction_of(st.cfg.kind);
      st.cond.threshold = st.cfg.threshold;
      st.cond.resolve = st.cfg.resolve_threshold.value_or(st.cfg.threshold);
      st.tm.for_ = st.cfg.for_;
      st.tm.keep_firing_for = st.cfg.keep_firing_for;
    }
    next.push_back(std::move(st));
  }
  for (auto& gone : rules_)
    for (auto& [fp, s2] : gone.alerts)
      if (s2.st.ph == phase::firing) orphans_.push_back(s2.inst);
  rules_ = std::move(next);
}

evaluation rule_engine::evaluate(const feed::published_view& v, core::unix_nanos now) {
  evaluation out;
  auto resolve = [&](alert_instance inst, double value) {
    inst.status = alert_status::resolved;
    inst.ends_at = now;
    out.events.push_back({transition::resolved, inst, value});
    out.alerts.push_back(std::move(inst));
  };
  for (auto& o : orphans_) resolve(std::move(o), 0);
  orphans_.clear();

  for (auto& rs : rules_) {
    for (auto& [fp, s] : rs.alerts) s.seen = false;
    for (auto& o : observe(rs.cfg, v, now, settings_.headline_pct)) {
      label_set labels = labels_of(rs.cfg, o);
      const std::uint64_t fp = fingerprint(labels);
      std::optional<double> value = o.value;
      std::optional<double> peak;
      if (rs.cfg.kind == rule_kind::depth_drop) {
        value.reset();
        if (o.value) {
          auto& h = rs.history[fp];
          h.push_back({now, *o.value});
          while (!h.empty() && (now - h.front().at > std::chrono::nanoseconds(rs.cfg.window).count() ||
                                h.size() > k_max_history))
            h.pop_front();
          double top = 0;
          for (const auto& smp : h) top = std::max(top, smp.value);
          peak = top;
          value = top > 0 ? (top - *o.value) / top : 0.0;
        }
      }
      auto [it, fresh] = rs.alerts.try_emplace(fp);
      series& s = it->second;
      s.seen = true;
      if (fresh) {
        s.inst.labels = std::move(labels);
        s.inst.fingerprint = fp;
      }
      const transition t = step(s.st, rs.cond, rs.tm, value, now);
      // Rendered only for alerts that can be shown or sent (most series are inactive).
      if (value && s.st.ph != phase::inactive) s.inst.annotations = annotations_of(rs.cfg, o, s.inst.labels, *value, peak);
      if (t == transition::fired) {
        s.inst.status = alert_status::firing;
        s.inst.starts_at = s.st.starts_at;
        s.inst.ends_at = 0;
      }
      if (t == transition::resolved) resolve(s.inst, s.st.value);
      else if (t != transition::none) out.events.push_back({t, s.inst, s.st.value});
    }
    for (auto it = rs.alerts.begin(); it != rs.alerts.end();) {
      series& s = it->second;
      if (!s.seen && s.st.ph == phase::firing) resolve(s.inst, s.st.value);
      if (!s.seen || s.st.ph == phase::inactive) {
        if (!s.seen) rs.history.erase(it->first);
        it = rs.alerts.erase(it);
        continue;
      }
      if (s.st.ph == phase::firing) {
        out.alerts.push_back(s.inst);
        if (rs.cfg.kind == rule_kind::feed_down)
          if (auto ex = label_value(s.inst.labels, "exchange")) out.feeds_down.emplace(*ex);
      }
      active_alert a;
      a.alert = s.inst;
      a.state = s.st.ph;
      a.active_at = s.st.active_since;
      a.value = s.st.value;
      out.active.push_back(std::move(a));
      ++it;
    }
  }
  for (auto& a : out.active)
    if (auto ex = label_value(a.alert.labels, "exchange"); ex && label_value(a.alert.labels, "symbol"))
      a.inhibited = out.feeds_down.count(std::string(*ex)) > 0;
  return out;
}

}  // namespace depthmon::alert
