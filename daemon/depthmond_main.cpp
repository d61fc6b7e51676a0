// depthmond — the service. Wiring only: flags, config, logging, threads, signals, systemd.
//
//   depthmond [--config FILE] [--check-config] [--state-dir DIR] [--shard I/N]
//             [--demo [--webhook URL] [--webhook-secret-file FILE] [--alertmanager URL]]
//
// Threads (DESIGN.md): `io_threads` feed threads (daemon::runtime), the HTTP thread (its own
// io_context running net::http_server), the alert thread (daemon::alert_loop, 250 ms), the
// recorder thread (daemon::history_recorder: minute history, baseline resolution), and
// this main thread, which waits for signals (SIGHUP: reload; SIGTERM/SIGINT: drain and exit 0)
// and talks to systemd (READY, STATUS "N/M books live", RELOADING/READY around a reload,
// STOPPING, WATCHDOG only while every feed thread's loop progresses).
//
// Exit status: 0 after a clean stop or a valid --check-config; 1 when the config is invalid
// (every error printed, file:line:column: key: message) or the daemon cannot start; 2 on bad
// arguments.
#include <pthread.h>
#include <unistd.h>
#include <signal.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "baseline/baseline_file.hpp"
#include "config/config.hpp"
#include "daemon/alert_loop.hpp"
#include "daemon/delivery_service.hpp"
#include "daemon/demo.hpp"
#include "daemon/http_api.hpp"
#include "daemon/publishing.hpp"
#include "daemon/history_recorder.hpp"
#include "daemon/recording.hpp"
#include "daemon/runtime.hpp"
#include "depth/bands.hpp"
#include "net/http_server.hpp"
#include "support/feed_log.hpp"
#include "support/logging.hpp"
#include "support/notify.hpp"
#include "support/rate_limiter.hpp"
#include "support/watchdog_gate.hpp"

#include <spdlog/formatter.h>

