// lib/config: every invalid file under tests/data/config/invalid/ yields exactly the errors its
// "# expect:" lines list (position, key, message, in order); the shipped configs load cleanly;
// values, defaults and path resolution; diff() for reloads; did-you-mean.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/schema.hpp"
#include "config/suggest.hpp"
#include "core/time.hpp"

using namespace depthmon;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> expectations(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  const std::string tag = "# expect: ";
  for (std::string line; std::getline(in, line);)
    if (line.rfind(tag, 0) == 0) out.push_back(line.substr(tag.size()));
  return out;
}

// Errors as text with the file named by its base name, as the expectations write it.
std::vector<std::string> error_texts(const std::vector<config::config_error>& errors, const fs::path& file) {
  std::vector<std::string> out;
  for (auto e : errors) {
    CHECK(e.file == file.string());
    e.file = file.filename().string();
    out.push_back(e.to_string());
  }
  return out;
}

config::daemon_config parse_ok(const std::string& text) {
  config::daemon_config c;
  std::vector<config::config_error> errors;
  const bool ok = config::parse_config(text, "test.toml", c, errors);
  for (const auto& e : errors) INFO(e.to_string());
  REQUIRE(errors.empty());
  REQUIRE(ok);
  return c;
}

std::vector<std::string> parse_errors(const std::string& text) {
  config::daemon_config c;
  std::vector<config::config_error> errors;
  CHECK_FALSE(config::parse_config(text, "test.toml", c, errors));
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.to_string());
  return out;
}

// Some symbol of `symbols` is on `base` (any case; Kraken v1 writes BTC as XBT).
bool lists_base(const std::vector<std::string>& symbols, std::string base) {
  for (std::string s : symbols) {
    for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (s.find(base) != std::string::npos || (base == "BTC" && s.find("XBT") != std::string::npos)) return true;
  }
  return false;
}

const std::string k_kraken = "[[venue]]\nname = \"kraken\"\nsymbols = [\"BTC/USD\", \"ETH/USD\"]\n";

}  // namespace

TEST_CASE("each invalid config reports exactly its expected errors", "[config]") {
  const fs::path dir = fs::path(DEPTHMON_TEST_DATA) / "config" / "invalid";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 30);
  for (const auto& f : files) {
    SECTION(f.filename().string()) {
      const auto expected = expectations(f);
      REQUIRE_FALSE(expected.empty());
      config::daemon_config c;
      std::vector<config::config_error> errors;
      CHECK_FALSE(config::load_config(f.string(), c, errors));
      CHECK(error_texts(errors, f) == expected);
    }
  }
}

TEST_CASE("the shipped configs load without errors", "[config]") {
  for (const char* name : {"depthmon.toml", "demo.toml"}) {
    SECTION(name) {
      const fs::path p = fs::path(DEPTHMON_SOURCE_DIR) / "config" / name;
      config::daemon_config c;
      std::vector<config::config_error> errors;
      const bool ok = config::load_config(p.string(), c, errors);
      for (const auto& e : errors) UNSCOPED_INFO(e.to_string());
      CHECK(errors.empty());
      CHECK(ok);
      CHECK(c.http.listen == "127.0.0.1:18095");
      CHECK(c.depth.headline_pct == core::decimal{2, 0});
      for (const auto& v : c.venues) {
        INFO(v.name);
        for (const char* base : {"BTC", "ETH", "SOL"}) CHECK(lists_base(v.symbols, base));
      }
    }
  }
}

TEST_CASE("the live default covers every venue and values non-USD quotes", "[config]") {
  config::daemon_config c;
  std::vector<config::config_error> errors;
  REQUIRE(config::load_config((fs::path(DEPTHMON_SOURCE_DIR) / "config" / "depthmon.toml").string(), c, errors));
  std::set<std::string> names;
  for (const auto& v : c.venues) names.insert(v.name);
  for (core::venue v : core::all_venues)
    if (v != core::venue::kraken_v1) CHECK(names.count(std::string(core::to_string(v))) == 1);
  std::set<std::string> rated;
  for (const auto& r : c.rates) rated.insert(r.currency);
  for (const char* q : {"USDT", "USDC", "EUR"}) CHECK(rated.count(q) == 1);
  CHECK(c.depth.bands_pct.size() == 7);
}

