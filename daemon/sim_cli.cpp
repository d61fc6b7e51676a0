#include "sim_cli.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "net/cert_authority.hpp"
#include "net/http_server.hpp"
#include "sim/scenario.hpp"
#include "sim/capture_server.hpp"
#include "sim/server.hpp"
#include "sim/text.hpp"

namespace depthmon::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_usage =
    "usage: depthmon sim [--listen 127.0.0.1:0] [--tls] [--scenario steady|thinning|flash-crash]\n"
    "                    [--seed N] [--venues binance,okx,...] [--symbols-per-venue N]\n"
    "                    [--rate MSGS_PER_S] [--write-config FILE] [--daemon-listen ADDR]\n"
    "                    [--duration S] [--levels-scale X] [--thinning-s S] [--crash-start-s S]\n"
    "                    [--crash-s S] [--fall F] [--recover-at-s S [--recover-s S]]\n"
    "       depthmon sim --replay VENUE=CAPTURE[,snapshot=SYM=FILE]...[,rest_meta=FILE]\n"
    "                    [--replay-symbols A,B] [--set KEY=VALUE]... [--listen/--tls/--write-config/\n"
    "                    --daemon-listen/--duration as above]\n"
    "  serves every venue's websocket and REST endpoints (all ten unless --venues) on one\n"
    "  address, each under /<venue> (ws_url ws://HOST:PORT/<venue>[documented base path], rest_url\n"
    "  http://HOST:PORT/<venue>), from seeded synthetic books. When ready it prints one line:\n"
    "  {\"listen\":\"127.0.0.1:PORT\",\"ca_file\":PATH|null,\"config\":FILE|null}\n"
    "  --listen ADDR          host:port to listen on (default 127.0.0.1:0: loopback, any port)\n"
    "  --tls                  wss/https with a fresh CA; its PEM goes to FILE.pki/ca.pem next to\n"
    "                         --write-config FILE, else to a temporary directory (removed at exit)\n"
    "  --scenario NAME        steady (default), thinning (depth falls over --thinning-s, default\n"
    "                         600), flash-crash (price -15 %, depth -70 %, rate x20 from\n"
    "                         --crash-start-s, default 30, over --crash-s, default 120)\n"
    "  --fall F               thinning: the fraction of depth lost (default 0.35 majors, 0.6 alts)\n"
    "  --recover-at-s S       thinning, flash-crash: from S seconds, depth and price return to their\n"
    "                         starting level over --recover-s (default 60); default: no recovery\n"
    "  --seed N               market seed (default 1): the same seed gives the same books\n"
    "  --venues a,b           venues to serve (default: all ten)\n"
    "  --symbols-per-venue N  books per venue, majors first (default 3)\n"
    "  --rate MSGS_PER_S      updates per second per book (default: 10 majors, 2 altcoins)\n"
    "  --levels-scale X       book depth factor (default 1: BTC ~3000 levels per side)\n"
    "  --write-config FILE    write a depthmond / `depthmon watch` config for these venues\n"
    "  --daemon-listen ADDR   that config's [http] listen (default 127.0.0.1:18095)\n"
    "  --duration S           stop by itself after S seconds (default: run until SIGINT/SIGTERM)\n"
    "  --replay SPEC          serve one recorded capture instead (tests/data/...: the real bytes,\n"
    "                         its REST bodies at the documented REST path) under /<venue>; every\n"
    "                         connection plays it from the start, then stays open and idle\n"
    "  --replay-symbols A,B   the capture's symbols for --write-config (default: the snapshot= ones)\n"
    "  --set KEY=VALUE        a venue setting for --write-config (as `depthmon replay --set`)\n"
    "  endpoints: GET /sim/v1/books/{venue}/{symbol}?levels=N (truth, book JSON),\n"
    "             POST /sim/v1/faults {\"venue\",\"symbol\"|null,\"kind\",\"duration_s\"},\n"
    "             GET /sim/v1/stats, POST /sim/v1/pause, POST /sim/v1/resume\n";

struct sim_args {
  std::string listen = "127.0.0.1:0";
  bool tls = false;
  sim::scenario scen;
  std::uint64_t seed = 1;
  std::vector<core::venue> venues;
  std::size_t symbols = 3;
  double rate = 0;
  double levels_scale = 1.0;
  std::string write_config;
  std::string daemon_listen = "127.0.0.1:18095";
  double duration = 0;
  std::string replay;                       // --replay SPEC: serve a capture, not synthetic books
  std::vector<std::string> replay_symbols;
  std::vector<std::pair<std::string, std::string>> settings;  // --set, for the written config
};

int bad_usage(const std::string& msg) {
  std::fprintf(stderr, "depthmon sim: %s (see depthmon sim --help)\n", msg.c_str());
  return 2;
}

