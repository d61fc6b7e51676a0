#include "alert/rules.hpp"

#include <catch2/catch.hpp>

#include "alert/labels.hpp"
#include "alert_fixture.hpp"

using namespace depthmon;
using namespace depthmon::alert;
using namespace std::chrono_literals;
using testing::sec;

namespace {

constexpr core::unix_nanos t0 = testing::fixture_now;

rule_config below_baseline(std::chrono::milliseconds for_ = 10s) {
  rule_config r;
  r.name = "DepthBelowBaseline";
  r.kind = rule_kind::depth_below_baseline;
  r.threshold = 0.7;
  r.resolve_threshold = 0.8;
  r.for_ = for_;
  r.severity = "critical";
  r.symbols = {"BTCUSDT"};
  r.sides = {core::side::bid};
  r.labels = {{"team", "desk"}};
  r.runbook_url = "https://runbooks.example/depth";
  return r;
}

std::string label(const alert_instance& a, std::string_view n) {
  return std::string(label_value(a.labels, n).value_or("?"));
}
std::string annotation(const alert_instance& a, std::string_view n) {
  return std::string(label_value(a.annotations, n).value_or("?"));
}

std::size_t firing(const evaluation& e) {
  std::size_t n = 0;
  for (const auto& a : e.alerts) n += a.status == alert_status::firing;
  return n;
}

}  // namespace

