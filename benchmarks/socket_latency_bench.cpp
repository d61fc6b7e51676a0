// Frame-in to book-updated latency through the real socket path: lib/sim's server (its own
// thread and io_context) sends Binance spot diff-depth frames over loopback websocket; the
// client is lib/feed exactly as `depthmon watch` and the daemon run it (net::ws_connection ->
// binance codec -> sync -> book -> feed_listener::on_book_updated).
//
// Each depthUpdate frame is stamped (steady_clock) by sim::server::on_send right before it is
// handed to the server's socket, keyed by (symbol, final update id `u`). Two phases run in the
// same process, one after the other, on the same simulator:
//   floor: a bare net::ws_connection subscribed to the same streams; latency = receive time of
//          the frame (rx_time, taken right after the read) - send stamp. This is the loopback
//          socket + TLS-free websocket cost that no decoder can beat.
//   feed:  a lib/feed feed; latency = on_book_updated time of the book whose last_update_id is
//          that `u` - send stamp, so it includes the floor plus decode, sync, apply and notify.
// Reported per phase: samples, p50 / p99 / p99.9 / max in microseconds, and feed - floor at
// p50. Both sides share one steady_clock, so no clock offset enters.
//
// Not a Google Benchmark: the figure is a latency distribution under a given message rate, not
// a throughput loop. CTest runs a short smoke (--seconds 0.5). Usage:
//   socket_latency_bench [--seconds S] [--symbols N] [--rate STEPS_PER_S_PER_SYMBOL]
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include "feed/feed.hpp"
#include "net/ws_client.hpp"
#include "sim/server.hpp"

using namespace depthmon;
using steady = std::chrono::steady_clock;

namespace {

struct args {
  double seconds = 5.0;
  std::size_t symbols = 3;
  double rate = 200.0;
};

bool parse_args(int argc, char** argv, args& a) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view k = argv[i];
    if (i + 1 >= argc) return false;
    const char* v = argv[++i];
    if (k == "--seconds") a.seconds = std::atof(v);
    else if (k == "--symbols") a.symbols = static_cast<std::size_t>(std::atol(v));
    else if (k == "--rate") a.rate = std::atof(v);
    else return false;
  }
  return a.seconds > 0 && a.symbols > 0 && a.rate > 0;
}

// The value of a JSON field `"key":` as text (number or string contents), from a frame the
// simulator wrote (no escapes in these fields).
std::string_view field(std::string_view frame, std::string_view key) {
  std::string pat = "\"" + std::string(key) + "\":";
  const auto at = frame.find(pat);
  if (at == std::string_view::npos) return {};
  std::size_t b = at + pat.size();
  if (b < frame.size() && frame[b] == '"') ++b;
  std::size_t e = b;
  while (e < frame.size() && frame[e] != '"' && frame[e] != ',' && frame[e] != '}') ++e;
  return frame.substr(b, e - b);
}