TEST_CASE("defaults apply where a key is absent", "[config]") {
  const auto c = parse_ok(k_kraken);
  CHECK(c.source == "test.toml");
  CHECK(c.state_dir == "/var/lib/depthmon");
  CHECK(c.io_threads == 1);
  CHECK(c.http.listen == "127.0.0.1:18095");
  CHECK(c.log.format == "auto");
  CHECK(c.depth.bands_pct.size() == 7);
  CHECK(c.depth.impact_notionals_usd == std::vector<std::int64_t>{100'000, 1'000'000});
  CHECK(c.baseline.window_start == core::parse_rfc3339("2025-10-01T00:00:00Z").value());
  CHECK(c.baseline.window_end == core::parse_rfc3339("2025-10-10T00:00:00Z").value());
  REQUIRE(c.venues.size() == 1);
  CHECK(c.venues[0].name == "kraken");
  CHECK(c.venues[0].symbols == std::vector<std::string>{"BTC/USD", "ETH/USD"});
  CHECK(c.venues[0].ws_url.empty());
}

TEST_CASE("values are read as written", "[config]") {
  const auto c = parse_ok(
      "state_dir = \"state\"\nio_threads = 3\n"
      "[http]\nlisten = \"[::1]:9000\"\nmax_connections = 10\nrequest_timeout_s = 2.5\n"
      "[log]\nformat = \"json\"\nlevel = \"debug\"\n"
      "[depth]\nbands_pct = [2, 0.5, \"0.25\"]\nheadline_pct = 0.5\nimpact_notionals_usd = [50000, 10000]\n"
      "[baseline]\nfile = \"/srv/b.csv\"\nwindow_start = 2025-09-01T00:00:00Z\n"
      "window_end = \"2025-09-02T00:00:00+02:00\"\nquantile = 0.25\n" +
      k_kraken +
      "settings = { depth = 1000, \"precision.BTC/USD\" = \"1:8\" }\nsnapshot_depth = 100\nstale_after_s = 1.5\n"
      "[[rate]]\ncurrency = \"USDT\"\nfixed = 1.0001\n");
  CHECK(c.state_dir == "state");  // relative to "test.toml"'s directory: the current one
  CHECK(c.io_threads == 3);
  CHECK(c.http.listen == "[::1]:9000");
  CHECK(c.http.max_connections == 10);
  CHECK(c.http.request_timeout == std::chrono::milliseconds(2500));
  CHECK(c.log.format == "json");
  CHECK(c.log.level == "debug");
  CHECK(c.depth.bands_pct == std::vector<core::decimal>{{25, 2}, {5, 1}, {2, 0}});  // sorted
  CHECK(c.depth.headline_pct == core::decimal{5, 1});
  CHECK(c.depth.impact_notionals_usd == std::vector<std::int64_t>{10'000, 50'000});
  CHECK(c.baseline.file == "/srv/b.csv");
  CHECK(c.baseline.window_start == core::parse_rfc3339("2025-09-01T00:00:00Z").value());
  CHECK(c.baseline.window_end == core::parse_rfc3339("2025-09-01T22:00:00Z").value());
  CHECK(c.baseline.quantile == 0.25);
  const auto& v = c.venues.at(0);
  CHECK(v.settings == std::map<std::string, std::string>{{"depth", "1000"}, {"precision.BTC/USD", "1:8"}});
  CHECK(v.snapshot_depth == 100);
  CHECK(v.timings.stale_after == std::chrono::milliseconds(1500));
  REQUIRE(c.rates.size() == 1);
  CHECK(c.rates[0].fixed == core::decimal{10001, 4});
}

TEST_CASE("a rate names a configured reference book", "[config]") {
  const auto c = parse_ok(k_kraken + "[[rate]]\ncurrency = \"BTC\"\nbook = \"kraken:BTC/USD\"\ninvert = false\n");
  REQUIRE(c.rates.size() == 1);
  CHECK(c.rates[0].currency == "BTC");
  CHECK_FALSE(c.rates[0].fixed);
  CHECK(c.rates[0].venue == core::venue::kraken);
  CHECK(c.rates[0].symbol == "BTC/USD");
}

TEST_CASE("relative paths resolve against the config file's directory", "[config]") {
  const fs::path dir = fs::temp_directory_path() / ("depthmon_config_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  { std::ofstream(dir / "ca.pem") << "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"; }
  { std::ofstream(dir / "d.toml") << "state_dir = \"state\"\n" << k_kraken << "ca_file = \"ca.pem\"\n"; }
  config::daemon_config c;
  std::vector<config::config_error> errors;
  CHECK(config::load_config((dir / "d.toml").string(), c, errors));
  CHECK(errors.empty());
  CHECK(c.state_dir == (dir / "state").string());
  CHECK(c.venues.at(0).ca_file == (dir / "ca.pem").string());
  fs::remove_all(dir);
}

TEST_CASE("an unreadable config file is one error without a position", "[config]") {
  config::daemon_config c;
  std::vector<config::config_error> errors;
  CHECK_FALSE(config::load_config("/nonexistent/depthmon.toml", c, errors));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].to_string() == "/nonexistent/depthmon.toml: cannot read the config file (No such file or directory)");
}

TEST_CASE("errors are appended, not replacing earlier ones", "[config]") {
  config::daemon_config c;
  std::vector<config::config_error> errors{{"other.toml", 1, 1, "x", "earlier"}};
  CHECK_FALSE(config::parse_config("io_threads = 0\n" + k_kraken, "a.toml", c, errors));
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].message == "earlier");
  CHECK(errors[1].to_string() == "a.toml:1:14: io_threads: expected an integer in 1..64, found 0");
}