namespace {

using namespace depthmon;
namespace ds = depthmon::daemon_support;
using std::chrono::milliseconds;

constexpr const char* k_usage =
    "usage: depthmond [--config FILE] [--check-config] [--state-dir DIR] [--shard I/N]\n"
    "                 [--demo [--webhook URL] [--webhook-secret-file FILE] [--alertmanager URL]]\n"
    "  --config FILE       the TOML configuration (default /etc/depthmon/depthmon.toml)\n"
    "  --check-config      validate the configuration, print every problem, exit 1 if any\n"
    "                      (0 and \"config OK\" when valid)\n"
    "  --state-dir DIR     overrides the config's state_dir (history, outbox, recordings)\n"
    "  --shard I/N         keep only every N-th configured book, starting at book I (0-based,\n"
    "                      in config order across venues): N daemons with I = 0..N-1 split one\n"
    "                      config between them\n"
    "  --demo              start the exchange simulator in-process (TLS, every venue, BTC/ETH/SOL\n"
    "                      and two altcoins each, depth thinning over two minutes, recovering\n"
    "                      from the fifth minute over one, so alerts fire and then resolve)\n"
    "                      against a baseline of its starting (\"October\") depth; HTTP on\n"
    "                      127.0.0.1:18095; state in ./depthmon-demo unless --state-dir;\n"
    "                      --config is ignored\n"
    "  --webhook URL, --webhook-secret-file FILE\n"
    "                      demo alert receiver: a generic webhook (Alertmanager v4 JSON), signed\n"
    "                      with Standard Webhooks headers when a secret file (whsec_<base64> or\n"
    "                      raw bytes) is given; delivered through the outbox in the state dir\n"
    "  --alertmanager URL  demo alert receiver: an Alertmanager (API v2, URL/api/v2/alerts) that\n"
    "                      does the grouping itself (depthmon hands it every change at once)\n"
    "  HTTP: /metrics /-/healthy /-/ready /api/v1/books[/{venue}/{symbol}[?levels=N]]\n"
    "        /api/v1/alerts /api/v1/baseline\n"
    "  DEPTHMON_DEMO_LISTEN=HOST:PORT overrides the demo's listen address (tests)\n"
    "  DEPTHMON_DEMO_THINNING_S=S, DEPTHMON_DEMO_RECOVER_AT_S=S, DEPTHMON_DEMO_RECOVER_S=S\n"
    "                      override the demo's thinning (120), recovery start (300) and recovery\n"
    "                      duration (60), in seconds (tests)\n"
    "  signals: SIGHUP reloads the config (a bad one is refused, the old one kept);\n"
    "           SIGTERM/SIGINT stop cleanly\n";

struct args {
  std::string config = "/etc/depthmon/depthmon.toml";
  bool check = false;
  std::string state_dir;
  unsigned shard_i = 0, shard_n = 1;
  bool demo = false;
  std::string webhook, webhook_secret_file;  // the demo's extra receivers
  std::string alertmanager;
};

int bad_usage(const std::string& msg) {
  std::fprintf(stderr, "depthmond: %s (see depthmond --help)\n", msg.c_str());
  return 2;
}

bool parse_shard(std::string_view v, unsigned& i, unsigned& n) {
  const auto slash = v.find('/');
  if (slash == std::string_view::npos) return false;
  auto a = std::from_chars(v.data(), v.data() + slash, i);
  auto b = std::from_chars(v.data() + slash + 1, v.data() + v.size(), n);
  return a.ec == std::errc() && a.ptr == v.data() + slash && b.ec == std::errc() &&
         b.ptr == v.data() + v.size() && n >= 1 && i < n;
}

// Every N-th book (config order across venues) from book I; venues left without books go.
void apply_shard(std::vector<feed::venue_config>& venues, unsigned i, unsigned n) {
  if (n <= 1) return;
  std::size_t k = 0;
  for (auto& v : venues) {
    std::vector<std::string> keep;
    for (auto& s : v.symbols)
      if (k++ % n == i) keep.push_back(s);
    v.symbols = std::move(keep);
  }
  std::erase_if(venues, [](const feed::venue_config& v) { return v.symbols.empty(); });
}

core::unix_nanos wall_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The read inputs of a config: USD rates, the baseline file, bands and impact sizes.
std::shared_ptr<const daemon::read_inputs> make_inputs(const config::daemon_config& c, const feed::board& b,
                                                       std::string& err) {
  auto in = std::make_shared<daemon::read_inputs>();
  in->rates = std::make_unique<feed::usd_rates>(c.rates, b);
  in->settings.bands.clear();
  for (const auto& p : c.depth.bands_pct) in->settings.bands.push_back(depth::band{p});
  if (in->settings.bands.empty()) in->settings.bands = depth::default_bands();
  in->settings.impact_notionals_usd = c.depth.impact_notionals_usd;
  auto table = std::make_shared<baseline::table>();
  if (!c.baseline.file.empty()) {
    std::vector<baseline::load_error> errors;
    if (!baseline::load_baseline(c.baseline.file, *table, errors)) {
      for (const auto& e : errors) err += e.to_string() + "\n";
      return nullptr;
    }
  }
  in->baseline = std::move(table);
  return in;
}

std::optional<net::http_server_options> server_options(const config::http_config& h, std::string& err) {
  net::http_server_options o;
  const auto listen = net::parse_listen(h.listen);
  if (!listen) {
    err = "http.listen: expected HOST:PORT, got '" + h.listen + "'";
    return std::nullopt;
  }
  o.address = listen->first;
  o.port = listen->second;
  o.cert_file = h.cert_file;
  o.key_file = h.key_file;
  o.max_connections = h.max_connections;
  o.max_header_bytes = h.max_header_bytes;
  o.max_body_bytes = 16 * 1024;  // every route is a GET: no body is needed
  o.header_timeout = o.body_timeout = o.write_timeout = h.request_timeout;
  o.tls_timeout = h.request_timeout;
  if (!h.basic_auth_users.empty()) {
    net::basic_auth auth;
    for (const auto& [user, file] : h.basic_auth_users)
      if (!auth.add_user_from_file(user, file, &err)) return std::nullopt;
    o.auth = std::move(auth);
  }
  return o;
}

// The HTTP thread: its own io_context and the server on it.
struct http_thread {
  boost::asio::io_context ioc;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard;
  std::unique_ptr<net::http_server> srv;
  std::thread th;

