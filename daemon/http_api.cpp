#include "daemon/http_api.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "alert/labels.hpp"
#include "depth/book_json.hpp"

namespace depthmon::daemon {
namespace {

core::unix_nanos wall_now() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void append_number(std::string& out, std::optional<double> v) {
  if (!v || !std::isfinite(*v)) {
    out += "null";
    return;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", *v);
  out += buf;
}


net::server_response json_error(unsigned status, const std::string& message) {
  std::string body = "{\"error\":";
  depth::append_json_string(body, message);
  body += "}";
  return net::json_response(status, std::move(body));
}

}  // namespace

feed::published_view api_state::view() const {
  const auto in = inputs();
  if (!in || !in->rates) {
    feed::published_view v;
    v.taken_at = wall_now();
    return v;
  }
  const auto r = resolved_baseline();
  std::shared_ptr<const baseline::table> table = r ? r->baseline : in->baseline;
  auto v = feed::take_view(board_, *in->rates, table.get(), in->settings, wall_now());
  v.baseline_owner = std::move(table);  // a reload or a new resolution cannot free it under the view
  return v;
}

namespace {

void append_label_object(std::string& out, const alert::label_set& l) {
  out += "{";
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (i) out += ",";
    depth::append_json_string(out, l[i].first);
    out += ":";
    depth::append_json_string(out, l[i].second);
  }
  out += "}";
}

}  // namespace

std::string alerts_json(const alert::alert_report* r) {
  std::string out = "{\"alerts\":[";
  if (r) {
    std::vector<const alert::active_alert*> order;
    for (const auto& a : r->alerts) order.push_back(&a);
    std::sort(order.begin(), order.end(), [](const alert::active_alert* x, const alert::active_alert* y) {
      if (x->state != y->state) return x->state == alert::phase::firing;
      return x->alert.labels < y->alert.labels;
    });
    for (std::size_t i = 0; i < order.size(); ++i) {
      const alert::active_alert& a = *order[i];
      if (i) out += ",";
      out += "{\"labels\":";
      append_label_object(out, a.alert.labels);
      out += ",\"annotations\":";
      append_label_object(out, a.alert.annotations);
      out += ",\"state\":";
      depth::append_json_string(out, alert::to_string(a.state));
      out += ",\"activeAt\":";
      depth::append_json_string(out, core::format_rfc3339(a.active_at, 3));
      out += ",\"startsAt\":";
      if (a.state == alert::phase::firing) depth::append_json_string(out, core::format_rfc3339(a.alert.starts_at, 3));
      else out += "null";
      char value[48];
      std::snprintf(value, sizeof value, "%.6g", a.value);
      out += ",\"value\":";
      depth::append_json_string(out, value);
      out += ",\"fingerprint\":";
      depth::append_json_string(out, alert::fingerprint_hex(a.alert.fingerprint));
      out += a.inhibited ? ",\"inhibited\":true}" : ",\"inhibited\":false}";
    }
  }
  return out + "]}";
}

std::vector<metrics::alert_firing> alerts_firing(const alert::alert_report* r) {
  std::vector<metrics::alert_firing> out;
  if (!r) return out;
  auto entry = [&out](std::string_view name, std::string_view severity) -> metrics::alert_firing& {
    for (auto& e : out)
      if (e.alertname == name && e.severity == severity) return e;
    out.push_back({std::string(name), std::string(severity), 0});
    return out.back();
  };
  for (const auto& [name, severity] : r->rules) entry(name, severity);
  for (const auto& a : r->alerts)
    if (a.state == alert::phase::firing)
      ++entry(alert::label_value(a.alert.labels, "alertname").value_or(""),
              alert::label_value(a.alert.labels, "severity").value_or("")).count;
  return out;
}

int headline_band(const feed::view_settings& s) noexcept {
  for (std::size_t i = 0; i < s.bands.size(); ++i)
    if (s.bands[i].pct == core::decimal{2, 0}) return static_cast<int>(i);
  return -1;
}

bool all_ever_live(const feed::published_view& v) noexcept {
  if (v.books.empty()) return false;
  for (const auto& b : v.books)
    if (!b.snapshot.ever_live) return false;
  return true;
}

void append_book(std::string& out, const feed::book_view& b, const feed::view_settings& s,
                 core::unix_nanos now, std::size_t levels) {
  depth::book_json_options o;
  o.levels = levels;
  const std::size_t start = out.size();
  depth::append_book_json(out, b.id().venue, b.id().symbol, b.snapshot, s.bands, o);
  if (out.size() == start || out.back() != '}') return;
  out.pop_back();  // extras go inside the object, after DESIGN.md's fields
  out += ",\"base\":";
  depth::append_json_string(out, b.id().base);
  out += ",\"quote\":";
  depth::append_json_string(out, b.id().quote);
  out += ",\"usd_per_quote\":";
  append_number(out, b.usd_per_quote);
  out += ",\"spread_bps\":";
  append_number(out, b.spread_bps());
  out += ",\"age_s\":";
  std::optional<double> age;
  if (b.snapshot.receive_time > 0 && now >= b.snapshot.receive_time)
    age = static_cast<double>(now - b.snapshot.receive_time) / 1e9;
  append_number(out, age);
  out += ",\"headline\":";
  const int h = headline_band(s);
  if (h < 0) {
    out += "null}";
    return;
  }
  const auto band = static_cast<std::size_t>(h);
  out += "{\"pct\":2";
  for (core::side sd : {core::side::bid, core::side::ask}) {
    const std::string p = sd == core::side::bid ? "bid" : "ask";
    out += ",\"" + p + "_usd\":";
    append_number(out, b.depth_usd(band, sd));
    out += ",\"" + p + "_baseline_usd\":";
    append_number(out, b.baseline_usd(band, sd));
    out += ",\"" + p + "_ratio\":";
    append_number(out, b.baseline_ratio(band, sd));
  }
  out += "}}";
}

void install_routes(net::http_server& srv, const api_state& st) {
  using net::verb;
  srv.handle(verb::get, "/-/healthy", [](const net::server_request&, net::server_response& r) {
    r.body = "OK\n";
  });
  srv.handle(verb::get, "/-/ready", [&st](const net::server_request&, net::server_response& r) {
    const auto v = st.view();
    std::size_t never = 0;
    for (const auto& b : v.books) never += !b.snapshot.ever_live;
    if (all_ever_live(v)) {
      r.body = "ready: " + std::to_string(v.books.size()) + " books have been live\n";
    } else {
      r.status = 503;
      r.body = "not ready: " + std::to_string(v.books.empty() ? 0 : never) + " of " +
               std::to_string(v.books.size()) + " books not yet live\n";
    }
  });
  srv.handle(verb::get, "/metrics", [&st](const net::server_request&, net::server_response& r) {
    const auto v = st.view();
    metrics::daemon_figures f;
    f.version = st.version;
    f.config_last_reload_successful = st.reload_ok.load();
    f.config_last_reload_success_time = st.reload_ok_time.load();
    if (st.recording_drops) f.recording_dropped = st.recording_drops();
    if (st.history_figures) f.history = st.history_figures();
    f.alerts = alerts_firing(st.alerts().get());
    if (st.receiver_figures) f.receivers = st.receiver_figures();
    r.content_type = std::string(metrics::content_type);
    r.body = metrics::render(v, f);
  });
  srv.handle(verb::get, "/api/v1/books", [&st](const net::server_request&, net::server_response& r) {
    const auto v = st.view();
    std::string body = "[";
    for (std::size_t i = 0; i < v.books.size(); ++i) {
      if (i) body += ",";
      append_book(body, v.books[i], v.settings, v.taken_at, 0);
    }
    body += "]";
    r = net::json_response(200, std::move(body));
  });
  srv.handle(verb::get, "/api/v1/books/", [&st](const net::server_request& q, net::server_response& r) {
    const std::string_view rest = q.path_rest();
    const auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 >= rest.size()) {
      r = json_error(404, "expected /api/v1/books/{venue}/{symbol}");
      return;
    }
    const std::string venue_name = net::percent_decode(rest.substr(0, slash));
    const std::string symbol = net::percent_decode(rest.substr(slash + 1));
    const auto venue = core::venue_from_string(venue_name);
    if (!venue) {
      r = json_error(404, "unknown venue '" + venue_name + "'");
      return;
    }
    std::size_t levels = 0;
    if (auto lv = q.query_value("levels")) {
      char* end = nullptr;
      const std::string text(*lv);
      const unsigned long n = std::strtoul(text.c_str(), &end, 10);
      if (text.empty() || *end || n > depth::snapshot_top_levels) {
        r = json_error(400, "levels must be an integer 0.." + std::to_string(depth::snapshot_top_levels));
        return;
      }
      levels = n;
    }
    const auto v = st.view();
    const feed::book_view* b = v.find(*venue, symbol);
    if (!b) {
      r = json_error(404, "no book " + venue_name + "/" + symbol + " is configured");
      return;
    }
    std::string body;
    append_book(body, *b, v.settings, v.taken_at, levels);
    r = net::json_response(200, std::move(body));
  }, net::path_match::prefix);
  srv.handle(verb::get, "/api/v1/alerts", [&st](const net::server_request&, net::server_response& r) {
    r = net::json_response(200, alerts_json(st.alerts().get()));
  });
  srv.handle(verb::get, "/api/v1/baseline", [&st](const net::server_request&, net::server_response& r) {
    if (const auto res = st.resolved_baseline()) {
      r = net::json_response(200, baseline::to_json(*res));
      return;
    }
    const auto in = st.inputs();
    static const baseline::table k_empty;
    r = net::json_response(200, baseline::to_json(in && in->baseline ? *in->baseline : k_empty));
  });
}

}  // namespace depthmon::daemon