TEST_CASE("a venue's settings are judged per setting by the venue itself", "[config]") {
  // Two bad settings, each pinned on its own key; the good one is not blamed.
  const auto errs = parse_errors("[[venue]]\nname = \"bybit\"\nsymbols = [\"BTCUSDT\"]\n"
                                 "settings = { category = \"spot\", depth = \"7\", colour = \"red\" }\n");
  REQUIRE(errs.size() == 2);
  CHECK(errs[0].rfind("test.toml:4:33: venue[0].settings.depth: rejected by bybit: ", 0) == 0);
  CHECK(errs[1].rfind("test.toml:4:46: venue[0].settings.colour: rejected by bybit: unknown setting 'colour'", 0) == 0);
}

TEST_CASE("every schema table's keys are distinct and adding a table is one row", "[config]") {
  std::set<std::string> paths;
  for (const auto& row : config::schema()) {
    CHECK(paths.insert(std::string(row.path)).second);
    std::set<std::string_view> keys(row.keys.begin(), row.keys.end());
    CHECK(keys.size() == row.keys.size());
  }
  CHECK(config::find_table("venue[]") != nullptr);
  CHECK(config::find_table("venue[].settings")->free_form);
  CHECK(config::find_table("alert.rule[].labels")->free_form);
  CHECK(config::find_table("alerts") == nullptr);
}

TEST_CASE("did-you-mean suggests the closest key when it is close", "[config]") {
  CHECK(config::edit_distance("listen", "listn") == 1);
  CHECK(config::edit_distance("", "abc") == 3);
  CHECK(config::edit_distance("Kraken", "kraken") == 0);
  CHECK(config::did_you_mean("listn", {"listen", "cert_file"}) == " (did you mean 'listen'?)");
  CHECK(config::did_you_mean("warning", {"warn", "error"}) == " (did you mean 'warn'?)");
  CHECK(config::did_you_mean("zzz", {"listen", "cert_file"}).empty());
  CHECK(config::did_you_mean("listen", {"listen"}).empty());
  CHECK(config::did_you_mean("x", {}).empty());
}