  bool start(net::http_server_options o, const daemon::api_state& st, spdlog::logger& log, std::string& err) {
    srv = std::make_unique<net::http_server>(ioc, std::move(o));
    daemon::install_routes(*srv, st);
    auto limiter = std::make_shared<ds::rate_limiter>(5, std::chrono::seconds(60));
    srv->on_error([&log, limiter](const net::server_error& e) {
      const auto v = limiter->admit(e.phase, 0, ds::rate_limiter::clock::now());
      if (!v.log) return;
      ds::log(log, spdlog::level::warn, "http server error",
              {{"phase", e.phase}, {"error", e.ec.message()}, {"detail", e.what}});
    });
    if (auto ec = srv->start(&err)) return false;
    guard.emplace(ioc.get_executor());
    th = std::thread([this] { ioc.run(); });
    return true;
  }
  void stop() {
    if (!th.joinable()) return;
    std::promise<void> done;
    boost::asio::post(ioc, [&] {
      srv->stop();
      done.set_value();
    });
    done.get_future().wait();
    guard.reset();
    ioc.stop();
    th.join();
  }
};

void print_errors(const std::vector<config::config_error>& errors) {
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  args a;
  bool config_given = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view f = argv[i];
    if (f == "--help" || f == "-h") {
      std::fputs(k_usage, stdout);
      return 0;
    }
    if (f == "--version") {
      std::puts("depthmond " DEPTHMON_VERSION);
      return 0;
    }
    if (f == "--check-config") {
      a.check = true;
      continue;
    }
    if (f == "--demo") {
      a.demo = true;
      continue;
    }
    const bool valued = f == "--config" || f == "--state-dir" || f == "--shard" || f == "--webhook" ||
                        f == "--webhook-secret-file" || f == "--alertmanager";
    if (!valued) return bad_usage("unknown option '" + std::string(f) + "'");
    if (i + 1 >= argc) return bad_usage(std::string(f) + " needs a value");
    const std::string v = argv[++i];
    if (f == "--config") {
      a.config = v;
      config_given = true;
    } else if (f == "--state-dir") {
      a.state_dir = v;
    } else if (f == "--shard") {
      if (!parse_shard(v, a.shard_i, a.shard_n)) return bad_usage("--shard expects I/N with 0 <= I < N, got '" + v + "'");
    } else if (f == "--webhook") {
      a.webhook = v;
    } else if (f == "--alertmanager") {
      a.alertmanager = v;
    } else {
      a.webhook_secret_file = v;
    }
  }
  if ((!a.webhook.empty() || !a.webhook_secret_file.empty()) && !a.demo)
    return bad_usage("--webhook and --webhook-secret-file go with --demo");
  if (!a.alertmanager.empty() && !a.demo) return bad_usage("--alertmanager goes with --demo");
  if (a.demo && a.check) return bad_usage("--check-config checks a config file; --demo writes its own");
  if (a.demo && config_given) std::fprintf(stderr, "depthmond: --demo ignores --config\n");