template <class T>
bool parse_number(std::string_view v, T& out) {
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  return ec == std::errc() && p == v.data() + v.size();
}

// Parses argv into `a`; on a bad flag returns the message (empty: fine).
std::string parse_args(int argc, char** argv, sim_args& a, bool& help) {
  for (int i = 0; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      help = true;
      return {};
    }
    if (flag == "--tls") {
      a.tls = true;
      continue;
    }
    if (flag.rfind("--", 0) != 0) return "unexpected argument '" + std::string(flag) + "'";
    static constexpr std::string_view k_valued[] = {
        "--listen",       "--daemon-listen", "--scenario",   "--seed",
        "--venues",       "--symbols-per-venue", "--rate",   "--levels-scale",
        "--duration",     "--thinning-s",    "--crash-start-s", "--write-config",
        "--crash-s",      "--fall",          "--recover-at-s", "--recover-s",
        "--replay",       "--replay-symbols", "--set"};
    if (std::find(std::begin(k_valued), std::end(k_valued), flag) == std::end(k_valued))
      return "unknown option '" + std::string(flag) + "'";
    if (i + 1 >= argc) return std::string(flag) + " needs a value";
    const std::string v = argv[++i];
    auto positive = [&](double& out) -> std::string {
      if (!parse_number(v, out) || !(out > 0) || out > 1e9)
        return std::string(flag) + " expects a positive number, got '" + v + "'";
      return {};
    };
    std::string err;
    if (flag == "--listen") {
      if (!net::parse_listen(v)) err = "--listen expects HOST:PORT, got '" + v + "'";
      a.listen = v;
    } else if (flag == "--daemon-listen") {
      if (!net::parse_listen(v)) err = "--daemon-listen expects HOST:PORT, got '" + v + "'";
      a.daemon_listen = v;
    } else if (flag == "--scenario") {
      auto k = sim::parse_scenario_kind(v);
      if (!k) err = "--scenario must be steady, thinning or flash-crash, got '" + v + "'";
      else a.scen.kind = *k;
    } else if (flag == "--seed") {
      if (!parse_number(v, a.seed)) err = "--seed expects a non-negative integer, got '" + v + "'";
    } else if (flag == "--venues") {
      a.venues.clear();
      std::string_view rest = v;
      while (err.empty()) {
        const auto comma = rest.find(',');
        const std::string_view name = rest.substr(0, comma);
        auto ven = core::venue_from_string(name);
        if (!ven) err = "--venues: unknown venue '" + std::string(name) + "'";
        else a.venues.push_back(*ven);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    } else if (flag == "--symbols-per-venue") {
      if (!parse_number(v, a.symbols) || a.symbols == 0 || a.symbols > 1000)
        err = "--symbols-per-venue expects an integer 1..1000, got '" + v + "'";
    } else if (flag == "--rate") {
      err = positive(a.rate);
    } else if (flag == "--levels-scale") {
      err = positive(a.levels_scale);
      if (err.empty() && a.levels_scale > 10) err = "--levels-scale is at most 10";
    } else if (flag == "--duration") {
      err = positive(a.duration);
    } else if (flag == "--thinning-s") {
      err = positive(a.scen.thinning_s);
    } else if (flag == "--crash-start-s") {
      if (!parse_number(v, a.scen.crash_start_s) || !(a.scen.crash_start_s >= 0))
        err = "--crash-start-s expects non-negative seconds, got '" + v + "'";
    } else if (flag == "--crash-s") {
      err = positive(a.scen.crash_s);
    } else if (flag == "--fall") {
      double f = 0;
      if (!parse_number(v, f) || !(f > 0 && f < 1)) err = "--fall expects a fraction between 0 and 1, got '" + v + "'";
      else a.scen.fall = f;
    } else if (flag == "--recover-at-s") {
      double t = 0;
      if (!parse_number(v, t) || !(t >= 0)) err = "--recover-at-s expects non-negative seconds, got '" + v + "'";
      else a.scen.recover_start_s = t;
    } else if (flag == "--recover-s") {
      err = positive(a.scen.recover_s);
    } else if (flag == "--replay") {
      if (!a.replay.empty()) err = "--replay is given once (one capture per simulator)";
      else if (!sim::parse_replay_spec(v, &err)) err = "--replay: " + err;
      a.replay = v;
    } else if (flag == "--replay-symbols") {
      std::string_view rest = v;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        if (comma != 0) a.replay_symbols.emplace_back(rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    } else if (flag == "--set") {
      const auto eq = v.find('=');
      if (eq == std::string::npos || eq == 0) err = "--set expects KEY=VALUE, got '" + v + "'";
      else a.settings.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    } else if (flag == "--write-config") {
      if (v.empty()) err = "--write-config needs a file name";
      a.write_config = v;
    }
    if (!err.empty()) return err;
  }
  return {};
}

std::string toml_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// The keys DESIGN.md fixes, written once for both modes.
std::string config_head(const std::string& state_dir, const sim_args& a) {
  return "state_dir = " + toml_string(state_dir) + "\n\n[http]\nlisten = " + toml_string(a.daemon_listen) + "\n";
}

void append_venue_table(std::string& out, core::venue v, const std::vector<std::string>& symbols,
                        const std::string& ws_url, const std::string& rest_url, const std::string& ca_file,
                        const std::vector<std::pair<std::string, std::string>>& settings) {
  out += "\n[[venue]]\nname = " + toml_string(core::to_string(v)) + "\nsymbols = [";
  for (std::size_t i = 0; i < symbols.size(); ++i) out += (i ? ", " : "") + toml_string(symbols[i]);
  out += "]\nws_url = " + toml_string(ws_url) + "\nrest_url = " + toml_string(rest_url) + "\n";
  if (!ca_file.empty()) out += "ca_file = " + toml_string(ca_file) + "\n";
  if (settings.empty()) return;
  out += "settings = { ";
  for (std::size_t i = 0; i < settings.size(); ++i)
    out += (i ? ", " : "") + toml_string(settings[i].first) + " = " + toml_string(settings[i].second);
  out += " }\n";
}

// The complete config: DESIGN.md's keys, every venue pointing at this simulator.
std::string config_text(const sim::server& srv, const sim_args& a, const std::string& state_dir,
                        const std::string& ca_file) {
  std::string out = "# Written by `depthmon sim` (scenario " + std::string(sim::to_string(a.scen.kind)) +
                    ", seed " + std::to_string(a.seed) + "): every venue points at the simulator on " +
                    srv.http_base() + ".\n# Try: depthmon watch --config THIS_FILE\n";
  out += config_head(state_dir, a);
  for (core::venue v : srv.venues())
    append_venue_table(out, v, srv.symbols(v), srv.ws_url(v), srv.rest_url(v), ca_file, srv.client_settings(v));
  return out;
}

// The config for --replay: one venue, pointing at the capture server.
std::string replay_config_text(const sim::capture_server& srv, const sim_args& a,
                               const std::string& state_dir, const std::string& ca_file) {
  std::vector<std::string> syms = a.replay_symbols;
  if (syms.empty())
    for (const auto& sn : srv.recorded().snapshots)
      if (std::find(syms.begin(), syms.end(), sn.symbol) == syms.end()) syms.push_back(sn.symbol);
  std::string out = "# Written by `depthmon sim --replay " + a.replay + "`.\n# Try: depthmon watch --config THIS_FILE\n";
  out += config_head(state_dir, a);
  append_venue_table(out, srv.recorded().venue, syms, srv.ws_url(), srv.rest_url(), ca_file, a.settings);
  return out;
}

// Written next to the final name and renamed: a reader never sees half a config.
bool write_atomically(const std::string& path, const std::string& text, std::string& err) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    f << text;
    f.flush();
    if (!f) {
      err = "cannot write '" + tmp + "'";
      return false;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    err = "cannot write '" + path + "': " + ec.message();
    return false;
  }
  return true;
}