// ---- diff -----------------------------------------------------------------------------------

TEST_CASE("diff of a config with itself is empty", "[config][diff]") {
  const auto c = parse_ok(k_kraken);
  CHECK(config::diff(c, c).empty());
}

TEST_CASE("diff reports venues added, removed and restarted", "[config][diff]") {
  const auto a = parse_ok(k_kraken + "[[venue]]\nname = \"okx\"\nsymbols = [\"BTC-USDT\"]\n"
                                     "[[venue]]\nname = \"bybit\"\nsymbols = [\"BTCUSDT\"]\n");
  const auto b = parse_ok(k_kraken + "settings = { depth = \"1000\" }\n"
                                     "[[venue]]\nname = \"bybit\"\nsymbols = [\"BTCUSDT\"]\n"
                                     "[[venue]]\nname = \"coinbase\"\nsymbols = [\"BTC-USD\"]\n");
  const auto d = config::diff(a, b);
  CHECK(d.venues_added == std::vector<std::string>{"coinbase"});
  CHECK(d.venues_removed == std::vector<std::string>{"okx"});
  CHECK(d.venues_restarted == std::vector<std::string>{"kraken"});
  CHECK(d.symbols_added.empty());
  CHECK(d.symbols_removed.empty());
  CHECK_FALSE(d.empty());
}

TEST_CASE("diff restarts a venue for each connection-level key", "[config][diff]") {
  const auto base = parse_ok(k_kraken);
  for (const char* extra : {"ws_url = \"wss://127.0.0.1:1/kraken\"", "rest_url = \"https://127.0.0.1:1\"",
                            "snapshot_depth = 10", "rest_weight_per_minute = 100", "stale_after_s = 9",
                            "idle_timeout_s = 9", "connect_timeout_s = 9", "request_timeout_s = 9",
                            "max_connection_age_s = 9"}) {
    INFO(extra);
    const auto d = config::diff(base, parse_ok(k_kraken + extra + "\n"));
    CHECK(d.venues_restarted == std::vector<std::string>{"kraken"});
  }
}

TEST_CASE("diff adds and removes symbols of a running venue", "[config][diff]") {
  const auto a = parse_ok("[[venue]]\nname = \"kraken\"\nsymbols = [\"BTC/USD\", \"ETH/USD\", \"SOL/USD\"]\n");
  const auto b = parse_ok("[[venue]]\nname = \"kraken\"\nsymbols = [\"SOL/USD\", \"BTC/USD\", \"XRP/USD\", \"ADA/USD\"]\n");
  const auto d = config::diff(a, b);
  CHECK(d.venues_restarted.empty());
  CHECK(d.symbols_added == std::map<std::string, std::vector<std::string>>{{"kraken", {"XRP/USD", "ADA/USD"}}});
  CHECK(d.symbols_removed == std::map<std::string, std::vector<std::string>>{{"kraken", {"ETH/USD"}}});
  // Reordering alone changes nothing.
  const auto c = parse_ok("[[venue]]\nname = \"kraken\"\nsymbols = [\"SOL/USD\", \"ETH/USD\", \"BTC/USD\"]\n");
  CHECK(config::diff(a, c).empty());
}

