// Alert scenarios against real components: a `depthmon sim` process running the `thinning` or
// `flash-crash` scenario with compressed timings and a recovery phase, and a depthmond process
// reading it over loopback websockets. The baseline is the daemon's own ±2 % depth a few
// seconds into the run (written as a baseline CSV and loaded by a SIGHUP reload, which also
// shows rules reloading live). The test watches /api/v1/alerts every 100 ms and the daemon's
// log: the right alerts go pending, fire only after `for`, fire once (no flapping), resolve
// after the recovery, and a rule on an incomplete band never fires while the same rule on a
// complete band does.
#include <catch2/catch.hpp>

#include <csignal>
#include <map>
#include <set>

#include "core/time.hpp"
#include "integration/daemon/daemon_harness.hpp"

using namespace depthmon;
using namespace depthmon::test;

namespace {

struct scenario_sim {
  explicit scenario_sim(std::vector<std::string> scenario_args)
      : proc([&] {
          std::vector<std::string> a = {DEPTHMON_CLI, "sim", "--venues", "binance,kraken", "--symbols-per-venue", "2",
                                        "--levels-scale", "0.2", "--duration", "150"};
          a.insert(a.end(), scenario_args.begin(), scenario_args.end());
          return a;
        }()) {
    const auto line = proc.read_line(15s);
    if (!line) throw std::runtime_error("depthmon sim did not start: " + proc.stderr_text());
    const auto at = line->find("127.0.0.1:");
    base = "http://" + line->substr(at, line->find('"', at) - at);
  }
  child_process proc;
  std::string base;
  std::string ws() const { return "ws" + base.substr(4); }
};

// binance (complete books) and kraken truncated to 10 levels (its wide bands are incomplete).
std::string config_for(const scenario_sim& sim, std::uint16_t port, const std::string& dir, const std::string& rules) {
  return "state_dir = \"" + dir + "/state\"\n[http]\nlisten = \"127.0.0.1:" + std::to_string(port) +
         "\"\nrequest_timeout_s = 2\n[baseline]\nfile = \"" + dir + "/baseline.csv\"\n"
         "[[rate]]\ncurrency = \"USDT\"\nfixed = \"1\"\n"
         "[[venue]]\nname = \"binance\"\nsymbols = [\"BTCUSDT\", \"ETHUSDT\"]\nws_url = \"" + sim.ws() +
         "/binance\"\nrest_url = \"" + sim.base + "/binance\"\n"
         "[[venue]]\nname = \"kraken\"\nsymbols = [\"BTC/USD\", \"ETH/USD\"]\nws_url = \"" + sim.ws() +
         "/kraken/v2\"\nrest_url = \"" + sim.base + "/kraken\"\n"
         "settings = { depth = \"10\", \"precision.BTC/USD\" = \"1:8\", \"precision.ETH/USD\" = \"2:8\" }\n"
         "[alert]\ncadence = \"100ms\"\n" + rules;
}

const std::string k_baseline_header = "venue,symbol,side,band_pct,depth_usd,samples,window_start,window_end\n";

// Each binance book's headline (±2 %) depth now, as a baseline CSV.
std::string baseline_now(const daemon_process& d) {
  simdjson::dom::parser p;
  const auto body = d.get("/api/v1/books").body;
  std::string csv = k_baseline_header;
  for (auto b : parse_json(p, body).get_array()) {
    if (str(b["venue"]) != "binance") continue;
    for (const char* side : {"bid", "ask"}) {
      const double v = double(b["headline"][std::string(side) + "_usd"]);
      csv += "binance," + str(b["symbol"]) + "," + side + ",2," + std::to_string(v) +
             ",100,2025-10-01T00:00:00Z,2025-10-10T00:00:00Z\n";
    }
  }
  return csv;
}

// Writes the daemon's config (sim, rules, an empty baseline file) into `dir`; returns the
// config's path.
std::string prepare(const scenario_sim& sim, const std::string& dir, std::uint16_t port, const std::string& rules) {
  write_file(dir + "/baseline.csv", k_baseline_header);
  write_file(dir + "/depthmon.toml", config_for(sim, port, dir, rules));
  return dir + "/depthmon.toml";
}

// The baseline from the market now, loaded by a SIGHUP reload.
void take_baseline(daemon_process& d, const std::string& dir) {
  write_file(dir + "/baseline.csv", baseline_now(d));
  d.proc.signal(SIGHUP);
  REQUIRE(eventually([&] { return d.get("/api/v1/baseline").body.find("BTCUSDT") != std::string::npos; }, 10s));
}

struct seen {
  std::string state;
  core::unix_nanos active_at = 0, starts_at = 0;
};

// alertname|symbol|side|band_bps -> its state in /api/v1/alerts now.
std::map<std::string, seen> active(const daemon_process& d) {
  std::map<std::string, seen> out;
  const auto r = d.get("/api/v1/alerts");
  if (r.status != 200) return out;
  simdjson::dom::parser p;
  for (auto a : parse_json(p, r.body)["alerts"].get_array()) {
    auto label = [&](const char* n) {
      std::string_view v;
      return a["labels"][n].get(v) ? std::string("-") : std::string(v);
    };
    seen s;
    s.state = str(a["state"]);
    s.active_at = core::parse_rfc3339(str(a["activeAt"])).value();
    std::string_view st;
    if (!a["startsAt"].get(st)) s.starts_at = core::parse_rfc3339(st).value();
    out[label("alertname") + "|" + label("symbol") + "|" + label("side") + "|" + label("band_bps")] = s;
  }
  return out;
}

// A series' observed states: pending periods that cleared before `for` (noise at the threshold
// while the depth falls) are allowed; then exactly one firing period, entered from pending
// after at least `for`, ending in resolution. Returns the firing observation.
seen one_firing_period(const std::vector<seen>& h, core::unix_nanos for_ns) {
  std::size_t firing = 0, at = 0;
  for (std::size_t i = 0; i < h.size(); ++i)
    if (h[i].state == "firing") ++firing, at = i;
  REQUIRE(firing == 1);
  REQUIRE(at >= 1);
  CHECK(h[at - 1].state == "pending");
  REQUIRE(at + 1 < h.size());
  CHECK(h[at + 1].state == "gone");
  CHECK(at + 2 == h.size());
  CHECK(h[at].starts_at - h[at].active_at >= for_ns);  // fired only after `for`
  return h[at];
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// True when the kraken BTC/USD book is live with its ±10 % bid side incomplete.
bool kraken_wide_band_incomplete(const daemon_process& d) {
  const auto r = d.get("/api/v1/books/kraken/BTC%2FUSD");
  if (r.status != 200) return false;
  simdjson::dom::parser p;
  auto b = parse_json(p, r.body);
  if (str(b["status"]) != "live") return false;
  for (auto band : b["bands"].get_array())
    if (double(band["pct"]) == 10) return !bool(band["bid_complete"]);
  return false;
}

// Runs the daemon until `done` (or `deadline`), recording every series' states.
struct watch_result {
  std::map<std::string, std::vector<seen>> history;  // distinct consecutive states per series
  bool incomplete_checked = false;
};

watch_result watch(const daemon_process& d, std::chrono::seconds deadline,
                   const std::function<bool(const std::map<std::string, seen>&, const watch_result&)>& done,
                   const std::function<void(const std::map<std::string, seen>&)>& on_poll = {}) {
  watch_result w;
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (std::chrono::steady_clock::now() < end) {
    const auto now = active(d);
    for (const auto& [k, s] : now) {
      auto& h = w.history[k];
      if (h.empty() || h.back().state != s.state) h.push_back(s);
    }
    for (auto& [k, h] : w.history)
      if (!now.count(k) && !h.empty() && h.back().state != "gone") h.push_back({"gone", 0, 0});
    w.incomplete_checked |= kraken_wide_band_incomplete(d);
    if (on_poll) on_poll(now);
    if (done(now, w)) break;
    std::this_thread::sleep_for(100ms);  // sampling another process's state
  }
  return w;
}

}  // namespace

TEST_CASE("thinning: depth_below_baseline fires after `for`, once, and resolves after recovery; "
          "an incomplete band never fires", "[alert][integration]") {
  // Depth halves over 30 s, stays there, and comes back over 8 s from 40 s.
  scenario_sim sim({"--scenario", "thinning", "--thinning-s", "30", "--fall", "0.5", "--recover-at-s", "40",
                    "--recover-s", "8"});
  const std::string dir = scratch("alert_thinning");
  const auto port = unused_port();
  const std::string rules = R"(
[[alert.rule]]
name = "DepthBelowBaseline"
kind = "depth_below_baseline"
venues = ["binance"]
threshold = 0.8
resolve_threshold = 0.9
for = 4

[[alert.rule]]
name = "FloorOnIncomplete"
kind = "depth_below_usd"
venues = ["kraken"]
bands_pct = [10]
threshold = 1e15

[[alert.rule]]
name = "FloorControl"
kind = "depth_below_usd"
venues = ["binance"]
bands_pct = [2]
sides = ["bid"]
threshold = 1e15
)";
  daemon_process d(prepare(sim, dir, port, rules), port);
  REQUIRE(d.wait_ready(20s));
  std::this_thread::sleep_for(1s);  // every headline figure published at least once
  take_baseline(d, dir);