TEST_CASE("rules: depth_below_baseline fires after `for` with labels and templated annotations", "[alert]") {
  testing::alert_market m;
  auto r = below_baseline();
  r.annotations["summary"] = "{{ exchange }} {{ symbol }} at {{ ratio }} ({{ depth_usd }} of {{ baseline_usd }}) {{ labels.team }} {{ nope }}";
  rule_engine e({r});
  CHECK(firing(e.evaluate(m.view(t0), t0)) == 0);
  m.set(m.btc, 600'000, t0);
  auto ev = e.evaluate(m.view(t0 + sec), t0 + sec);
  REQUIRE(ev.active.size() == 1);
  CHECK(ev.active[0].state == phase::pending);
  CHECK(firing(ev) == 0);
  CHECK(firing(e.evaluate(m.view(t0 + 10 * sec), t0 + 10 * sec)) == 0);  // 9 s pending
  ev = e.evaluate(m.view(t0 + 11 * sec), t0 + 11 * sec);
  REQUIRE(firing(ev) == 1);
  const alert_instance& a = ev.alerts[0];
  CHECK(label(a, "alertname") == "DepthBelowBaseline");
  CHECK(label(a, "severity") == "critical");
  CHECK(label(a, "exchange") == "binance");
  CHECK(label(a, "symbol") == "BTCUSDT");
  CHECK(label(a, "base") == "BTC");
  CHECK(label(a, "side") == "bid");
  CHECK(label(a, "band_bps") == "200");
  CHECK(label(a, "team") == "desk");
  CHECK(annotation(a, "summary") == "binance BTCUSDT at 0.600 (600000 of 1000000) desk <no value>");
  CHECK(annotation(a, "depth_usd") == "600000");
  CHECK(annotation(a, "baseline_usd") == "1000000");
  CHECK(annotation(a, "ratio") == "0.600");
  CHECK(annotation(a, "runbook_url") == "https://runbooks.example/depth");
  CHECK(annotation(a, "description").find("600000 USD against a baseline of 1000000 USD") != std::string::npos);
  CHECK(a.starts_at == t0 + 11 * sec);
  CHECK(a.fingerprint == fingerprint(a.labels));
  REQUIRE(ev.events.size() == 1);
  CHECK(ev.events[0].what == transition::fired);

  // Recovery above the resolve threshold: resolved once, with endsAt, then gone.
  m.set(m.btc, 850'000, t0);
  ev = e.evaluate(m.view(t0 + 20 * sec), t0 + 20 * sec);
  REQUIRE(ev.alerts.size() == 1);
  CHECK(ev.alerts[0].status == alert_status::resolved);
  CHECK(ev.alerts[0].ends_at == t0 + 20 * sec);
  CHECK(ev.alerts[0].fingerprint == a.fingerprint);
  CHECK(e.evaluate(m.view(t0 + 21 * sec), t0 + 21 * sec).alerts.empty());
}

TEST_CASE("rules: an incomplete band neither fires nor resolves a depth rule", "[alert]") {
  testing::alert_market m;
  rule_engine e({below_baseline(0ms)});
  m.set(m.btc, 100'000, t0, /*complete=*/false);  // thin, but the band's edge is beyond coverage
  for (int i = 0; i < 20; ++i) CHECK(e.evaluate(m.view(t0 + i * sec), t0 + i * sec).alerts.empty());
  m.set(m.btc, 500'000, t0);
  REQUIRE(firing(e.evaluate(m.view(t0 + 20 * sec), t0 + 20 * sec)) == 1);
  m.set(m.btc, 2'000'000, t0, /*complete=*/false);  // would be recovered, but is not known
  for (int i = 21; i < 40; ++i) {
    const auto ev = e.evaluate(m.view(t0 + i * sec), t0 + i * sec);
    CHECK(firing(ev) == 1);
    CHECK(ev.events.empty());
  }
  m.set(m.btc, 2'000'000, t0);
  const auto ev = e.evaluate(m.view(t0 + 40 * sec), t0 + 40 * sec);
  REQUIRE(ev.alerts.size() == 1);
  CHECK(ev.alerts[0].status == alert_status::resolved);
}

TEST_CASE("rules: per-asset aggregate sums the complete books against their baselines", "[alert]") {
  testing::alert_market m;
  rule_config r = below_baseline(0ms);
  r.scope = rule_scope::asset;
  r.symbols.clear();
  r.bases = {"BTC"};
  rule_engine e({r});
  m.set(m.btc, 500'000, t0);  // 0.5 alone, but the asset is (0.5 + 1.0) / 2 = 0.75
  CHECK(firing(e.evaluate(m.view(t0), t0)) == 0);
  m.set(m.cb, 700'000, t0);  // (0.5 + 0.7) / 2 = 0.6
  const auto ev = e.evaluate(m.view(t0 + sec), t0 + sec);
  REQUIRE(firing(ev) == 1);
  CHECK(label(ev.alerts[0], "base") == "BTC");
  CHECK_FALSE(label_value(ev.alerts[0].labels, "exchange"));
  CHECK(annotation(ev.alerts[0], "depth_usd") == "1200000");
  CHECK(annotation(ev.alerts[0], "baseline_usd") == "2000000");
  CHECK(annotation(ev.alerts[0], "summary").find("BTC ±2 % bid depth across venues at 0.600") == 0);
}

TEST_CASE("rules: depth_drop looks back over its window only", "[alert]") {
  testing::alert_market m;
  rule_config r;
  r.name = "DepthDrop";
  r.kind = rule_kind::depth_drop;
  r.threshold = 0.3;
  r.window = 60s;
  r.symbols = {"ETHUSDT"};
  r.sides = {core::side::ask};
  rule_engine e({r});
  CHECK(firing(e.evaluate(m.view(t0), t0)) == 0);
  m.set(m.eth, 800'000, t0);  // -20 %: under the threshold
  CHECK(firing(e.evaluate(m.view(t0 + 30 * sec), t0 + 30 * sec)) == 0);
  m.set(m.eth, 650'000, t0);  // -35 % from the peak 30 s... 50 s ago
  auto ev = e.evaluate(m.view(t0 + 50 * sec), t0 + 50 * sec);
  REQUIRE(firing(ev) == 1);
  CHECK(annotation(ev.alerts[0], "description").find("down from 1000000 USD") != std::string::npos);
  // The 1 000 000 sample leaves the window: the fall is measured from 800 000 (-19 %).
  ev = e.evaluate(m.view(t0 + 61 * sec), t0 + 61 * sec);
  CHECK(firing(ev) == 0);
  CHECK(ev.alerts.size() == 1);  // the resolution
}

TEST_CASE("rules: spread_wide, impact_high, book_stale and feed_down", "[alert]") {
  testing::alert_market m;
  auto rule = [](std::string name, rule_kind k, double threshold) {
    rule_config r;
    r.name = std::move(name);
    r.kind = k;
    r.threshold = threshold;
    return r;
  };
  const rule_config spread = rule("SpreadWide", rule_kind::spread_wide, 10);
  rule_config impact = rule("ImpactHigh", rule_kind::impact_high, 2.5);
  impact.notional_usd = 100'000;
  const rule_config stale = rule("BookStale", rule_kind::book_stale, 30);
  const rule_config down = rule("FeedDown", rule_kind::feed_down, 0);
  rule_engine e({spread, impact, stale, down});
  m.set(m.btc, 1'000'000, t0, true, 12'000);  // 12000 ticks on 60000.00: 20 bps
  m.set(m.cb, 1'000'000, t0 + 50 * sec);
  m.set(m.eth, 1'000'000, t0 + 50 * sec);
  auto ev = e.evaluate(m.view(t0 + 50 * sec), t0 + 50 * sec);
  std::multiset<std::string> names;
  for (const auto& a : ev.alerts) names.insert(label(a, "alertname") + "/" + label(a, "exchange") + "/" + label(a, "symbol"));
  // Every book's impact is 3 bps on both sides (6 alerts); BTCUSDT's spread; BTCUSDT stale 50 s.
  CHECK(names.count("SpreadWide/binance/BTCUSDT") == 1);
  CHECK(names.count("ImpactHigh/binance/BTCUSDT") == 2);
  CHECK(names.count("ImpactHigh/coinbase/BTC-USD") == 2);
  CHECK(names.count("BookStale/binance/BTCUSDT") == 1);
  CHECK(names.count("FeedDown/binance/?") == 0);
  CHECK(ev.alerts.size() == 8);
  CHECK(ev.feeds_down.empty());

  // coinbase's feed goes down: FeedDown fires, its book's per-book alerts are shown inhibited,
  // and book_stale is not judged for a venue whose feed is down.
  testing::alert_market::feed_up(*m.coinbase, false);
  ev = e.evaluate(m.view(t0 + 200 * sec), t0 + 200 * sec);
  CHECK(ev.feeds_down == std::set<std::string>{"coinbase"});
  bool cb_stale = false, cb_inhibited = false, btc_inhibited = false;
  for (const auto& a : ev.active) {
    cb_stale |= label(a.alert, "alertname") == "BookStale" && label(a.alert, "exchange") == "coinbase";
    if (label(a.alert, "symbol") == "BTC-USD") cb_inhibited = a.inhibited;
    if (label(a.alert, "symbol") == "BTCUSDT") btc_inhibited |= a.inhibited;
  }
  CHECK_FALSE(cb_stale);
  CHECK(cb_inhibited);
  CHECK_FALSE(btc_inhibited);
}

TEST_CASE("rules: a reload keeps unchanged rules' state and resolves removed rules' alerts", "[alert]") {
  testing::alert_market m;
  auto keep = below_baseline(5s);
  auto gone = below_baseline(0ms);
  gone.name = "Other";
  rule_engine e({keep, gone});
  m.set(m.btc, 500'000, t0);
  auto ev = e.evaluate(m.view(t0), t0);
  CHECK(firing(ev) == 1);  // Other fires at once, DepthBelowBaseline is pending
  e.set_rules({keep});
  ev = e.evaluate(m.view(t0 + 3 * sec), t0 + 3 * sec);
  REQUIRE(ev.alerts.size() == 1);
  CHECK(label(ev.alerts[0], "alertname") == "Other");
  CHECK(ev.alerts[0].status == alert_status::resolved);
  ev = e.evaluate(m.view(t0 + 5 * sec), t0 + 5 * sec);  // pending since t0: the state was kept
  REQUIRE(firing(ev) == 1);
  CHECK(label(ev.alerts[0], "alertname") == "DepthBelowBaseline");
  CHECK(ev.alerts[0].starts_at == t0 + 5 * sec);
}

// Not run by default (hidden tag): the cost of one pass on a daemon-sized board, for
// docs/ARCHITECTURE.md. `alert_test "[.bench]"`.
TEST_CASE("rules: one pass over 500 books with eight rules", "[.bench]") {
  const bool calm = GENERATE(false, true);  // every series firing / none
  feed::board b;
  std::string csv;
  testing::populate(b, 10, 50, &csv);
  baseline::table t;
  std::vector<baseline::load_error> errors;
  REQUIRE(baseline::parse_baseline(csv, "b.csv", t, errors));
  const feed::usd_rates rates({testing::fixed_rate("USDT", "1")}, b);
  std::vector<rule_config> rules;
  for (auto k : {rule_kind::depth_below_baseline, rule_kind::depth_drop, rule_kind::depth_below_usd,
                 rule_kind::spread_wide, rule_kind::impact_high, rule_kind::book_stale, rule_kind::feed_down}) {
    rule_config r;
    r.name = std::string(to_string(k));
    r.kind = k;
    const bool below = direction_of(k) == direction::below;
    r.threshold = k == rule_kind::depth_drop ? 0.5 : (below == calm ? 1e-9 : 1e12);
    if (k == rule_kind::feed_down && calm) r.venues = {core::venue::okx};
    r.window = 600s;
    r.notional_usd = 100'000;
    rules.push_back(r);
  }
  rules.push_back(rules[0]);
  rules.back().name = "AssetRatio";
  rules.back().scope = rule_scope::asset;
  rule_engine e(rules);
  const feed::view_settings s;
  const int passes = 200;
  std::size_t alerts = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < passes; ++i) {
    const auto v = feed::take_view(b, rates, &t, s, t0 + i * 250'000'000LL);
    alerts += e.evaluate(v, v.taken_at).alerts.size();
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const auto vstart = std::chrono::steady_clock::now();
  for (int i = 0; i < passes; ++i) (void)feed::take_view(b, rates, &t, s, t0);
  const double vms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - vstart).count();
  WARN((calm ? "calm " : "all firing ") << "pass (view + rules): " << ms / passes << " ms, view alone " << vms / passes
                               << " ms, alerts per pass: " << alerts / passes);
  CHECK((alerts > 0) != calm);
}