TEST_CASE("diff sets each flag for its section only", "[config][diff]") {
  const auto base = parse_ok(k_kraken);
  struct flag_case {
    const char* head;
    bool config::config_diff::*flag;
  };
  const flag_case cases[] = {
      {"[http]\nlisten = \"127.0.0.1:1\"\n", &config::config_diff::http_changed},
      {"[http]\nmax_connections = 5\n", &config::config_diff::http_changed},
      {"io_threads = 2\n", &config::config_diff::io_threads_changed},
      {"[depth]\nbands_pct = [2]\n", &config::config_diff::depth_changed},
      {"[depth]\nimpact_notionals_usd = [5]\n", &config::config_diff::depth_changed},
      {"[baseline]\nquantile = 0.1\n", &config::config_diff::baseline_changed},
      {"[log]\nlevel = \"warn\"\n", &config::config_diff::log_changed},
      {"state_dir = \"/tmp/other\"\n", &config::config_diff::state_dir_changed},
      {"[history]\nmin_samples = 5\n", &config::config_diff::history_changed},
      {"[history]\nenabled = false\n", &config::config_diff::history_changed},
      {"[history]\nretention_days = 30\n", &config::config_diff::history_changed},
  };
  for (const auto& fc : cases) {
    INFO(fc.head);
    const auto d = config::diff(base, parse_ok(std::string(fc.head) + k_kraken));
    CHECK(d.*fc.flag);
    int set = 0;
    for (auto f : {&config::config_diff::http_changed, &config::config_diff::io_threads_changed,
                   &config::config_diff::depth_changed, &config::config_diff::rates_changed,
                   &config::config_diff::baseline_changed, &config::config_diff::log_changed,
                   &config::config_diff::state_dir_changed, &config::config_diff::history_changed})
      set += d.*f ? 1 : 0;
    CHECK(set == 1);
    CHECK(d.venues_restarted.empty());
  }
  const auto r = config::diff(base, parse_ok(k_kraken + "[[rate]]\ncurrency = \"USDT\"\nfixed = 1\n"));
  CHECK(r.rates_changed);
}

TEST_CASE("config/README.md documents every key of the schema", "[config]") {
  std::ifstream in(fs::path(DEPTHMON_SOURCE_DIR) / "config" / "README.md");
  const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE_FALSE(readme.empty());
  for (const auto& row : config::schema()) {
    if (!row.path.empty()) {
      // A table's own heading: "### `[http]`" or "### `[[venue]]`".
      std::string name(row.path);
      const bool array = name.size() > 2 && name.ends_with("[]");
      if (array) name.resize(name.size() - 2);
      if (name.find('.') == std::string::npos) {
        INFO(name);
        CHECK(readme.find("### `" + std::string(array ? "[[" : "[") + name + (array ? "]]" : "]") + "`") !=
              std::string::npos);
      }
    }
    for (auto key : row.keys) {
      INFO(row.path << " " << key);
      CHECK(readme.find("| `" + std::string(key) + "` |") != std::string::npos);
    }
  }
}

TEST_CASE("[history] values are read as written, defaults where absent", "[config]") {
  const auto d = parse_ok(k_kraken);
  CHECK(d.history.enabled);
  CHECK(d.history.file == "history.sqlite");
  CHECK(d.history.retention == std::chrono::hours(24 * 400));
  CHECK(d.history.trailing_window == std::chrono::hours(24 * 7));
  CHECK(d.history.min_samples == 60);
  const auto c = parse_ok(
      "[history]\nenabled = false\nfile = \"h/minutes.sqlite\"\nretention_days = 30\ntrailing_window_h = 48\n"
      "min_samples = 10\n" + k_kraken);
  CHECK_FALSE(c.history.enabled);
  CHECK(c.history.file == "h/minutes.sqlite");  // relative to state_dir, not resolved here
  CHECK(c.history.retention == std::chrono::hours(24 * 30));
  CHECK(c.history.trailing_window == std::chrono::hours(48));
  CHECK(c.history.min_samples == 10);
}

