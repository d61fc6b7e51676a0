// depthmond as a process against `depthmon sim`: books go live and the API serves the
// simulator's truth; /-/ready 503 then 200; SIGHUP reloads (symbol added, venue removed, bad
// config refused and the old one kept); SIGTERM exits 0 within 5 s; --check-config exit codes;
// `depthmon status` against the running daemon.
#include <catch2/catch.hpp>

#include <signal.h>

#include "daemon_harness.hpp"
#include "support/run.hpp"
#include "support/json.hpp"

using namespace depthmon;
using namespace depthmon::test;

namespace {

const std::vector<venue_spec_text> k_start = {{"binance", {"BTCUSDT", "ETHUSDT"}}, {"okx", {"BTC-USDT"}}};

}  // namespace

TEST_CASE("depthmond serves live books, reloads on SIGHUP and stops on SIGTERM", "[daemon][integration]") {
  sim_process sim;
  const std::string dir = scratch("main");
  const std::string cfg = dir + "/depthmon.toml";
  const auto port = unused_port();
  write_file(cfg, config_text(sim, port, dir + "/state", k_start));
  daemon_process d(cfg, port);
  INFO(d.proc.stderr_text());

  // Not ready until every configured book has been live once.
  http_reply first;
  REQUIRE(eventually([&] { return (first = d.get("/-/ready")).status != -1; }, 10s));
  CHECK(first.status == 503);
  REQUIRE(d.wait_ready(20s));
  CHECK(d.get("/-/healthy").status == 200);

  // Every book live, its fields those of the simulator's truth while the market is frozen.
  REQUIRE(http_call("POST", sim.base + "/sim/v1/pause").status == 200);
  std::this_thread::sleep_for(500ms);  // frames in flight when the market froze arrive
  for (const auto& [venue, sym, enc] : {std::tuple{"binance", "BTCUSDT", "BTCUSDT"}, std::tuple{"okx", "BTC-USDT", "BTC-USDT"}}) {
    INFO(venue << " " << sym);
    const auto mine = d.get(std::string("/api/v1/books/") + venue + "/" + enc + "?levels=5");
    const auto truth = http_call("GET", sim.base + "/sim/v1/books/" + venue + "/" + enc + "?levels=5");
    REQUIRE(mine.status == 200);
    REQUIRE(truth.status == 200);
    CHECK(test::json_field(mine.body, "status") == "live");
    CHECK(same_decimal(test::json_field(mine.body, "mid"), test::json_field(truth.body, "mid")));
    const auto bids_at = mine.body.find("\"bids\":[[");
    const auto tbids_at = truth.body.find("\"bids\":[[");
    REQUIRE(bids_at != std::string::npos);
    REQUIRE(tbids_at != std::string::npos);
    CHECK(mine.body.substr(bids_at, mine.body.find("]]", bids_at) - bids_at) ==
          truth.body.substr(tbids_at, truth.body.find("]]", tbids_at) - tbids_at));
    CHECK(!test::json_field(mine.body, "spread_bps").empty());
  }
  REQUIRE(http_call("POST", sim.base + "/sim/v1/resume").status == 200);
  const auto all = d.get("/api/v1/books");
  CHECK(all.status == 200);
  CHECK(all.body.front() == '[');
  CHECK(d.get("/api/v1/books/binance/NOPEUSDT").status == 404);
  CHECK(d.get("/api/v1/books/nosuchvenue/BTCUSDT").status == 404);
  CHECK(d.get("/api/v1/alerts").body == "{\"alerts\":[]}");
  CHECK(d.get("/api/v1/baseline").status == 200);
  CHECK(d.metric("depthmon_config_last_reload_successful") == 1.0);
#ifdef DEPTHMON_PROMTOOL
  {
    // The live /metrics of a daemon with live books passes promtool's lint.
    const std::string path = dir + "/metrics.txt";
    write_file(path, d.get("/metrics").body);
    const auto lint = run({"/bin/sh", "-c", std::string(DEPTHMON_PROMTOOL) + " check metrics < " + path});
    INFO(lint.out << lint.err);
    CHECK(lint.exit_code == 0);
  }
#endif

  // `depthmon status` reads the same API.
  const auto st = run({DEPTHMON_CLI, "status", "--url", d.url("")});
  CHECK(st.exit_code == 0);
  CHECK(st.out.find("VENUE") != std::string::npos);
  CHECK(st.out.find("BTC-USDT") != std::string::npos);
  CHECK(st.out.find("3/3 books live") != std::string::npos);
  CHECK(st.out.find("\x1b[") == std::string::npos);  // no colour into a pipe

  const auto okx_ws_before = http_call("GET", sim.base + "/sim/v1/stats").body;

  // SIGHUP with a symbol added: it goes live; the okx feed keeps its one connection.
  write_file(cfg, config_text(sim, port, dir + "/state",
                              {{"binance", {"BTCUSDT", "ETHUSDT", "SOLUSDT"}}, {"okx", {"BTC-USDT"}}}));
  d.proc.signal(SIGHUP);
  CHECK(eventually([&] { return d.book_status("binance", "SOLUSDT") == "live"; }, 15s));
  CHECK(d.book_status("okx", "BTC-USDT") == "live");
  CHECK(d.metric("depthmon_config_last_reload_successful") == 1.0);
  {
    const auto stats = http_call("GET", sim.base + "/sim/v1/stats").body;
    const auto okx_at = stats.find("\"okx\"");
    const auto before_at = okx_ws_before.find("\"okx\"");
    REQUIRE(okx_at != std::string::npos);
    CHECK(test::json_field(stats.substr(okx_at), "ws_connections") == test::json_field(okx_ws_before.substr(before_at), "ws_connections"));
  }

  // SIGHUP with a venue removed: its books leave the API; binance stays live.
  write_file(cfg, config_text(sim, port, dir + "/state", {{"binance", {"BTCUSDT", "ETHUSDT", "SOLUSDT"}}}));
  d.proc.signal(SIGHUP);
  CHECK(eventually([&] { return d.get("/api/v1/books/okx/BTC-USDT").status == 404; }, 10s));
  CHECK(d.book_status("binance", "BTCUSDT") == "live");

  // SIGHUP with a bad config: refused, the old one kept, visible in the metric.
  write_file(cfg, config_text(sim, port, dir + "/state", {{"binance", {"BTCUSDT"}}}, "no_such_key = 1\n"));
  d.proc.signal(SIGHUP);
  CHECK(eventually([&] { return d.metric("depthmon_config_last_reload_successful") == 0.0; }, 10s));
  CHECK(d.book_status("binance", "SOLUSDT") == "live");
  CHECK(d.book_status("binance", "ETHUSDT") == "live");

  // SIGTERM: drained and exited 0 within 5 s.
  const auto t0 = std::chrono::steady_clock::now();
  d.proc.signal(SIGTERM);
  CHECK(d.proc.wait(5s) == 0);
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
  const std::string log = d.proc.stderr_text();
  CHECK(log.find("reload refused") != std::string::npos);
  CHECK(log.find("book live") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("depthmond --check-config", "[daemon][integration]") {
  const std::string dir = scratch("check");
  write_file(dir + "/good.toml",
             "state_dir = \"/tmp\"\n[http]\nlisten = \"127.0.0.1:18095\"\n[[venue]]\nname = \"binance\"\n"
             "symbols = [\"BTCUSDT\"]\n");
  write_file(dir + "/bad.toml",
             "state_dir = \"/tmp\"\n[http]\nlisten = \"127.0.0.1:18095\"\n[[venue]]\nname = \"binanse\"\n"
             "symbols = [\"BTCUSDT\"]\nsymbolz = 1\n");
  const auto good = run({DEPTHMOND_BIN, "--config", dir + "/good.toml", "--check-config"});
  CHECK(good.exit_code == 0);
  CHECK(good.out == "config OK\n");
  const auto bad = run({DEPTHMOND_BIN, "--config", dir + "/bad.toml", "--check-config"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find(dir + "/bad.toml:5:") != std::string::npos);  // the venue name
  CHECK(bad.err.find(dir + "/bad.toml:7:") != std::string::npos);  // the unknown key
  const auto missing = run({DEPTHMOND_BIN, "--config", dir + "/none.toml", "--check-config"});
  CHECK(missing.exit_code == 1);
  CHECK(run({DEPTHMOND_BIN, "--shard", "3/2"}).exit_code == 2);
  CHECK(run({DEPTHMOND_BIN, "--bogus"}).exit_code == 2);
  const auto help = run({DEPTHMOND_BIN, "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--webhook") != std::string::npos);
  CHECK(help.out.find("--alertmanager URL") != std::string::npos);
  CHECK(help.out.find("DEPTHMON_DEMO_RECOVER_AT_S") != std::string::npos);
  const auto am_alone = run({DEPTHMOND_BIN, "--alertmanager", "http://127.0.0.1:9093"});
  CHECK(am_alone.exit_code == 2);
  CHECK(am_alone.err.find("--alertmanager goes with --demo") != std::string::npos);
  ::setenv("DEPTHMON_DEMO_RECOVER_AT_S", "soon", 1);
  const auto bad_env = run({DEPTHMOND_BIN, "--demo", "--state-dir", dir + "/demo"});
  ::unsetenv("DEPTHMON_DEMO_RECOVER_AT_S");
  CHECK(bad_env.exit_code == 2);
  CHECK(bad_env.err.find("DEPTHMON_DEMO_RECOVER_AT_S expects positive seconds") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("depthmond --shard I/N keeps every N-th book", "[daemon][integration]") {
  sim_process sim;
  const std::string dir = scratch("shard");
  const auto port = unused_port();
  write_file(dir + "/c.toml", config_text(sim, port, dir + "/state", k_start));  // books 0, 1, 2
  daemon_process d(dir + "/c.toml", port, {"--shard", "1/2"});
  INFO(d.proc.stderr_text());
  REQUIRE(d.wait_ready(20s));
  CHECK(d.book_status("binance", "ETHUSDT") == "live");  // book 1
  CHECK(d.get("/api/v1/books/binance/BTCUSDT").status == 404);
  CHECK(d.get("/api/v1/books/okx/BTC-USDT").status == 404);  // okx left without books
  d.proc.signal(SIGTERM);
  CHECK(d.proc.wait(5s) == 0);
  std::filesystem::remove_all(dir);
}