std::string absolute(const std::string& p) {
  std::error_code ec;
  const fs::path a = fs::absolute(p, ec);
  return ec ? p : a.lexically_normal().string();
}

void append_json_or_null(std::string& out, const std::string& s) {
  if (s.empty()) out += "null";
  else sim::append_quoted(out, s);
}

// The one ready line DESIGN.md fixes, flushed: a parent process reads it to know the port.
void print_ready(const std::string& address, std::uint16_t port, const std::string& ca_file,
                 const std::string& config) {
  std::string ready = "{\"listen\":";
  const std::string host = address.find(':') != std::string::npos ? "[" + address + "]" : address;
  sim::append_quoted(ready, host + ":" + std::to_string(port));
  ready += ",\"ca_file\":";
  append_json_or_null(ready, ca_file);
  ready += ",\"config\":";
  append_json_or_null(ready, config);
  ready += "}\n";
  std::fputs(ready.c_str(), stdout);
  std::fflush(stdout);
}

// Runs `ioc` until SIGINT/SIGTERM or `duration_s` (0: no limit); `stop` closes the server.
template <class Stop>
void serve_until_stopped(boost::asio::io_context& ioc, double duration_s, Stop stop) {
  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  boost::asio::steady_timer end(ioc);
  auto stop_all = [&] {
    stop();
    ioc.stop();  // pending socket handlers are dropped with the io_context: nothing to wait for
  };
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) stop_all();
  });
  if (duration_s > 0) {
    end.expires_after(std::chrono::milliseconds(static_cast<std::int64_t>(duration_s * 1000)));
    end.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) stop_all();
    });
  }
  ioc.run();
}

