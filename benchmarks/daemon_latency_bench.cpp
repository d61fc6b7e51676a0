// The daemon end to end: `depthmon sim` (a process) streams every venue's protocol over
// loopback to `depthmond` (a process) at a given total message rate over a given number of
// books; the figures come from the daemon itself, as ops would read them:
//   * processing latency: depthmon_processing_duration_seconds (frame read -> depth published,
//     all exchanges summed), the difference of two scrapes of /metrics, quantiles interpolated
//     inside the histogram's buckets (so a quantile is exact to its bucket's width);
//   * messages: depthmon_feed_messages_total over the same window (the achieved rate);
//   * CPU: the daemon's utime + stime from /proc/PID/stat over the same window, in cores.
// The parse floor is measured in the same run, in this process: simdjson on-demand visiting and
// exactly converting every field of real Binance BTCUSDT depth frames (tests/data), per frame.
//
// Not a Google Benchmark (a latency distribution of another process at a given rate). CTest runs
// a short smoke (--seconds 2 --books 40). Usage:
//   daemon_latency_bench --depthmon PATH --depthmond PATH [--seconds S] [--warmup S]
//                        [--books N] [--rate TOTAL_MSGS_PER_S]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/ids.hpp"
#include "parse_floor.hpp"

namespace {

using clk = std::chrono::steady_clock;

struct args {
  std::string depthmon, depthmond;
  double seconds = 20, warmup = 20;
  std::size_t books = 500;
  double rate = 20'000;
  bool record = false;  // --record 1: [recording] on (raw-frame recording's cost, benchmarks/README.md)
};

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "daemon_latency_bench: %s\n", why.c_str());
  std::exit(1);
}

bool parse_args(int argc, char** argv, args& a) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--depthmon") a.depthmon = v;
    else if (k == "--depthmond") a.depthmond = v;
    else if (k == "--seconds") a.seconds = std::atof(v);
    else if (k == "--warmup") a.warmup = std::atof(v);
    else if (k == "--books") a.books = static_cast<std::size_t>(std::atol(v));
    else if (k == "--rate") a.rate = std::atof(v);
    else if (k == "--record") a.record = std::string_view(v) == "1";
    else return false;
  }
  return (argc % 2) == 1 && !a.depthmon.empty() && !a.depthmond.empty() && a.books > 0 &&
         a.rate > 0 && a.seconds > 0;
}

// A free loopback port (bound, read, released: the daemon binds it right after).
unsigned free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) fail("bind");
  socklen_t len = sizeof sa;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  ::close(fd);
  return ntohs(sa.sin_port);
}

// GET over a fresh connection; status 0 when the daemon does not answer.
struct http_reply {
  int status = 0;
  std::string body;
};
http_reply http_get(unsigned port, const std::string& path) {
  http_reply r;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    ::close(fd);
    return r;
  }
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) {
    ::close(fd);
    return r;
  }
  std::string all;
  char buf[65536];
  for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;) all.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  const auto sp = all.find(' ');
  const auto hdr_end = all.find("\r\n\r\n");
  if (sp == std::string::npos || hdr_end == std::string::npos) return r;
  r.status = std::atoi(all.c_str() + sp + 1);
  r.body = all.substr(hdr_end + 4);
  return r;
}

// The scrape's samples we need, summed over every exchange.
struct scrape {
  std::map<double, double> buckets;  // le -> cumulative count
  std::map<std::string, std::map<double, double>> by_exchange;
  double count = 0, messages = 0;
  double books_live = 0, books = 0;
};
scrape parse_metrics(const std::string& text) {
  scrape s;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto sp = line.rfind(' ');
    if (sp == std::string::npos) continue;
    const double v = std::atof(line.c_str() + sp + 1);
    const std::string_view name(line.data(), line.find_first_of("{ "));
    if (name == "depthmon_processing_duration_seconds_bucket") {
      const auto le = line.find("le=\"");
      if (le == std::string::npos) continue;
      const std::string bound = line.substr(le + 4, line.find('"', le + 4) - le - 4);
      const double le_v = bound == "+Inf" ? INFINITY : std::atof(bound.c_str());
      s.buckets[le_v] += v;
      if (const auto ex = line.find("exchange=\""); ex != std::string::npos)
        s.by_exchange[line.substr(ex + 10, line.find('"', ex + 10) - ex - 10)][le_v] += v;
    } else if (name == "depthmon_processing_duration_seconds_count") {
      s.count += v;
    } else if (name == "depthmon_feed_messages_total") {
      s.messages += v;
    } else if (name == "depthmon_book_live") {
      s.books += 1;
      s.books_live += v;
    }
  }
  return s;
}

