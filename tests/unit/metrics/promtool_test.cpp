// The real `promtool check metrics` on /metrics of a populated board (several venues and
// books, histograms with samples, baselines, an alert and a receiver): any complaint fails.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "metrics/render.hpp"
#include "support/published_fixture.hpp"

using namespace depthmon;

namespace {

struct outcome {
  int status = -1;
  std::string output;
};

// promtool's exit status and everything it printed, for `text` on its stdin.
outcome promtool_check(const std::string& text, const std::string& name) {
  const std::string path = name + ".prom";
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  outcome o;
  const std::string cmd = std::string(DEPTHMON_PROMTOOL) + " check metrics < " + path + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) o.output.append(buf, n);
  const int rc = ::pclose(p);
  o.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  std::remove(path.c_str());
  return o;
}

}  // namespace

TEST_CASE("promtool finds nothing to complain about in /metrics", "[metrics][promtool]") {
  feed::board b;
  std::string csv;
  testing::populate(b, 5, 8, &csv);
  baseline::table t;
  std::vector<baseline::load_error> errors;
  REQUIRE(baseline::parse_baseline(csv, "populated.csv", t, errors));
  const feed::usd_rates rates({testing::fixed_rate("USDT", "0.9995")}, b);
  const auto view = feed::take_view(b, rates, &t, {}, testing::fixture_now);
  metrics::daemon_figures d;
  d.version = "0.1.0";
  d.config_last_reload_success_time = testing::fixture_now;
  d.alerts.push_back({"DepthBelowBaseline", "warning", 2});
  d.receivers.push_back({"ops-webhook", 10, 1, 3, 1, 0});
  d.recording_dropped.push_back({"binance", 0});
  d.history = metrics::history_figures{1250, 3, 40};
  const std::string text = metrics::render(view, d);
  // The lint must have something to lint: every kind of family is populated.
  CHECK(text.find("depthmon_depth_usd{") != std::string::npos);
  CHECK(text.find("depthmon_depth_baseline_ratio{") != std::string::npos);
  CHECK(text.find("depthmon_asset_depth_baseline_ratio{") != std::string::npos);
  CHECK(text.find("depthmon_processing_duration_seconds_bucket{") != std::string::npos);
  CHECK(text.find("depthmon_feed_latency_seconds_sum{") != std::string::npos);
  CHECK(text.find("depthmon_price_impact_bps{") != std::string::npos);
  CHECK(text.find("process_cpu_seconds_total ") != std::string::npos);
  CHECK(text.find("depthmon_history_rows_dropped_total 40") != std::string::npos);
  const auto o = promtool_check(text, "metrics_promtool_test");
  INFO(o.output);
  CHECK(o.status == 0);
  CHECK(o.output.empty());
}

TEST_CASE("the promtool harness reports what promtool complains about", "[metrics][promtool]") {
  const auto o = promtool_check(
      "# HELP depthmon_bad A counter without its suffix.\n"
      "# TYPE depthmon_bad counter\ndepthmon_bad 1\n",
      "metrics_promtool_control");
  CHECK(o.status != 0);
  CHECK(o.output.find("depthmon_bad") != std::string::npos);
}
