#include "metrics/render.hpp"

#include <limits>
#include <sstream>

#include <prometheus/text_serializer.h>

#include "book/book_state.hpp"

namespace depthmon::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;
using labels = std::vector<ClientMetric::Label>;

constexpr std::array k_sides{core::side::bid, core::side::ask};

MetricFamily& family(std::vector<MetricFamily>& out, std::string name, std::string help,
                     MetricType type) {
  out.push_back({"depthmon_" + std::move(name), std::move(help), type, {}});
  return out.back();
}

void add(MetricFamily& f, labels l, double v) {
  ClientMetric m;
  m.label = std::move(l);
  if (f.type == MetricType::Counter)
    m.counter.value = v;
  else
    m.gauge.value = v;
  f.metric.push_back(std::move(m));
}

void add_histogram(MetricFamily& f, labels l, const core::latency_histogram::reading& r) {
  ClientMetric m;
  m.label = std::move(l);
  m.histogram.sample_count = r.count;
  m.histogram.sample_sum = static_cast<double>(r.sum_nanos) / 1e9;
  const auto& bounds = core::latency_histogram::bounds_nanos;
  for (std::size_t i = 0; i < core::latency_histogram::bucket_count; ++i)
    m.histogram.bucket.push_back(
        {r.cumulative[i], i < bounds.size() ? static_cast<double>(bounds[i]) / 1e9
                                            : std::numeric_limits<double>::infinity()});
  f.metric.push_back(std::move(m));
}

std::string exchange_of(core::venue v) { return std::string(core::to_string(v)); }
std::string side_of(core::side s) { return std::string(core::to_string(s)); }

void feeds(const feed::published_view& view, std::vector<MetricFamily>& out) {
  auto& up = family(out, "feed_up", "1 while every shard of the venue's feed has an open, "
                                    "subscribed connection.", MetricType::Gauge);
  auto& msgs = family(out, "feed_messages_total", "Frames received from the venue.",
                      MetricType::Counter);
  auto& rec = family(out, "feed_reconnects_total",
                     "Connections lost or replaced by the idle watchdog (planned "
                     "make-before-break replacements not included).", MetricType::Counter);
  for (const auto& f : view.feeds) {
    const std::string ex = exchange_of(f.venue());
    const auto& st = f.status.stats;
    add(up, {{"exchange", ex}}, f.status.up ? 1 : 0);
    add(msgs, {{"exchange", ex}}, static_cast<double>(st.frames));
    add(rec, {{"exchange", ex}}, static_cast<double>(st.disconnects + st.idle_replaced));
  }
}

void books(const feed::published_view& view, std::vector<MetricFamily>& out) {
  auto& live = family(out, "book_live", "1 while the book is live (consistent with the venue).",
                      MetricType::Gauge);
  auto& resyncs = family(out, "book_resyncs_total",
                         "Times the book was invalidated and resynchronised, by reason.",
                         MetricType::Counter);
  auto& last = family(out, "book_last_update_timestamp_seconds",
                      "Local receive time of the last change applied to the book.",
                      MetricType::Gauge);
  auto& levels = family(out, "book_levels", "Price levels held, by side.", MetricType::Gauge);
  auto& mid = family(out, "mid_price", "Mid price in the quote currency (live books only).",
                     MetricType::Gauge);
  auto& spread = family(out, "spread_bps", "Best ask minus best bid over mid, in basis points "
                                           "(live books only).", MetricType::Gauge);
  for (const auto& b : view.books) {
    const std::string ex = exchange_of(b.id().venue);
    const std::string& sym = b.id().symbol;
    const auto& s = b.snapshot;
    add(live, {{"exchange", ex}, {"symbol", sym}}, s.live() ? 1 : 0);
    for (std::size_t r = 0; r < book::resync_reason_count; ++r)
      add(resyncs,
          {{"exchange", ex}, {"symbol", sym},
           {"reason", std::string(book::label(static_cast<book::resync_reason>(r)))}},
          static_cast<double>(s.counters.resyncs_by_reason[r]));
    if (s.receive_time != 0)
      add(last, {{"exchange", ex}, {"symbol", sym}}, static_cast<double>(s.receive_time) / 1e9);
    add(levels, {{"exchange", ex}, {"symbol", sym}, {"side", "bid"}}, s.bid_levels);
    add(levels, {{"exchange", ex}, {"symbol", sym}, {"side", "ask"}}, s.ask_levels);
    if (const auto m = b.mid()) add(mid, {{"exchange", ex}, {"symbol", sym}}, *m);
    if (const auto sp = b.spread_bps()) add(spread, {{"exchange", ex}, {"symbol", sym}}, *sp);
  }
}

