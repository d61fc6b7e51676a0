#include "daemon/demo.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include "baseline/baseline_file.hpp"
#include "net/cert_authority.hpp"
#include "sim/server.hpp"
#include "sim/truth.hpp"

namespace depthmon::daemon {
namespace fs = std::filesystem;

struct demo::impl {
  demo_options opt;
  config::daemon_config cfg;
  boost::asio::io_context ioc;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard;
  std::unique_ptr<sim::server> srv;
  std::thread th;
};

demo::demo(demo_options o) : impl_(std::make_unique<impl>()) { impl_->opt = std::move(o); }
demo::~demo() { stop(); }
const config::daemon_config& demo::config() const noexcept { return impl_->cfg; }

namespace {

// "2025-10-01T00:00:00Z" style, for the CSV's window columns.
const char* k_window_start = "2025-10-01T00:00:00Z";
const char* k_window_end = "2025-10-10T00:00:00Z";

std::string baseline_csv(sim::server& srv) {
  std::string out(baseline::file_header);
  out += "\n";
  std::lock_guard lk(srv.mutex());
  for (core::venue v : srv.venues()) {
    sim::venue_sim* vs = srv.sim(v);
    if (!vs) continue;
    for (const auto& sym : srv.symbols(v)) {
      const sim::symbol_feed* f = vs->feed(sym);
      if (!f) continue;
      for (const auto& [side, value] : {std::pair{"bid", f->baseline.bid()}, std::pair{"ask", f->baseline.ask()}}) {
        char line[256];
        std::snprintf(line, sizeof line, "%s,%s,%s,2,%.2f,1,%s,%s\n", std::string(core::to_string(v)).c_str(),
                      sym.c_str(), side, value, k_window_start, k_window_end);
        out += line;
      }
    }
  }
  return out;
}

}  // namespace

// As config/demo.toml writes them: the thinning scenario takes every book's ±2 % depth from its
// "October" baseline down by 35 % (majors) or 60 % (altcoins), so the per-book warning fires on
// every major and the per-asset warning and critical on the altcoins; `for` is short so a demo
// shows them in minutes, and the recovery resolves them.
alert::alert_config demo_alerts() {
  alert::alert_config a;
  a.group_wait = std::chrono::seconds(5);
  a.group_interval = std::chrono::seconds(30);
  auto thin = [](std::string name, double threshold, double resolve, std::string severity) {
    alert::rule_config r;
    r.name = std::move(name);
    r.kind = alert::rule_kind::depth_below_baseline;
    r.threshold = threshold;
    r.resolve_threshold = resolve;
    r.for_ = std::chrono::seconds(10);
    // An altcoin's few levels near ±2 % make its depth jumpy: hold a firing alert 15 s after
    // it clears so the demo shows thinning, not noise (and the recovery resolves it soon).
    r.keep_firing_for = std::chrono::seconds(15);
    r.severity = std::move(severity);
    r.runbook_url = "https://github.com/depthmon/depthmon/blob/main/docs/operations.md";
    return r;
  };
  // Majors thin by 35 %: warn per book under 80 % of October. An altcoin's ±2 % depth rests on
  // a few levels and one book's ratio wanders between 0.25 and 1.3 in a calm market (per-book
  // rules fired before the thinning and a quarter never resolved after the recovery), so the
  // altcoins (which thin by 60 %) are watched per asset, summed over every venue's books.
  const std::vector<std::string> majors{"BTC", "ETH", "SOL"}, altcoins{"NKN", "MINA"};
  auto on = [](alert::rule_config r, const std::vector<std::string>& bases, alert::rule_scope sc) {
    r.bases = bases;
    r.scope = sc;
    return r;
  };
  a.rules.push_back(on(thin("DepthBelowBaseline", 0.8, 0.9, "warning"), majors, alert::rule_scope::book));
  a.rules.push_back(
      on(thin("AssetDepthBelowBaseline", 0.6, 0.8, "warning"), altcoins, alert::rule_scope::asset));
  a.rules.push_back(
      on(thin("AssetDepthFarBelowBaseline", 0.45, 0.65, "critical"), altcoins, alert::rule_scope::asset));
  alert::rule_config down;
  down.name = "FeedDown";
  down.kind = alert::rule_kind::feed_down;
  down.for_ = std::chrono::seconds(30);
  down.severity = "critical";
  a.rules.push_back(down);
  return a;
}

bool demo::start(std::string* error) {
  auto& m = *impl_;
  auto fail = [&](const std::string& why) {
    if (error) *error = why;
    return false;
  };
  std::error_code ec;
  fs::create_directories(m.opt.state_dir, ec);
  if (ec) return fail("cannot create the state directory '" + m.opt.state_dir + "': " + ec.message());
  const std::string state = fs::absolute(m.opt.state_dir, ec).lexically_normal().string();
  std::string err;
  auto pki = net::write_loopback_pki((fs::path(state) / "pki").string(), &err);
  if (!pki) return fail("cannot create the simulator's TLS certificates: " + err);

  sim::server_options so;
  so.symbols_per_venue = m.opt.symbols_per_venue;
  so.sim.seed = m.opt.seed;
  so.sim.scen.kind = sim::scenario_kind::thinning;
  so.sim.scen.thinning_s = m.opt.thinning_s;
  so.sim.scen.recover_start_s = m.opt.recover_start_s;
  so.sim.scen.recover_s = m.opt.recover_s;
  so.cert_pem = pki->cert_pem;
  so.key_pem = pki->key_pem;
  m.srv = std::make_unique<sim::server>(m.ioc, std::move(so));
  std::string why;
  if (!m.srv->start(&why)) return fail("the simulator cannot listen: " + why);

  const std::string baseline_file = (fs::path(state) / "baseline.csv").string();
  {
    std::ofstream f(baseline_file, std::ios::trunc);
    f << baseline_csv(*m.srv);
    if (!f) return fail("cannot write '" + baseline_file + "'");
  }

  config::daemon_config& c = m.cfg;
  c.source = "(demo)";
  c.state_dir = state;
  c.http.listen = m.opt.listen;
  c.baseline.file = baseline_file;
  for (const char* stable : {"USDT", "USDC"}) {
    config::rate_source r;
    r.currency = stable;
    r.fixed = core::decimal{1, 0};
    c.rates.push_back(r);
  }
  c.alert = demo_alerts();
  for (core::venue v : m.srv->venues()) {
    feed::venue_config vc;
    vc.name = std::string(core::to_string(v));
    vc.symbols = m.srv->symbols(v);
    vc.ws_url = m.srv->ws_url(v);
    vc.rest_url = m.srv->rest_url(v);
    vc.ca_file = pki->ca_file;
    for (auto& [k, val] : m.srv->client_settings(v)) vc.settings[k] = val;
    c.venues.push_back(std::move(vc));
  }
  m.guard.emplace(m.ioc.get_executor());
  m.th = std::thread([&m] { m.ioc.run(); });
  return true;
}

void demo::stop() {
  auto& m = *impl_;
  if (!m.th.joinable()) return;
  std::promise<void> done;
  boost::asio::post(m.ioc, [&] {
    m.srv->stop();
    done.set_value();
  });
  done.get_future().wait();
  m.guard.reset();
  m.ioc.stop();
  m.th.join();
}

}  // namespace depthmon::daemon
