#include "daemon/alert_loop.hpp"

#include <cstdio>

#include "alert/labels.hpp"

namespace depthmon::daemon {
namespace {

std::string usd_text(double v) {
  char buf[48];
  if (v >= 1e6) std::snprintf(buf, sizeof buf, "%.2fM", v / 1e6);
  else if (v >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", v / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

// "DepthBelowBaseline{exchange=binance,symbol=BTCUSDT,side=bid,band_bps=200}"
std::string alert_text(const alert::alert_instance& a) {
  std::string out(alert::label_value(a.labels, "alertname").value_or("?"));
  std::string inner;
  for (const auto& [k, v] : a.labels) {
    if (k == "alertname") continue;
    inner += (inner.empty() ? "" : ",") + k + "=" + v;
  }
  return out + "{" + inner + "}";
}

}  // namespace

void alert_loop::configure(const alert::alert_config& c, core::decimal headline_pct) {
  {
    std::lock_guard lk(mu_);
    pending_config_.emplace(c, headline_pct);
    cadence_ = c.cadence;
  }
  cv_.notify_all();
}

void alert_loop::log_event(const alert::alert_event& e) {
  const std::string source(alert::label_value(e.alert.labels, "exchange").value_or("alert"));
  const std::string summary(alert::label_value(e.alert.annotations, "summary").value_or(""));
  switch (e.what) {
    case alert::transition::fired:
      log_.log(feed::log_level::warn, source, "alert firing: " + alert_text(e.alert) + (summary.empty() ? "" : ": " + summary));
      break;
    case alert::transition::resolved:
      log_.log(feed::log_level::info, source, "alert resolved: " + alert_text(e.alert) + (summary.empty() ? "" : ": " + summary));
      break;
    case alert::transition::pending:
      log_.log(feed::log_level::debug, source, "alert pending: " + alert_text(e.alert));
      break;
    default: break;
  }
}

void alert_loop::start() {
  if (th_.joinable()) return;
  {
    std::lock_guard lk(mu_);
    stop_ = false;
  }
  th_ = std::thread([this] {
    std::unique_lock lk(mu_);
    while (!stop_) {
      lk.unlock();
      evaluate();
      lk.lock();
      cv_.wait_for(lk, cadence_, [this] { return stop_ || pending_config_.has_value(); });
    }
  });
}

void alert_loop::stop() {
  {
    std::lock_guard lk(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (th_.joinable()) th_.join();
}

alert_loop::counts alert_loop::current() const {
  std::lock_guard lk(mu_);
  return counts_;
}

void alert_loop::evaluate() {
  {
    std::unique_lock lk(mu_);
    if (pending_config_) {
      auto [cfg, headline] = std::move(*pending_config_);
      pending_config_.reset();
      lk.unlock();
      std::string why;
      if (!grouper_.configure(cfg, &why))
        log_.log(feed::log_level::error, "alert", "receiver routing refused, the previous one is kept: " + why);
      rule_names_.clear();
      for (const auto& r : cfg.rules) rule_names_.emplace_back(r.name, r.severity);
      engine_.set_rules(std::move(cfg.rules), alert::engine_settings{headline});
    }
  }
  const feed::published_view v = st_.view();
  counts c;
  c.configured = static_cast<std::uint32_t>(v.books.size());
  c.all_ever_live = all_ever_live(v);
  for (const auto& b : v.books) {
    const std::string venue(core::to_string(b.id().venue));
    const auto key = std::make_pair(b.id().venue, b.id().symbol);
    const bool live = b.live();
    c.live += live;
    auto [it, fresh] = live_.emplace(key, false);
    if (live != it->second) {
      if (live) log_.log(feed::log_level::info, venue, b.id().symbol + ": book live");
      else if (!fresh) log_.log(feed::log_level::warn, venue, b.id().symbol + ": book no longer live");
      it->second = live;
    }
    if (!live) continue;
    for (std::size_t band = 0; band < v.settings.bands.size(); ++band)
      for (core::side s : {core::side::bid, core::side::ask}) {
        const auto ratio = b.baseline_ratio(band, s);
        if (!ratio) continue;
        auto [bit, bfresh] = below_.emplace(std::make_tuple(b.id().venue, b.id().symbol, band, static_cast<int>(s)), false);
        // Hysteresis: a book's depth wanders a few percent around its baseline in a calm market.
        const bool below = bit->second ? *ratio < k_recovered_ratio : *ratio < k_below_ratio;
        c.below_baseline += below;
        if (below == bit->second) continue;
        bit->second = below;
        if (!below && bfresh) continue;
        const auto now = b.depth_usd(band, s);
        const auto base = b.baseline_usd(band, s);
        char ratio_text[32];
        std::snprintf(ratio_text, sizeof ratio_text, "%.2f", *ratio);
        log_.log(below ? feed::log_level::warn : feed::log_level::info, venue,
                 b.id().symbol + ": ±" + v.settings.bands[band].pct_text() + " % " +
                     std::string(s == core::side::bid ? "bid" : "ask") + " depth " +
                     (below ? "below baseline" : "back near baseline") + " (" + (now ? usd_text(*now) : "?") +
                     " USD vs " + (base ? usd_text(*base) : "?") + " USD, ratio " + ratio_text + ")");
      }
  }
  alert::evaluation ev = engine_.evaluate(v, v.taken_at);
  for (const auto& e : ev.events) log_event(e);
  alert::notification_sink* sink = sink_.load();
  const std::size_t sent = grouper_.process(ev.alerts, ev.feeds_down, v.taken_at, sink);
  for (const auto& a : ev.active) c.firing += a.state == alert::phase::firing;
  auto report = std::make_shared<alert::alert_report>();
  report->evaluated_at = v.taken_at;
  report->alerts = std::move(ev.active);
  report->rules = rule_names_;
  st_.publish_alerts(std::move(report));
  std::lock_guard lk(mu_);
  c.passes = counts_.passes + 1;
  c.notifications = counts_.notifications + sent;
  counts_ = c;
}

}  // namespace depthmon::daemon
