#include "metrics/render.hpp"

#include <catch2/catch.hpp>

#include <sstream>

#include "support/published_fixture.hpp"

using namespace depthmon;
using core::side;
using core::venue;
using testing::fixture_now;
using testing::live_snapshot;
using testing::set_band;

namespace {

bool has_line(const std::string& text, const std::string& line) {
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (l == line) return true;
  return false;
}

std::size_t count_prefix(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string l; std::getline(in, l);)
    if (l.rfind(prefix, 0) == 0) ++n;
  return n;
}

struct rendered {
  feed::board b;
  baseline::table t;
  std::string text;
};

// Two books: binance BTCUSDT live (1 % bid complete, ask not; 2 % both), kraken ETH/USD
// syncing; a binance feed with two samples; a baseline for BTCUSDT 2 % bid.
void render_small(rendered& r, const metrics::daemon_figures& d = {}) {
  testing::board_builder bb;
  auto btc = bb.book(venue::binance, "BTCUSDT", "BTC", "USDT");
  auto eth = bb.book(venue::kraken, "ETH/USD", "ETH", "USD");
  auto f = bb.feed(venue::binance);
  bb.commit(r.b);
  auto s = live_snapshot(6000000, 6000200);
  set_band(s, 0, side::bid, 1'000'000);
  set_band(s, 0, side::ask, 2'000'000, false);
  set_band(s, 1, side::bid, 3'000'000);
  set_band(s, 1, side::ask, 4'000'000);
  s.counters.resyncs_by_reason[static_cast<std::size_t>(book::resync_reason::checksum_mismatch)] = 3;
  s.impact_count = 2;
  s.impacts[0][0] = {true, 1.5, 0};
  s.impacts[1][1] = {true, 12.25, 0};
  btc->snapshot.store(s);
  auto e = live_snapshot(300000, 300010);
  e.status = book::book_status::syncing;
  set_band(e, 1, side::bid, 5);
  eth->snapshot.store(e);
  feed::feed_status st;
  st.up = true;
  st.stats.frames = 42;
  st.stats.disconnects = 2;
  st.stats.idle_replaced = 1;
  st.stats.planned_reconnects = 5;
  f->status.store(st);
  f->processing.observe(1'500);       // le 2e-06
  f->processing.observe(40'000'000);  // le 0.05
  std::vector<baseline::load_error> errors;
  REQUIRE(baseline::parse_baseline(std::string(baseline::file_header) +
                                       "\nbinance,BTCUSDT,bid,2,6000000,10,"
                                       "2025-10-01T00:00:00Z,2025-10-10T00:00:00Z\n",
                                   "b.csv", r.t, errors));
  const feed::usd_rates rates({testing::fixed_rate("USDT", "1")}, r.b);
  feed::view_settings vs;
  vs.bands = *depth::parse_bands("1,2");
  const auto view = feed::take_view(r.b, rates, &r.t, vs, fixture_now);
  r.text = metrics::serialize(metrics::collect(view, d));
}

}  // namespace