  const std::string dbb = "DepthBelowBaseline|";
  auto all_firing_then_gone = [&](const std::map<std::string, seen>&, const watch_result& w) {
    std::size_t resolved = 0;
    for (const auto& [k, h] : w.history)
      if (k.starts_with(dbb) && h.back().state == "gone" &&
          std::any_of(h.begin(), h.end(), [](const seen& x) { return x.state == "firing"; }))
        ++resolved;
    return resolved == 4;  // both books, both sides
  };
  // `depthmon alerts` once something fires: the table names it.
  std::string table;
  auto cli = [&](const std::map<std::string, seen>& now) {
    if (!table.empty() || !now.count("DepthBelowBaseline|BTCUSDT|bid|200") ||
        now.at("DepthBelowBaseline|BTCUSDT|bid|200").state != "firing")
      return;
    child_process p({DEPTHMON_CLI, "alerts", "--url", d.url("")});
    while (auto line = p.read_line(5s)) table += *line + "\n";
    CHECK(p.wait(5s) == 0);
    // depthmon_alerts_firing: every configured rule, 0 for the one on the incomplete band.
    const std::string metrics = d.get("/metrics").body;
    CHECK(metrics.find("\ndepthmon_alerts_firing{alertname=\"DepthBelowBaseline\",severity=\"warning\"} 0") ==
          std::string::npos);
    CHECK(metrics.find("\ndepthmon_alerts_firing{alertname=\"DepthBelowBaseline\",severity=\"warning\"} ") !=
          std::string::npos);
    CHECK(metrics.find("\ndepthmon_alerts_firing{alertname=\"FloorOnIncomplete\",severity=\"warning\"} 0\n") !=
          std::string::npos);
  };
  const watch_result w = watch(d, 80s, all_firing_then_gone, cli);
  INFO(table);
  CHECK(table.starts_with("STATE"));
  bool row = false;
  for (std::size_t at = 0, nl; (nl = table.find('\n', at)) != std::string::npos; at = nl + 1) {
    const std::string line = table.substr(at, nl - at);
    row |= line.starts_with("firing ") && line.find(" DepthBelowBaseline ") != std::string::npos &&
           line.find(" BTCUSDT ") != std::string::npos && line.find(" bid ") != std::string::npos &&
           line.find("binance BTCUSDT ±2 % bid depth at 0.") != std::string::npos;
  }
  CHECK(row);
  const std::string log = d.proc.stderr_text();
  INFO(log.substr(log.size() > 6000 ? log.size() - 6000 : 0));