std::string state_dir_beside(const std::string& config) {
  return (fs::path(config).parent_path() / "depthmon-state").string();
}

// `depthmon sim --replay`: one capture served under /<venue> on the listen address.
template <class Cleanup>
int run_replay(const sim_args& a, const std::pair<std::string, std::uint16_t>& listen,
               const std::string& cert_pem, const std::string& key_pem, const std::string& ca_file,
               Cleanup& cleanup) {
  boost::asio::io_context ioc;
  sim::capture_server_options o;
  o.address = listen.first;
  o.port = listen.second;
  o.venue_prefix = true;
  o.cert_pem = cert_pem;
  o.key_pem = key_pem;
  std::string err;
  auto made = sim::make_replay_server(ioc, a.replay, o, &err);
  if (!made) {
    cleanup();
    return bad_usage("--replay: " + err);
  }
  sim::capture_server& srv = *made.value();
  if (const std::string why = srv.start(); !why.empty()) {
    cleanup();
    return bad_usage("cannot listen on " + a.listen + ": " + why);
  }
  std::string config;
  if (!a.write_config.empty()) {
    config = absolute(a.write_config);
    if (!write_atomically(config, replay_config_text(srv, a, state_dir_beside(config), ca_file), err)) {
      srv.stop();
      cleanup();
      return bad_usage(err);
    }
  }
  print_ready(listen.first, srv.port(), ca_file, config);
  serve_until_stopped(ioc, a.duration, [&] { srv.stop(); });
  cleanup();
  return 0;
}

}  // namespace

int run_sim(int argc, char** argv) {
  sim_args a;
  bool help = false;
  if (const std::string err = parse_args(argc, argv, a, help); !err.empty()) return bad_usage(err);
  if (help) {
    std::fputs(k_usage, stdout);
    return 0;
  }
  std::signal(SIGPIPE, SIG_IGN);  // a reader of our stdout that went away is not fatal
  const auto listen = net::parse_listen(a.listen);

  // TLS identity: a CA made now, its PEM where the client config can name it.
  std::string ca_file, temp_dir;
  sim::server_options so;
  if (a.tls) {
    std::string dir;
    if (!a.write_config.empty()) {
      dir = absolute(a.write_config) + ".pki";
    } else {
      std::string tmpl = (fs::temp_directory_path() / "depthmon-sim-XXXXXX").string();
      if (!::mkdtemp(tmpl.data())) return bad_usage("cannot create a temporary directory for the CA");
      dir = temp_dir = tmpl;
    }
    std::string err;
    auto pki = net::write_loopback_pki(dir, &err);
    if (!pki) return bad_usage("cannot create the TLS certificates in '" + dir + "': " + err);
    ca_file = absolute(pki->ca_file);
    so.cert_pem = pki->cert_pem;
    so.key_pem = pki->key_pem;
  }
  auto cleanup = [&] {
    std::error_code ec;
    if (!temp_dir.empty()) fs::remove_all(temp_dir, ec);
  };

  if (!a.replay.empty()) return run_replay(a, *listen, so.cert_pem, so.key_pem, ca_file, cleanup);

  so.address = listen->first;
  so.port = listen->second;
  so.venues = a.venues;
  so.symbols_per_venue = a.symbols;
  so.levels_scale = a.levels_scale;
  so.rate = a.rate;
  so.sim.seed = a.seed;
  so.sim.scen = a.scen;
  int errors_reported = 0;
  so.on_error = [&errors_reported](std::string_view line) {
    // One line each for the first few; a storm of failing handshakes must not flood stderr.
    if (++errors_reported <= 20)
      std::fprintf(stderr, "depthmon sim: %.*s%s\n", static_cast<int>(line.size()), line.data(),
                   errors_reported == 20 ? " (further errors not shown)" : "");
  };

  boost::asio::io_context ioc;
  sim::server srv(ioc, std::move(so));
  std::string why;
  if (!srv.start(&why)) {
    cleanup();
    return bad_usage("cannot listen on " + a.listen + ": " + why);
  }

  std::string config;
  if (!a.write_config.empty()) {
    config = absolute(a.write_config);
    std::string err;
    if (!write_atomically(config, config_text(srv, a, state_dir_beside(config), ca_file), err)) {
      srv.stop();
      cleanup();
      return bad_usage(err);
    }
  }

  print_ready(listen->first, srv.port(), ca_file, config);
  serve_until_stopped(ioc, a.duration, [&] { srv.stop(); });
  cleanup();
  return 0;
}

}  // namespace depthmon::cli