TEST_CASE("metrics: book and depth families from the read model", "[metrics]") {
  rendered r;
  render_small(r);
  const auto& t = r.text;
  CHECK(has_line(t, "depthmon_book_live{exchange=\"binance\",symbol=\"BTCUSDT\"} 1"));
  CHECK(has_line(t, "depthmon_book_live{exchange=\"kraken\",symbol=\"ETH/USD\"} 0"));
  // band_bps is pct × 100; depth_usd only for complete bands.
  CHECK(has_line(t, "depthmon_depth_usd{exchange=\"binance\",symbol=\"BTCUSDT\",base=\"BTC\","
                    "side=\"bid\",band_bps=\"100\"} 1000000"));
  CHECK(has_line(t, "depthmon_depth_usd{exchange=\"binance\",symbol=\"BTCUSDT\",base=\"BTC\","
                    "side=\"ask\",band_bps=\"200\"} 4000000"));
  CHECK(count_prefix(t, "depthmon_depth_usd{") == 3);  // not the incomplete ask, not ETH
  // depth_band_complete for every configured band and side of every book.
  CHECK(count_prefix(t, "depthmon_depth_band_complete{") == 8);
  CHECK(has_line(t, "depthmon_depth_band_complete{exchange=\"binance\",symbol=\"BTCUSDT\","
                    "side=\"ask\",band_bps=\"100\"} 0"));
  CHECK(has_line(t, "depthmon_depth_band_complete{exchange=\"kraken\",symbol=\"ETH/USD\","
                    "side=\"bid\",band_bps=\"200\"} 0"));
  CHECK(has_line(t, "depthmon_depth_baseline_usd{exchange=\"binance\",symbol=\"BTCUSDT\","
                    "base=\"BTC\",side=\"bid\",band_bps=\"200\",source=\"file\"} 6000000"));
  CHECK(has_line(t, "depthmon_depth_baseline_ratio{exchange=\"binance\",symbol=\"BTCUSDT\","
                    "base=\"BTC\",side=\"bid\",band_bps=\"200\"} 0.5"));
  CHECK(has_line(t, "depthmon_asset_depth_usd{base=\"BTC\",side=\"bid\",band_bps=\"200\"} 3000000"));
  CHECK(has_line(t, "depthmon_asset_depth_baseline_ratio{base=\"BTC\",side=\"bid\","
                    "band_bps=\"200\"} 0.5"));
  CHECK(count_prefix(t, "depthmon_asset_depth_usd{base=\"ETH\"") == 0);  // no complete book
  // Book levels by side; mid and spread for live books only.
  CHECK(has_line(t, "depthmon_book_levels{exchange=\"binance\",symbol=\"BTCUSDT\",side=\"ask\"} 120"));
  CHECK(has_line(t, "depthmon_mid_price{exchange=\"binance\",symbol=\"BTCUSDT\"} 60001"));
  CHECK(count_prefix(t, "depthmon_mid_price{") == 1);
  CHECK(count_prefix(t, "depthmon_spread_bps{exchange=\"binance\"") == 1);
  CHECK(count_prefix(t, "depthmon_spread_bps{exchange=\"kraken\"") == 0);
  CHECK(has_line(t, "depthmon_book_last_update_timestamp_seconds{exchange=\"binance\","
                    "symbol=\"BTCUSDT\"} 1760000000"));
  // Every resync reason, zeros included.
  CHECK(count_prefix(t, "depthmon_book_resyncs_total{exchange=\"binance\"") ==
        book::resync_reason_count);
  CHECK(has_line(t, "depthmon_book_resyncs_total{exchange=\"binance\",symbol=\"BTCUSDT\","
                    "reason=\"checksum_mismatch\"} 3"));
  CHECK(has_line(t, "depthmon_book_resyncs_total{exchange=\"kraken\",symbol=\"ETH/USD\","
                    "reason=\"other\"} 0"));
  // Price impact by configured notional, present figures of live books only.
  CHECK(has_line(t, "depthmon_price_impact_bps{exchange=\"binance\",symbol=\"BTCUSDT\","
                    "side=\"bid\",notional_usd=\"100000\"} 1.5"));
  CHECK(has_line(t, "depthmon_price_impact_bps{exchange=\"binance\",symbol=\"BTCUSDT\","
                    "side=\"ask\",notional_usd=\"1000000\"} 12.25"));
  CHECK(count_prefix(t, "depthmon_price_impact_bps{") == 2);
}

TEST_CASE("metrics: feed families and histograms by exchange", "[metrics]") {
  rendered r;
  render_small(r);
  const auto& t = r.text;
  CHECK(has_line(t, "depthmon_feed_up{exchange=\"binance\"} 1"));
  CHECK(has_line(t, "depthmon_feed_messages_total{exchange=\"binance\"} 42"));
  CHECK(has_line(t, "depthmon_feed_reconnects_total{exchange=\"binance\"} 3"));
  CHECK(has_line(t, "# TYPE depthmon_processing_duration_seconds histogram"));
  CHECK(has_line(t, "depthmon_processing_duration_seconds_count{exchange=\"binance\"} 2"));
  CHECK(has_line(t, "depthmon_processing_duration_seconds_bucket{exchange=\"binance\","
                    "le=\"1e-06\"} 0"));
  CHECK(has_line(t, "depthmon_processing_duration_seconds_bucket{exchange=\"binance\","
                    "le=\"2e-06\"} 1"));
  CHECK(has_line(t, "depthmon_processing_duration_seconds_bucket{exchange=\"binance\","
                    "le=\"0.05\"} 2"));
  CHECK(has_line(t, "depthmon_processing_duration_seconds_bucket{exchange=\"binance\","
                    "le=\"+Inf\"} 2"));
  CHECK(has_line(t, "depthmon_processing_duration_seconds_sum{exchange=\"binance\"} 0.0400015"));
  CHECK(has_line(t, "depthmon_feed_latency_seconds_count{exchange=\"binance\"} 0"));
}