void depth(const feed::published_view& view, std::vector<MetricFamily>& out) {
  auto& usd = family(out, "depth_usd",
                     "Resting depth within the band around mid, in USD (complete bands of live "
                     "books with a known USD rate only).", MetricType::Gauge);
  auto& complete = family(out, "depth_band_complete",
                          "1 when the book's view covers the whole band (its depth is reported).",
                          MetricType::Gauge);
  auto& base = family(out, "depth_baseline_usd",
                      "Baseline depth of the band, in USD, by source (file, history, trailing_median).",
                      MetricType::Gauge);
  auto& ratio = family(out, "depth_baseline_ratio", "Depth over baseline depth of the band.",
                       MetricType::Gauge);
  std::vector<std::string> bps;
  for (const auto& bd : view.settings.bands) bps.push_back(bd.bps_text());
  for (const auto& b : view.books) {
    const std::string ex = exchange_of(b.id().venue);
    const std::string& sym = b.id().symbol;
    for (std::size_t i = 0; i < bps.size(); ++i)
      for (core::side s : k_sides) {
        const labels with_base{{"exchange", ex}, {"symbol", sym}, {"base", b.id().base},
                               {"side", side_of(s)}, {"band_bps", bps[i]}};
        add(complete, {{"exchange", ex}, {"symbol", sym}, {"side", side_of(s)},
                       {"band_bps", bps[i]}},
            b.band_complete(i, s) ? 1 : 0);
        if (const auto v = b.depth_usd(i, s)) add(usd, with_base, *v);
        if (const auto v = b.baseline_usd(i, s)) {
          // Where the figure came from (file, history, trailing_median): a trailing median
          // is the daemon judging itself, which a dashboard should be able to tell apart.
          const baseline::entry* e =
              view.baseline ? view.baseline->find(b.id().venue, sym, s, view.settings.bands[i].pct) : nullptr;
          labels l = with_base;
          l.push_back({"source", std::string(baseline::to_string(e ? e->from : baseline::source::file))});
          add(base, l, *v);
        }
        if (const auto v = b.baseline_ratio(i, s)) add(ratio, with_base, *v);
      }
  }
  auto& asset = family(out, "asset_depth_usd",
                       "Sum of depth_usd over the live, complete books of the base asset.",
                       MetricType::Gauge);
  auto& asset_ratio = family(out, "asset_depth_baseline_ratio",
                             "Sum of depth over sum of baseline, over the books of the base "
                             "asset that have both.", MetricType::Gauge);
  for (const auto& a : view.assets) {
    if (a.band >= bps.size()) continue;
    const labels l{{"base", a.base}, {"side", side_of(a.side)}, {"band_bps", bps[a.band]}};
    if (a.books > 0) add(asset, l, a.usd);
    if (a.ratio) add(asset_ratio, l, *a.ratio);
  }
  auto& impact = family(out, "price_impact_bps",
                        "Move from mid, in basis points, a market order of the notional would "
                        "cause (live books whose complete depth can fill it).",
                        MetricType::Gauge);
  const auto& notionals = view.settings.impact_notionals_usd;
  for (const auto& b : view.books) {
    if (!b.live()) continue;
    const std::size_t n = std::min<std::size_t>(notionals.size(), b.snapshot.impact_count);
    for (std::size_t i = 0; i < n; ++i)
      for (core::side s : k_sides) {
        const auto& f = b.snapshot.impacts[i][static_cast<std::size_t>(s)];
        if (!f.present) continue;
        add(impact, {{"exchange", exchange_of(b.id().venue)}, {"symbol", b.id().symbol},
                     {"side", side_of(s)}, {"notional_usd", std::to_string(notionals[i])}},
            f.bps);
      }
  }
}