// Quantile q of the samples between two scrapes, linear inside its bucket (Prometheus'
// histogram_quantile rule). Microseconds.
double quantile_us(const std::map<double, double>& a, const std::map<double, double>& b, double q) {
  std::vector<std::pair<double, double>> cum;  // le, count in window
  for (const auto& [le, n] : b) {
    const auto it = a.find(le);
    cum.emplace_back(le, n - (it == a.end() ? 0 : it->second));
  }
  if (cum.empty() || cum.back().second <= 0) return NAN;
  const double rank = q * cum.back().second;
  double lower = 0, below = 0;
  for (const auto& [le, n] : cum) {
    if (n >= rank) {
      if (std::isinf(le)) return lower * 1e6;  // beyond the last finite bound: report that bound
      const double in_bucket = n - below;
      const double frac = in_bucket > 0 ? (rank - below) / in_bucket : 1.0;
      return (lower + (le - lower) * frac) * 1e6;
    }
    lower = le;
    below = n;
  }
  return lower * 1e6;
}

double cpu_seconds(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  const auto close = all.rfind(')');
  if (close == std::string::npos) return NAN;
  std::istringstream rest(all.substr(close + 2));
  std::vector<std::string> fields;
  for (std::string x; rest >> x;) fields.push_back(x);
  // After "pid (comm) ": state is field 3, utime 14, stime 15 (1-based in proc(5)).
  if (fields.size() < 13) return NAN;
  const double tick = static_cast<double>(::sysconf(_SC_CLK_TCK));
  return (std::atof(fields[11].c_str()) + std::atof(fields[12].c_str())) / tick;
}

pid_t spawn(const std::vector<std::string>& argv, const std::string& out_file) {
  const pid_t pid = ::fork();
  if (pid < 0) fail("fork");
  if (pid == 0) {
    std::vector<char*> av;
    for (const auto& s : argv) av.push_back(const_cast<char*>(s.c_str()));
    av.push_back(nullptr);
    FILE* o = std::fopen(out_file.c_str(), "w");
    if (o) {
      ::dup2(::fileno(o), 1);
      ::dup2(::fileno(o), 2);
    }
    ::execv(av[0], av.data());
    std::_Exit(127);
  }
  return pid;
}