TEST_CASE("[alert] rules and receivers are read as written", "[config][alert]") {
  const auto d = parse_ok(k_kraken);
  CHECK(d.alert.cadence == std::chrono::milliseconds(250));
  CHECK(d.alert.rules.empty());
  const auto c = parse_ok(k_kraken + R"(
[alert]
cadence = "100ms"
group_by = ["alertname"]
group_wait = "1s"
group_interval = 2
repeat_interval = "1h30m"
inhibit_when_feed_down = false

[[alert.rule]]
name = "Thin"
kind = "depth_below_baseline"
venues = ["kraken"]
symbols = ["ETH/USD"]
bands_pct = [2, 0.5]
sides = ["ask"]
threshold = 0.7
resolve_threshold = 0.8
for = "2m"
keep_firing_for = 30
severity = "critical"
labels = { team = "desk" }
annotations = { summary = "{{ symbol }} thin" }
runbook_url = "https://runbooks.example/thin"

[[alert.rule]]
name = "Asset"
kind = "depth_drop"
scope = "asset"
bases = ["BTC"]
threshold = 0.3
window = "5m"

[[alert.receiver]]
name = "am"
kind = "alertmanager"
url = "http://127.0.0.1:9093"
match = ['severity=~"crit.*"', "exchange != okx"]
send_resolved = false
group_wait = 0
)");
  const auto& a = c.alert;
  CHECK(a.cadence == std::chrono::milliseconds(100));
  CHECK(a.group_by == std::vector<std::string>{"alertname"});
  CHECK(a.group_wait == std::chrono::seconds(1));
  CHECK(a.group_interval == std::chrono::seconds(2));
  CHECK(a.repeat_interval == std::chrono::minutes(90));
  CHECK_FALSE(a.inhibit_when_feed_down);
  REQUIRE(a.rules.size() == 2);
  const auto& r = a.rules[0];
  CHECK(r.kind == alert::rule_kind::depth_below_baseline);
  CHECK(r.venues == std::vector<core::venue>{core::venue::kraken});
  CHECK(r.bands_pct == std::vector<core::decimal>{{2, 0}, {5, 1}});
  CHECK(r.sides == std::vector<core::side>{core::side::ask});
  CHECK(r.resolve_threshold == 0.8);
  CHECK(r.for_ == std::chrono::minutes(2));
  CHECK(r.keep_firing_for == std::chrono::seconds(30));
  CHECK(r.labels.at("team") == "desk");
  CHECK(r.annotations.at("summary") == "{{ symbol }} thin");
  CHECK(r.line > 0);
  CHECK(a.rules[1].scope == alert::rule_scope::asset);
  CHECK(a.rules[1].window == std::chrono::minutes(5));
  REQUIRE(a.receivers.size() == 1);
  const auto& rc = a.receivers[0];
  CHECK(rc.kind == alert::receiver_kind::alertmanager);
  REQUIRE(rc.match.size() == 2);
  CHECK(rc.match[0].match == alert::label_matcher::op::re);
  CHECK(rc.match[0].value == "crit.*");
  CHECK(rc.match[1].match == alert::label_matcher::op::ne);
  CHECK(rc.match[1].name == "exchange");
  CHECK(rc.match[1].value == "okx");
  CHECK_FALSE(rc.send_resolved);
  CHECK(rc.group_wait == std::chrono::milliseconds(0));
  CHECK_FALSE(rc.group_interval);
}

TEST_CASE("diff: alert_changed for [alert] changes, not for rules that only moved lines", "[config][diff]") {
  const std::string rule = "[[alert.rule]]\nname = \"Down\"\nkind = \"feed_down\"\n";
  const auto a = parse_ok(k_kraken + rule);
  const auto moved = parse_ok("\n\n" + k_kraken + "\n" + rule);
  REQUIRE(a.alert.rules[0].line != moved.alert.rules[0].line);
  const auto same = config::diff(a, moved);
  CHECK_FALSE(same.alert_changed);
  CHECK(same.empty());
  const auto d = config::diff(a, parse_ok(k_kraken + rule + "for = 10\n"));
  CHECK(d.alert_changed);
  CHECK_FALSE(d.empty());
  CHECK(config::diff(a, parse_ok("[alert]\ncadence = 1\n" + k_kraken + rule)).alert_changed);
}