std::uint64_t to_u64(std::string_view s) {
  std::uint64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// Send stamps by (symbol, u), written on the server thread, consumed on the client thread.
class stamps {
 public:
  void sent(std::string_view frame) {
    if (frame.find("\"depthUpdate\"") == std::string_view::npos) return;
    const auto now = steady::now();
    const std::string key = std::string(field(frame, "s")) + "#" + std::string(field(frame, "u"));
    std::lock_guard lock(mu_);
    if (recording_) at_.emplace(key, now);
  }
  // The send time of (symbol, u), once: a second lookup of the same key finds nothing.
  bool take(const std::string& symbol, std::uint64_t u, steady::time_point& out) {
    const std::string key = symbol + "#" + std::to_string(u);
    std::lock_guard lock(mu_);
    auto it = at_.find(key);
    if (it == at_.end()) return false;
    out = it->second;
    at_.erase(it);
    return true;
  }
  void record(bool on) {
    std::lock_guard lock(mu_);
    recording_ = on;
    if (!on) at_.clear();
  }

 private:
  std::mutex mu_;
  bool recording_ = false;
  std::unordered_map<std::string, steady::time_point> at_;
};

struct summary {
  std::size_t n = 0;
  double p50 = 0, p99 = 0, p999 = 0, max = 0;  // microseconds
};

summary summarise(std::vector<double> us) {
  summary s;
  s.n = us.size();
  if (us.empty()) return s;
  std::sort(us.begin(), us.end());
  auto q = [&](double p) { return us[std::min(us.size() - 1, static_cast<std::size_t>(p * static_cast<double>(us.size())))]; };
  s.p50 = q(0.50);
  s.p99 = q(0.99);
  s.p999 = q(0.999);
  s.max = us.back();
  return s;
}

void print(const char* phase, const summary& s) {
  std::printf("%-6s samples=%zu p50=%.1fus p99=%.1fus p99.9=%.1fus max=%.1fus\n", phase, s.n, s.p50,
              s.p99, s.p999, s.max);
}

double us_between(steady::time_point a, steady::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

// Runs `ioc` until `done()` or `limit` passes.
template <class Done>
bool run_until(boost::asio::io_context& ioc, Done done, std::chrono::milliseconds limit) {
  const auto end = steady::now() + limit;
  while (!done() && steady::now() < end) {
    ioc.run_for(std::chrono::milliseconds(5));
    if (ioc.stopped()) ioc.restart();
  }
  return done();
}

struct quiet_log final : feed::log_sink {
  void log(feed::log_level lv, std::string_view venue, std::string_view m) override {
    if (lv >= feed::log_level::warn)
      std::fprintf(stderr, "%s %.*s %.*s\n", std::string(feed::to_string(lv)).c_str(),
                   static_cast<int>(venue.size()), venue.data(), static_cast<int>(m.size()), m.data());
  }
};

struct feed_probe final : feed::feed_listener {
  stamps* st = nullptr;
  bool sampling = false;
  std::vector<double> us;
  void on_book_updated(const feed::feed_book& b) override {
    const auto now = steady::now();
    if (!sampling || !b.publishable() || !b.book->last_update_id) return;
    steady::time_point sent;
    if (st->take(b.symbol, *b.book->last_update_id, sent)) us.push_back(us_between(sent, now));
  }
};

}  // namespace

int main(int argc, char** argv) {
  args a;
  if (!parse_args(argc, argv, a)) {
    std::fprintf(stderr, "usage: socket_latency_bench [--seconds S] [--symbols N] [--rate STEPS_PER_S]\n");
    return 2;
  }
  const auto phase_time = std::chrono::milliseconds(static_cast<long>(a.seconds * 1000));

  // The simulator on its own thread.
  boost::asio::io_context srv_ioc;
  sim::server_options so;
  so.venues = {core::venue::binance};
  so.symbols_per_venue = a.symbols;
  so.levels_scale = 0.3;
  so.rate = a.rate;
  so.sim.seed = 11;
  so.on_error = [](std::string_view m) { std::fprintf(stderr, "sim: %.*s\n", static_cast<int>(m.size()), m.data()); };
  sim::server srv(srv_ioc, so);
  stamps st;
  srv.on_send([&](core::venue, std::string_view frame) { st.sent(frame); });
  std::string err;
  if (!srv.start(&err)) {
    std::fprintf(stderr, "sim server: %s\n", err.c_str());
    return 1;
  }
  auto guard = boost::asio::make_work_guard(srv_ioc);
  std::thread srv_thread([&] { srv_ioc.run(); });
  const std::vector<std::string> symbols = srv.symbols(core::venue::binance);

  boost::asio::io_context ioc;
  int rc = 0;

  // Phase 1, floor: a bare websocket client on the same streams.
  {
    std::string url = srv.ws_url(core::venue::binance) + "/stream?streams=";
    for (std::size_t i = 0; i < symbols.size(); ++i) {
      std::string s = symbols[i];
      for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      url += (i ? "/" : "") + s + "@depth@100ms";
    }
    net::ws_options wo;
    wo.url = url;
    std::vector<double> us;
    bool open = false, sampling = false;
    net::ws_callbacks cb;
    cb.on_open = [&] { open = true; };
    cb.on_message = [&](core::padded_view frame, bool, net::rx_time rx) {
      if (!sampling) return;
      const std::string_view f(frame.data(), frame.size());
      steady::time_point sent;
      if (st.take(std::string(field(f, "s")), to_u64(field(f, "u")), sent)) us.push_back(us_between(sent, rx.steady));
    };
    auto ws = net::ws_connection::create(ioc, wo, cb);
    ws->start();
    if (!run_until(ioc, [&] { return open; }, std::chrono::milliseconds(5000))) {
      std::fprintf(stderr, "floor: websocket did not open\n");
      rc = 1;
    } else {
      run_until(ioc, [] { return false; }, std::chrono::milliseconds(300));  // settle
      st.record(true);
      sampling = true;
      run_until(ioc, [] { return false; }, phase_time);
      sampling = false;
      st.record(false);
    }
    ws->abort();
    run_until(ioc, [] { return false; }, std::chrono::milliseconds(50));
    const summary s = summarise(std::move(us));
    print("floor", s);
    if (s.n == 0) rc = 1;

    // Phase 2, the feed.
    feed::venue_config c;
    c.name = "binance";
    c.symbols = symbols;
    c.ws_url = srv.ws_url(core::venue::binance);
    c.rest_url = srv.rest_url(core::venue::binance);
    c.snapshot_depth = 1000;
    c.timings.tick = std::chrono::milliseconds(10);
    quiet_log log;
    feed_probe probe;
    probe.st = &st;
    std::string ferr;
    auto fd = feed::feed::create(ioc, c, &probe, &log, nullptr, &ferr);
    if (!fd) {
      std::fprintf(stderr, "feed: %s\n", ferr.c_str());
      rc = 1;
    } else {
      auto& f = *fd.value();
      f.start();
      auto all_live = [&] {
        return std::all_of(f.books().begin(), f.books().end(), [](const auto& b) { return b->publishable(); });
      };
      if (!run_until(ioc, all_live, std::chrono::milliseconds(10'000))) {
        std::fprintf(stderr, "feed: books did not go live\n");
        rc = 1;
      } else {
        run_until(ioc, [] { return false; }, std::chrono::milliseconds(300));
        st.record(true);
        probe.sampling = true;
        run_until(ioc, [] { return false; }, phase_time);
        probe.sampling = false;
        st.record(false);
      }
      f.stop();
      run_until(ioc, [] { return false; }, std::chrono::milliseconds(50));
      const summary fs = summarise(std::move(probe.us));
      print("feed", fs);
      if (fs.n == 0) rc = 1;
      if (fs.n && s.n) std::printf("feed-floor p50=%.1fus\n", fs.p50 - s.p50);
    }
  }

  boost::asio::post(srv_ioc, [&] { srv.stop(); });
  guard.reset();
  srv_thread.join();
  std::printf("symbols=%zu rate=%.0f steps/s/symbol seconds=%.1f\n", a.symbols, a.rate, a.seconds);
  return rc;
}
