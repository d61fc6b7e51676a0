// daemon/http_api.hpp — depthmond's HTTP endpoints (DESIGN.md "HTTP") on net::http_server:
// /metrics, /-/healthy, /-/ready, /api/v1/books[/{venue}/{symbol}], /api/v1/alerts,
// /api/v1/baseline. Every response is rendered from one read-model copy of the published
// board (feed::take_view), never from a live book.
//
// Book JSON is depth::append_book_json's object (DESIGN.md's fields, unchanged) with extra
// members for operators and `depthmon status`: "base", "quote", "usd_per_quote",
// "spread_bps", "age_s" (seconds since the last receive), and "headline" = the ±2 % band
// in USD with its baseline and ratio ({"pct":2,"bid_usd","ask_usd","bid_baseline_usd",
// "ask_baseline_usd","bid_ratio","ask_ratio"}, null where missing).
// /api/v1/books/{venue}/{symbol}: the symbol is percent-decoded (BTC%2FUSD) and may also contain
// a raw '/'; ?levels=N (0..50) adds the top levels; unknown venue or book -> 404
// {"error":"..."}. /-/ready: 200 once every configured book has been live at least once, else
// 503 naming how many have not. /api/v1/alerts: the alert thread's last report, Alertmanager-
// and Prometheus-like: {"alerts":[{"labels":{..},"annotations":{..},"state":"pending|firing",
// "activeAt":RFC 3339,"startsAt":RFC 3339 or null,"value":"0.61","fingerprint":"hex16",
// "inhibited":bool}]}, firing first, then by alertname and labels.
// /api/v1/baseline: the effective baseline with each band's source, window and sample count
// and the book sides lacking one with why (baseline::to_json(resolved)); the file's table
// alone (baseline::to_json(table)) until the recorder has resolved one.
//
// Threads: the inputs (rates, baseline, settings) are swapped by the main thread on reload
// (atomic shared_ptr) and read by the HTTP and alert threads. install() before the server
// starts; handlers run on the server's thread.
// Errors: bad requests are answered (400/404 JSON); nothing throws out of a handler.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "alert/rules.hpp"
#include "baseline/baseline_file.hpp"
#include "baseline/resolve.hpp"
#include "feed/published.hpp"
#include "feed/published_view.hpp"
#include "feed/usd_rates.hpp"
#include "metrics/render.hpp"
#include "net/http_server.hpp"

namespace depthmon::daemon {

// What a reload replaces as a whole.
struct read_inputs {
  std::unique_ptr<feed::usd_rates> rates;
  std::shared_ptr<const baseline::table> baseline;  // may be empty
  feed::view_settings settings;
};

class api_state {
 public:
  explicit api_state(const feed::board& b) : board_(b) {}
  const feed::board& board() const noexcept { return board_; }

  void set_inputs(std::shared_ptr<const read_inputs> in) noexcept { inputs_.store(std::move(in)); }
  std::shared_ptr<const read_inputs> inputs() const noexcept { return inputs_.load(); }
  feed::published_view view() const;  // now

  // The effective baseline (file, history, trailing median), installed by the recorder thread
  // at start, on reload and every few minutes. While none is installed, readers use the
  // inputs' baseline file alone.
  void set_baseline(std::shared_ptr<const baseline::resolved> r) noexcept { resolved_.store(std::move(r)); }
  std::shared_ptr<const baseline::resolved> resolved_baseline() const noexcept { return resolved_.load(); }

  // Reload outcome for config_last_reload_*.
  std::atomic<bool> reload_ok{true};
  std::atomic<core::unix_nanos> reload_ok_time{0};
  std::string version;
  // depthmon_recording_dropped_frames_total (unset: recording off).
  std::function<std::vector<metrics::recording_drop>()> recording_drops;
  // depthmon_history_*_total (unset: not rendered); set before the HTTP thread starts.
  std::function<metrics::history_figures()> history_figures;

  // Per receiver notification counters and outbox depth (daemon/delivery_service.hpp); set
  // before the HTTP thread starts, called on it. Empty: no receivers.
  std::function<std::vector<metrics::receiver_figures>()> receiver_figures;

  // The alert thread's latest report (active alerts, configured rules); null before its first
  // pass. Published from the alert thread, read by the HTTP thread.
  void publish_alerts(std::shared_ptr<const alert::alert_report> r) const noexcept { alerts_.store(std::move(r)); }
  std::shared_ptr<const alert::alert_report> alerts() const noexcept { return alerts_.load(); }

 private:
  mutable std::atomic<std::shared_ptr<const alert::alert_report>> alerts_;
  const feed::board& board_;
  std::atomic<std::shared_ptr<const read_inputs>> inputs_;
  std::atomic<std::shared_ptr<const baseline::resolved>> resolved_;
};

void install_routes(net::http_server& srv, const api_state& st);

// The book JSON with the extras above (shared with the alert thread's log lines and tests).
void append_book(std::string& out, const feed::book_view& b, const feed::view_settings& s,
                 core::unix_nanos now, std::size_t levels);
// Index of the ±2 % band in `s.bands` (the headline), or -1.
int headline_band(const feed::view_settings& s) noexcept;
// {"alerts":[...]} of /api/v1/alerts from a report (null: none).
std::string alerts_json(const alert::alert_report* r);
// depthmon_alerts_firing: one entry per configured (alertname, severity), counted from `r`.
std::vector<metrics::alert_firing> alerts_firing(const alert::alert_report* r);
// True once every book on the board has been live at least once (and there is one).
bool all_ever_live(const feed::published_view& v) noexcept;

}  // namespace depthmon::daemon