TEST_CASE("metrics: daemon families, rendered even when empty", "[metrics]") {
  rendered r;
  render_small(r);
  for (const char* fam : {"alerts_firing", "notifications_total", "outbox_pending",
                          "config_last_reload_success_timestamp_seconds"}) {
    INFO(fam);
    CHECK(has_line(r.text, std::string("# TYPE depthmon_") + fam +
                               (std::string(fam) == "notifications_total" ? " counter" : " gauge")));
    CHECK(count_prefix(r.text, std::string("depthmon_") + fam) == 0);
  }
  CHECK(has_line(r.text, "depthmon_build_info{version=\"\"} 1"));
  CHECK(has_line(r.text, "depthmon_config_last_reload_successful 1"));

  metrics::daemon_figures d;
  d.version = "0.1.0";
  d.config_last_reload_successful = false;
  d.config_last_reload_success_time = 1'750'000'000'500'000'000;
  d.alerts.push_back({"DepthBelowBaseline", "critical", 2});
  d.receivers.push_back({"ops", 7, 1, 4, 3, 2});
  rendered r2;
  render_small(r2, d);
  const auto& t = r2.text;
  CHECK(has_line(t, "depthmon_build_info{version=\"0.1.0\"} 1"));
  CHECK(has_line(t, "depthmon_config_last_reload_successful 0"));
  CHECK(has_line(t, "depthmon_config_last_reload_success_timestamp_seconds 1750000000.5"));
  CHECK(has_line(t, "depthmon_alerts_firing{alertname=\"DepthBelowBaseline\",severity=\"critical\"} 2"));
  CHECK(has_line(t, "depthmon_notifications_total{receiver=\"ops\",result=\"delivered\"} 7"));
  CHECK(has_line(t, "depthmon_notifications_total{receiver=\"ops\",result=\"failed\"} 1"));
  CHECK(has_line(t, "depthmon_outbox_pending{receiver=\"ops\"} 4"));
  CHECK(has_line(t, "depthmon_notifications_total{receiver=\"ops\",result=\"retried\"} 3"));
  CHECK(has_line(t, "depthmon_notifications_total{receiver=\"ops\",result=\"dead_letter\"} 2"));
  // The history recorder's counters only when it runs.
  CHECK(t.find("depthmon_history_") == std::string::npos);
  d.history = metrics::history_figures{1250, 3, 40};
  rendered r3;
  render_small(r3, d);
  CHECK(has_line(r3.text, "# TYPE depthmon_history_rows_written_total counter"));
  CHECK(has_line(r3.text, "depthmon_history_rows_written_total 1250"));
  CHECK(has_line(r3.text, "depthmon_history_write_failures_total 3"));
  CHECK(has_line(r3.text, "depthmon_history_rows_dropped_total 40"));
}

TEST_CASE("metrics: process_* from /proc/self", "[metrics]") {
  const auto p = metrics::read_process_figures();
  REQUIRE(p.cpu_seconds);
  REQUIRE(p.resident_bytes);
  REQUIRE(p.open_fds);
  CHECK(*p.resident_bytes > 1024 * 1024);
  CHECK(*p.virtual_bytes >= *p.resident_bytes);
  CHECK(*p.open_fds >= 3);
  REQUIRE(p.start_time_seconds);
  CHECK(*p.start_time_seconds > 1.7e9);
  CHECK(*p.start_time_seconds <= static_cast<double>(std::time(nullptr)) + 1);
  std::vector<prometheus::MetricFamily> fams;
  metrics::append_process_families(p, fams);
  const auto text = metrics::serialize(fams);
  CHECK(has_line(text, "# TYPE process_cpu_seconds_total counter"));
  CHECK(count_prefix(text, "process_open_fds ") == 1);
  // A figure /proc did not give is left out, not reported as 0.
  metrics::process_figures none;
  fams.clear();
  metrics::append_process_families(none, fams);
  CHECK(fams.empty());
}

TEST_CASE("metrics: depth_baseline_usd carries each figure's source", "[metrics]") {
  rendered r;
  render_small(r);
  auto entries = r.t.entries();
  REQUIRE(entries.size() == 1);
  entries[0].from = baseline::source::trailing_median;
  auto ask = entries[0];
  ask.side = side::ask;
  ask.depth_usd = 8'000'000;
  ask.from = baseline::source::history;
  entries.push_back(ask);
  r.t = baseline::table::from_entries("", entries);
  const feed::usd_rates rates({testing::fixed_rate("USDT", "1")}, r.b);
  feed::view_settings vs;
  vs.bands = *depth::parse_bands("1,2");
  const auto t = metrics::serialize(metrics::collect(feed::take_view(r.b, rates, &r.t, vs, fixture_now), {}));
  CHECK(has_line(t, "depthmon_depth_baseline_usd{exchange=\"binance\",symbol=\"BTCUSDT\","
                    "base=\"BTC\",side=\"bid\",band_bps=\"200\",source=\"trailing_median\"} 6000000"));
  CHECK(has_line(t, "depthmon_depth_baseline_usd{exchange=\"binance\",symbol=\"BTCUSDT\","
                    "base=\"BTC\",side=\"ask\",band_bps=\"200\",source=\"history\"} 8000000"));
  // The ratio keeps its labels: rules and dashboards join it on (exchange, symbol, side, band_bps).
  CHECK(has_line(t, "depthmon_depth_baseline_ratio{exchange=\"binance\",symbol=\"BTCUSDT\","
                    "base=\"BTC\",side=\"ask\",band_bps=\"200\"} 0.5"));
}