  // ---- configuration ---------------------------------------------------------------------
  config::daemon_config cfg;
  // Signals are taken by this thread only (sigtimedwait below): block them before any thread
  // starts (the demo's simulator thread is the first) so every thread inherits the mask.
  sigset_t sigs;
  sigemptyset(&sigs);
  for (int s : {SIGHUP, SIGTERM, SIGINT}) sigaddset(&sigs, s);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::unique_ptr<daemon::demo> demo;
  if (a.demo) {
    daemon::demo_options o;
    if (!a.state_dir.empty()) o.state_dir = a.state_dir;
    // Test hook (integration tests run beside a demo a user may have open on 18095).
    if (const char* l = std::getenv("DEPTHMON_DEMO_LISTEN"); l && *l) o.listen = l;
    // Test hooks: compressed time, so a test sees alerts fire and resolve within a minute.
    for (auto [name, field] : {std::pair{"DEPTHMON_DEMO_THINNING_S", &o.thinning_s},
                               std::pair{"DEPTHMON_DEMO_RECOVER_AT_S", &o.recover_start_s},
                               std::pair{"DEPTHMON_DEMO_RECOVER_S", &o.recover_s}}) {
      const char* e = std::getenv(name);
      if (!e || !*e) continue;
      char* end = nullptr;
      const double x = std::strtod(e, &end);
      if (end == e || *end || !(x > 0)) return bad_usage(std::string(name) + " expects positive seconds, got '" + e + "'");
      *field = x;
    }
    demo = std::make_unique<daemon::demo>(o);
    std::string err;
    if (!demo->start(&err)) {
      std::fprintf(stderr, "depthmond: demo: %s\n", err.c_str());
      return 1;
    }
    cfg = demo->config();
    if (!a.webhook.empty())
      cfg.alert.receivers.push_back(daemon::demo_webhook_receiver(a.webhook, a.webhook_secret_file));
    if (!a.alertmanager.empty()) cfg.alert.receivers.push_back(daemon::demo_alertmanager_receiver(a.alertmanager));
  } else {
    std::vector<config::config_error> errors;
    if (!config::load_config(a.config, cfg, errors)) {
      print_errors(errors);
      return 1;
    }
    if (a.check) {
      std::puts("config OK");
      return 0;
    }
    if (!a.state_dir.empty()) cfg.state_dir = a.state_dir;
  }
  auto venues_of = [&a](const config::daemon_config& c) {
    auto v = c.venues;
    apply_shard(v, a.shard_i, a.shard_n);
    return v;
  };

  // ---- logging ---------------------------------------------------------------------------
  const auto fmt = ds::parse_log_format(cfg.log.format).value_or(ds::log_format::automatic);
  auto logger = ds::make_logger("depthmond", fmt);
  logger->set_level(spdlog::level::from_str(cfg.log.level));
  ds::rate_limiter limiter(10, std::chrono::seconds(60));
  ds::feed_log_adapter feed_log(logger, limiter);


  // ---- raw-frame recording (outlives the runtime's feeds: declared first) ----------------
  std::unique_ptr<daemon::recorder> recorder;
  if (cfg.recording.enabled) {
    std::vector<std::string> names;
    for (const auto& v : venues_of(cfg)) names.push_back(v.name);
    std::string err;
    recorder = daemon::recorder::create(cfg.recording, cfg.state_dir, names, &feed_log, err);
    if (!recorder) {
      ds::log(*logger, spdlog::level::err, "cannot record", {{"error", err}});
      return 1;
    }
    ds::log(*logger, spdlog::level::info, "recording raw frames", {{"dir", recorder->dir()}});
  }