  std::size_t series = 0;
  for (const auto& [k, h] : w.history) {
    INFO(k);
    if (k.starts_with("FloorOnIncomplete|")) FAIL("a rule fired on an incomplete band");
    if (!k.starts_with(dbb)) continue;
    ++series;
    one_firing_period(h, 4'000'000'000LL);  // fires once (no flapping), resolves
  }
  CHECK(series == 4);
  CHECK(w.incomplete_checked);                              // the kraken band was incomplete and live
  CHECK(w.history.count("FloorControl|BTCUSDT|bid|200"));  // the same rule fires on a complete band
  for (const char* side : {"bid", "ask"})
    for (const char* sym : {"BTCUSDT", "ETHUSDT"}) {
      const std::string id = std::string("symbol=") + sym;
      const std::string one = "DepthBelowBaseline{band_bps=200,base=" + std::string(sym).substr(0, 3) +
                              ",exchange=binance,severity=warning,side=" + side + "," + id + "}";
      CHECK(count(log, "alert firing: " + one) == 1);
      CHECK(count(log, "alert resolved: " + one) == 1);
    }
}

TEST_CASE("flash-crash: depth_drop and depth_below_baseline fire after `for` and resolve after recovery",
          "[alert][integration]") {
  // Crash from 16 s over 8 s (depth -70 %, price -15 %), back over 4 s from 32 s. The drop's
  // window (30 s) spans the crash and the bottom, so it measures from the pre-crash depth
  // throughout; its threshold (a 50 % fall) sits above a calm book's wander within 30 s.
  const auto sim_start = std::chrono::steady_clock::now();
  scenario_sim sim({"--scenario", "flash-crash", "--crash-start-s", "16", "--crash-s", "8", "--recover-at-s", "32",
                    "--recover-s", "4"});
  const std::string dir = scratch("alert_flash");
  const auto port = unused_port();
  const std::string rules = R"(
[[alert.rule]]
name = "DepthBelowBaseline"
kind = "depth_below_baseline"
venues = ["binance"]
symbols = ["BTCUSDT"]
sides = ["ask"]
threshold = 0.6
resolve_threshold = 0.8
for = 2

[[alert.rule]]
name = "DepthDrop"
kind = "depth_drop"
venues = ["binance"]
symbols = ["BTCUSDT"]
sides = ["ask"]
threshold = 0.5
resolve_threshold = 0.25
window = "30s"
for = "2s"
)";
  daemon_process d(prepare(sim, dir, port, rules), port);
  REQUIRE(d.wait_ready(10s));
  // The simulator's books settle from their initial fill within seconds: the baseline is taken
  // from the settled market, still well before the crash.
  std::this_thread::sleep_until(sim_start + 11s);
  take_baseline(d, dir);

  // The ask side: the simulator's bids overshoot while the price climbs back (resting bids
  // refill below a rising mid), a second, genuine drop that is not what this test is about.
  const std::vector<std::string> expected = {"DepthBelowBaseline|BTCUSDT|ask|200", "DepthDrop|BTCUSDT|ask|200"};
  auto done = [&](const std::map<std::string, seen>&, const watch_result& w) {
    for (const auto& k : expected) {
      if (!w.history.count(k)) return false;
      const auto& h = w.history.at(k);
      if (h.back().state != "gone" || std::none_of(h.begin(), h.end(), [](const seen& x) { return x.state == "firing"; }))
        return false;
    }
    return true;
  };
  const watch_result w = watch(d, 70s, done);
  const std::string log = d.proc.stderr_text();
  INFO(log.substr(log.size() > 6000 ? log.size() - 6000 : 0));
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO(expected[i]);
    REQUIRE(w.history.count(expected[i]));
    one_firing_period(w.history.at(expected[i]), 2'000'000'000LL);
  }
  CHECK(count(log, "alert resolved: DepthDrop") == 1);
}