void histograms(const feed::published_view& view, std::vector<MetricFamily>& out) {
  auto& proc = family(out, "processing_duration_seconds",
                      "Frame read to depth published, per frame.", MetricType::Histogram);
  auto& lat = family(out, "feed_latency_seconds",
                     "Venue event time to local receive time, per frame.", MetricType::Histogram);
  for (const auto& f : view.feeds) {
    add_histogram(proc, {{"exchange", exchange_of(f.venue())}}, f.processing);
    add_histogram(lat, {{"exchange", exchange_of(f.venue())}}, f.feed_latency);
  }
}

void daemon_families(const daemon_figures& d, std::vector<MetricFamily>& out) {
  auto& alerts = family(out, "alerts_firing", "Alerts firing now, by name and severity.",
                        MetricType::Gauge);
  for (const auto& a : d.alerts)
    add(alerts, {{"alertname", a.alertname}, {"severity", a.severity}},
        static_cast<double>(a.count));
  auto& notes = family(out, "notifications_total",
                       "Notification delivery per receiver: delivered (2xx), failed (an attempt without "
                       "2xx), retried (failed, tried again), dead_letter (given up).",
                       MetricType::Counter);
  auto& pending = family(out, "outbox_pending",
                         "Notifications waiting in the durable outbox, per receiver.",
                         MetricType::Gauge);
  for (const auto& r : d.receivers) {
    add(notes, {{"receiver", r.receiver}, {"result", "delivered"}},
        static_cast<double>(r.delivered));
    add(notes, {{"receiver", r.receiver}, {"result", "retried"}}, static_cast<double>(r.retried));
    add(notes, {{"receiver", r.receiver}, {"result", "failed"}}, static_cast<double>(r.failed));
    add(notes, {{"receiver", r.receiver}, {"result", "dead_letter"}},
        static_cast<double>(r.dead_letter));
    add(pending, {{"receiver", r.receiver}}, static_cast<double>(r.outbox_pending));
  }
  add(family(out, "config_last_reload_successful",
             "1 when the last configuration load (start or reload) succeeded.",
             MetricType::Gauge),
      {}, d.config_last_reload_successful ? 1 : 0);
  auto& ts = family(out, "config_last_reload_success_timestamp_seconds",
                    "Time of the last successful configuration load.", MetricType::Gauge);
  if (d.config_last_reload_success_time != 0)
    add(ts, {}, static_cast<double>(d.config_last_reload_success_time) / 1e9);
}

}  // namespace

std::vector<MetricFamily> collect(const feed::published_view& view, const daemon_figures& d) {
  std::vector<MetricFamily> out;
  out.reserve(32);
  add(family(out, "build_info", "depthmon build; the value is always 1.", MetricType::Gauge),
      {{"version", d.version}}, 1);
  feeds(view, out);
  books(view, out);
  depth(view, out);
  histograms(view, out);
  daemon_families(d, out);
  auto& drops = family(out, "recording_dropped_frames_total",
                       "Raw-frame records ([recording]) dropped because the venue's recording queue was full.",
                       MetricType::Counter);
  for (const auto& r : d.recording_dropped) add(drops, {{"exchange", r.venue}}, static_cast<double>(r.dropped));
  if (d.history) {
    const auto counter = [&out](const char* name, const char* help, std::uint64_t v) {
      add(family(out, name, help, MetricType::Counter), {}, static_cast<double>(v));
    };
    counter("history_rows_written_total", "Book-minute rows committed to the history store.",
            d.history->rows_written);
    counter("history_write_failures_total",
            "History store transactions that failed (rows kept and retried the next minute).",
            d.history->write_failures);
    counter("history_rows_dropped_total",
            "Book-minute rows given up after the history store failed for longer than the retry cap.",
            d.history->rows_dropped);
  }
  return out;
}

std::string serialize(const std::vector<MetricFamily>& families) {
  std::ostringstream os;
  prometheus::TextSerializer{}.Serialize(os, families);
  return std::move(os).str();
}

std::string render(const feed::published_view& view, const daemon_figures& d,
                   const process_figures& process) {
  auto families = collect(view, d);
  append_process_families(process, families);
  return serialize(families);
}

}  // namespace depthmon::metrics