  // ---- threads ---------------------------------------------------------------------------
  daemon::runtime_options ro;
  if (recorder)
    ro.tap = [r = recorder.get()](const feed::venue_config& v) -> feed::frame_tap* { return r->tap(v.name); };
  ro.io_threads = cfg.io_threads;
  ro.log = &feed_log;
  ro.connections = std::make_shared<net::reconnect_limiter>(20, std::chrono::seconds(1));
  ds::watchdog_gate gate(std::max(1u, cfg.io_threads));
  ro.beat = [&gate](unsigned i) { gate.beat(i); };
  ro.identify = daemon::identify_book;
  std::unique_ptr<daemon::api_state> st;  // made right after the runtime, before any feed
  ro.make_listener = [&st](daemon::venue_binding& b) { return daemon::make_publishing_listener(b, *st); };
  daemon::runtime rt(std::move(ro));
  st = std::make_unique<daemon::api_state>(rt.board());
  st->version = DEPTHMON_VERSION;
  if (recorder)
    st->recording_drops = [r = recorder.get()] {
      std::vector<metrics::recording_drop> out;
      for (const auto& d : r->dropped()) out.push_back({d.venue, d.dropped});
      return out;
    };
  {
    std::string err;
    auto in = make_inputs(cfg, rt.board(), err);
    if (!in) {
      ds::log(*logger, spdlog::level::err, "baseline file refused", {{"errors", err}});
      return 1;
    }
    st->set_inputs(std::move(in));
  }
  st->reload_ok_time = wall_now();
  // Delivery before anything that alerts, stopped after it: what a previous run left in the
  // outbox goes out now, and nothing submitted is lost at shutdown (it stays pending).
  daemon::delivery_service delivery;
  {
    std::string err;
    alert::render_context ctx;
    ctx.external_url = "http://" + cfg.http.listen + "/";
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0 && host[0]) ctx.source = host;
    if (!delivery.start(cfg.state_dir, cfg.alert.receivers, ctx, feed_log, &err)) {
      ds::log(*logger, spdlog::level::err, "cannot start alert delivery", {{"error", err}});
      return 1;
    }
  }
  st->receiver_figures = [&delivery] { return delivery.figures(); };
  {
    std::string err;
    if (!rt.start(venues_of(cfg), &err)) {
      ds::log(*logger, spdlog::level::err, "cannot start the feeds", {{"errors", err}});
      return 1;
    }
  }
  // Made before the HTTP thread, which reads its figures; started below, after the alert thread.
  daemon::history_recorder history(*st, feed_log);
  st->history_figures = [&history] {
    const auto f = history.current();
    return metrics::history_figures{f.rows_written, f.write_failures, f.rows_dropped};
  };
  http_thread http;
  {
    std::string err;
    auto so = server_options(cfg.http, err);
    if (!so || !http.start(std::move(*so), *st, *logger, err)) {
      ds::log(*logger, spdlog::level::err, "cannot serve HTTP", {{"listen", cfg.http.listen}, {"error", err}});
      rt.stop();
      return 1;
    }
  }
  daemon::alert_loop alerts(*st, feed_log, cfg.alert.cadence);
  alerts.configure(cfg.alert, cfg.depth.headline_pct);
  alerts.set_sink(delivery.sink());  // null without receivers
  alerts.start();
  // The history store and the effective baseline (file, history, trailing median).
  // state_dir changes take effect at the next restart (as the reload log says): the running one.
  auto history_of = [state_dir = cfg.state_dir](const config::daemon_config& c, const daemon::read_inputs& in) {
    return daemon::history_settings{state_dir, c.history, c.baseline, in.baseline};
  };
  history.start(history_of(cfg, *st->inputs()));
  std::size_t books = 0;
  for (const auto& v : venues_of(cfg)) books += v.symbols.size();
  ds::log(*logger, spdlog::level::info, a.demo ? "depthmond demo started" : "depthmond started",
          {{"listen", cfg.http.listen},
           {"config", a.demo ? std::string_view("(demo)") : std::string_view(a.config)},
           {"state_dir", cfg.state_dir},
           {"books", std::to_string(books)},
           {"io_threads", std::to_string(rt.threads())}});
  if (!a.webhook.empty())  // the logger redacts any secret the URL carries
    ds::log(*logger, spdlog::level::info, "demo webhook receiver added",
            {{"webhook", a.webhook}, {"signed", a.webhook_secret_file.empty() ? "no" : "yes"}});
  if (!a.alertmanager.empty())
    ds::log(*logger, spdlog::level::info, "demo alertmanager receiver added", {{"alertmanager", a.alertmanager}});
  if (a.demo) {
    std::fprintf(stderr,
                 "\n  depthmond demo: %zu books on %zu simulated venues, depth thinning over two minutes,\n"
                 "  recovering from the fifth minute (alerts resolve after about six)\n"
                 "  open  http://%s/api/v1/books   http://%s/metrics\n"
                 "  or    depthmon status --url http://%s --watch\n\n",
                 books, cfg.venues.size(), cfg.http.listen.c_str(), cfg.http.listen.c_str(),
                 cfg.http.listen.c_str());
  }

  auto status_text = [&] {
    const auto c = alerts.current();
    return std::to_string(c.live) + "/" + std::to_string(c.configured) + " books live";
  };
  ds::notifier::ready(status_text());

  // ---- the main loop: signals, STATUS, WATCHDOG ------------------------------------------
  const auto ping = ds::notifier::watchdog_ping_interval();
  const milliseconds step = ping ? std::min(milliseconds(1000), std::chrono::duration_cast<milliseconds>(*ping))
                                 : milliseconds(1000);
  std::string last_status;
  for (;;) {
    timespec ts{static_cast<time_t>(step.count() / 1000), static_cast<long>((step.count() % 1000) * 1'000'000)};
    const int sig = sigtimedwait(&sigs, nullptr, &ts);
    if (sig == SIGTERM || sig == SIGINT) break;
    if (sig == SIGHUP) {
      ds::notifier::reloading("reloading configuration");
      if (a.demo) {
        ds::log(*logger, spdlog::level::info, "reload: the demo's configuration is built in; nothing to reload");
      } else {
        config::daemon_config next;
        std::vector<config::config_error> errors;
        std::string err;
        bool ok = config::load_config(a.config, next, errors);
        if (!ok)
          for (const auto& e : errors) err += e.to_string() + "\n";
        if (ok && !a.state_dir.empty()) next.state_dir = a.state_dir;
        std::shared_ptr<const daemon::read_inputs> in;
        if (ok) {
          in = make_inputs(next, rt.board(), err);
          ok = in != nullptr;
        }
        config::config_diff d;
        if (ok) {
          // Diffed as sharded, so a reload only names books this daemon keeps.
          auto cur_s = cfg, next_s = next;
          cur_s.venues = venues_of(cfg);
          next_s.venues = venues_of(next);
          d = config::diff(cur_s, next_s);
          // New bands or impact sizes: every publisher is rebuilt with them (a venue restart
          // keeps its slots), so no snapshot mixes the two settings.
          if (d.depth_changed)
            for (const auto& v : next_s.venues) {
              auto named = [&](const std::vector<std::string>& l) { return std::find(l.begin(), l.end(), v.name) != l.end(); };
              if (!named(d.venues_added) && !named(d.venues_restarted)) d.venues_restarted.push_back(v.name);
            }
          ok = static_cast<bool>(rt.apply(venues_of(next), d, &err));
        }
        if (ok) {
          const auto next_history = history_of(next, *in);
          st->set_inputs(std::move(in));
          history.configure(next_history);  // waits for the baseline resolved under the new config
          st->reload_ok = true;
          st->reload_ok_time = wall_now();
          if (d.alert_changed) {  // receivers reload live; their queued rows stay in the outbox
            std::string derr;
            if (!delivery.reconfigure(next.alert.receivers, &derr))
              ds::log(*logger, spdlog::level::err, "reload: receivers refused; the running ones are kept",
                      {{"error", derr}});
            alerts.set_sink(delivery.sink());  // first receivers of a daemon started without any
          }
          if (d.alert_changed || d.depth_changed)  // rules reload live, unchanged ones keep their state
            alerts.configure(next.alert, next.depth.headline_pct);
          if (d.log_changed) {  // [log] reloads live
            logger->set_level(spdlog::level::from_str(next.log.level));
            logger->set_formatter(ds::make_formatter(
                ds::resolve(ds::parse_log_format(next.log.format).value_or(ds::log_format::automatic))));
          }
          if (d.http_changed || d.io_threads_changed || d.state_dir_changed || d.recording_changed)
            ds::log(*logger, spdlog::level::warn,
                    "reload: http, io_threads, state_dir and recording changes take effect at the next restart");
          ds::log(*logger, spdlog::level::info, "configuration reloaded",
                  {{"venues_added", std::to_string(d.venues_added.size())},
                   {"venues_removed", std::to_string(d.venues_removed.size())},
                   {"venues_restarted", std::to_string(d.venues_restarted.size())}});
          cfg = std::move(next);
        } else {
          st->reload_ok = false;
          ds::log(*logger, spdlog::level::err, "reload refused; the running configuration is kept",
                  {{"config", a.config}, {"errors", err}});
        }
      }
      ds::notifier::ready(status_text());
    }
    feed_log.flush_suppressed(ds::rate_limiter::clock::now());
    if (const std::string s = status_text(); s != last_status) {
      ds::notifier::status(s);
      last_status = s;
    }
    if (ping && gate.should_ping()) ds::notifier::watchdog();
  }

  // ---- drain -----------------------------------------------------------------------------
  ds::notifier::stopping("stopping");
  ds::log(*logger, spdlog::level::info, "stopping");
  alerts.stop();
  history.stop();  // writes the open minute
  http.stop();
  rt.stop();
  if (recorder) recorder->stop();  // after the feeds: everything they queued is written
  if (demo) demo->stop();
  delivery.stop();  // last: in-flight attempts are abandoned, their rows stay pending
  ds::log(*logger, spdlog::level::info, "stopped");
  return 0;
}