void stop(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    int st;
    if (::waitpid(pid, &st, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
}

std::string slurp(const std::string& path) {
  std::ifstream f(path);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

struct floor_figures {
  double p50_us = NAN, p99_us = NAN;
  std::size_t frames = 0;
};
floor_figures measure_floor() {
  std::ifstream in(std::string(DEPTHMON_TEST_DATA) +
                   "/binance/spot_btcusdt_deepseed_depthcharge_20260824.jsonl");
  std::vector<std::string> docs;
  for (std::string l; std::getline(in, l) && docs.size() < 20'000;)
    if (l.find("depthUpdate") != std::string::npos) docs.push_back(l);
  floor_figures f;
  if (docs.empty()) return f;
  depthmon::bench::parse_floor pf(docs);
  std::vector<double> ns;
  for (int pass = 0; pass < 20; ++pass)
    for (std::size_t i = 0; i < pf.size(); ++i) {
      const auto t0 = clk::now();
      if (!pf.run_one(i)) fail("parse floor: a capture frame did not parse");
      ns.push_back(std::chrono::duration<double, std::nano>(clk::now() - t0).count());
    }
  std::sort(ns.begin(), ns.end());
  f.frames = docs.size();
  f.p50_us = ns[ns.size() / 2] / 1000;
  f.p99_us = ns[static_cast<std::size_t>(static_cast<double>(ns.size()) * 0.99)] / 1000;
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  args a;
  if (!parse_args(argc, argv, a)) {
    std::fprintf(stderr,
                 "usage: daemon_latency_bench --depthmon PATH --depthmond PATH [--seconds S] "
                 "[--warmup S] [--books N] [--rate TOTAL_MSGS_PER_S] [--record 0|1]\n");
    return 2;
  }
  char tmpl[] = "/tmp/depthmon_latency_XXXXXX";
  if (!::mkdtemp(tmpl)) fail("mkdtemp");
  const std::string dir = tmpl;
  const std::size_t venues = depthmon::core::all_venues.size();
  const std::size_t per_venue = std::max<std::size_t>(1, (a.books + venues - 1) / venues);
  const double per_book = a.rate / static_cast<double>(per_venue * venues);
  const unsigned daemon_port = free_port();
  char rate_text[32];
  std::snprintf(rate_text, sizeof rate_text, "%.3f", per_book);

  const pid_t sim = spawn({a.depthmon, "sim", "--listen", "127.0.0.1:0", "--scenario", "steady",
                           "--symbols-per-venue", std::to_string(per_venue), "--rate", rate_text,
                           "--write-config", dir + "/depthmon.toml", "--daemon-listen",
                           "127.0.0.1:" + std::to_string(daemon_port)},
                          dir + "/sim.out");
  for (int i = 0; i < 200 && slurp(dir + "/sim.out").find("\"listen\"") == std::string::npos; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  if (slurp(dir + "/sim.out").find("\"listen\"") == std::string::npos) {
    stop(sim);
    fail("depthmon sim did not become ready: " + slurp(dir + "/sim.out"));
  }
  if (a.record) {
    std::FILE* f = std::fopen((dir + "/depthmon.toml").c_str(), "a");
    if (!f) fail("cannot append [recording] to the config");
    std::fputs("\n[recording]\nenabled = true\n", f);
    std::fclose(f);
  }
  const pid_t daemon = spawn({a.depthmond, "--config", dir + "/depthmon.toml", "--state-dir", dir + "/state"},
                             dir + "/daemon.out");
  auto cleanup = [&] {
    stop(daemon);
    stop(sim);
  };

  // Warm-up: until every book is live (or the warm-up time is over), then the window.
  const auto warm_end = clk::now() + std::chrono::duration<double>(a.warmup);
  bool ready = false;
  while (clk::now() < warm_end) {
    if (http_get(daemon_port, "/-/ready").status == 200) {
      ready = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const auto m0 = http_get(daemon_port, "/metrics");
  if (m0.status != 200) {
    cleanup();
    fail("the daemon did not serve /metrics: " + slurp(dir + "/daemon.out").substr(0, 2000));
  }
  const double cpu0 = cpu_seconds(daemon);
  const auto t0 = clk::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(a.seconds));
  const auto m1 = http_get(daemon_port, "/metrics");
  const double cpu1 = cpu_seconds(daemon);
  const double wall = std::chrono::duration<double>(clk::now() - t0).count();
  cleanup();
  if (m1.status != 200) fail("the daemon stopped serving /metrics");

  const scrape s0 = parse_metrics(m0.body), s1 = parse_metrics(m1.body);
  const double samples = s1.count - s0.count;
  const floor_figures fl = measure_floor();
  std::printf("daemon_latency_bench: %zu books (%zu venues x %zu), %.0f msgs/s asked, window %.1f s%s%s\n",
              per_venue * venues, venues, per_venue, a.rate, wall,
              ready ? "" : " (not every book was live after the warm-up)", a.record ? ", recording on" : "");
  std::printf("  books live             %.0f / %.0f\n", s1.books_live, s1.books);
  std::printf("  messages/s (daemon)    %.0f\n", (s1.messages - s0.messages) / wall);
  std::printf("  publishes in window    %.0f\n", samples);
  std::printf("  processing p50         %.2f us\n", quantile_us(s0.buckets, s1.buckets, 0.50));
  std::printf("  processing p99         %.2f us\n", quantile_us(s0.buckets, s1.buckets, 0.99));
  std::printf("  processing p99.9       %.2f us\n", quantile_us(s0.buckets, s1.buckets, 0.999));
  for (const auto& [ex, b1] : s1.by_exchange) {
    const auto it = s0.by_exchange.find(ex);
    const std::map<double, double> none;
    const auto& b0 = it == s0.by_exchange.end() ? none : it->second;
    const double n = b1.empty() ? 0 : b1.rbegin()->second - (b0.empty() ? 0 : b0.rbegin()->second);
    std::printf("    %-18s %8.0f publishes  p50 %7.2f us  p99 %7.2f us\n", ex.c_str(), n,
                quantile_us(b0, b1, 0.50), quantile_us(b0, b1, 0.99));
  }
  std::printf("  daemon CPU             %.3f cores\n", (cpu1 - cpu0) / wall);
  if (a.record) {
    double dropped = 0;
    const std::string key = "\ndepthmon_recording_dropped_frames_total{";
    for (auto at = m1.body.find(key); at != std::string::npos; at = m1.body.find(key, at + 1))
      dropped += std::atof(m1.body.c_str() + m1.body.find("} ", at) + 2);
    std::printf("  recording dropped      %.0f records\n", dropped);
  }
  std::printf("  parse floor (%zu real BTCUSDT frames) p50 %.2f us, p99 %.2f us\n", fl.frames,
              fl.p50_us, fl.p99_us);
  if (samples <= 0) fail("no publish was measured in the window");
  std::string rm = "rm -rf '" + dir + "'";
  if (std::system(rm.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", dir.c_str());
  return 0;
}
