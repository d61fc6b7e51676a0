#include "watch.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "depth/band_tracker.hpp"
#include "feed/feed.hpp"

namespace depthmon::cli {
namespace {

constexpr const char* k_usage =
    "usage: depthmon watch --config FILE [--duration SECONDS]\n"
    "  connects to every [[venue]] of FILE and prints each book's state, mid and +-2 % bid/ask\n"
    "  notional (quote currency) once a second; stops on SIGINT/SIGTERM or after --duration.\n";

struct stderr_sink final : feed::log_sink {
  void log(feed::log_level lv, std::string_view venue, std::string_view m) override {
    std::fprintf(stderr, "%s %.*s: %.*s\n", std::string(feed::to_string(lv)).c_str(),
                 static_cast<int>(venue.size()), venue.data(), static_cast<int>(m.size()), m.data());
  }
};

// One ±2 % band tracker per published book, moved over when a planned reconnect replaces it.
struct band_watch final : feed::feed_listener {
  depth::band_set bands = depth::parse_bands("2").value();
  std::map<const book::tracked_book*, std::unique_ptr<depth::band_tracker>> trackers;

  depth::band_tracker& tracker(book::tracked_book& tb) {
    auto& t = trackers[&tb];
    if (!t) t = std::make_unique<depth::band_tracker>(tb.book, bands);
    return *t;
  }
  void on_book_updated(const feed::feed_book& b) override {
    if (b.book) (void)tracker(*b.book);
  }
  void on_book_replaced(const feed::feed_book&, book::tracked_book& old) override {
    trackers.erase(&old);  // detaches from the old book before it is destroyed
  }
};

std::string line_for(const feed::feed& f, const feed::feed_book& b, band_watch& w) {
  std::string out = std::string(core::to_string(f.venue())) + " " + b.symbol + " " +
                    std::string(feed::to_string(b.state.state()));
  if (!b.publishable() || !b.book) return out + " mid=- bid2%=- ask2%=-";
  const depth::depth_view v = w.tracker(*b.book).compute();
  if (!v.has_mid || v.overflow) return out + " mid=- bid2%=- ask2%=-";
  out += " mid=" + core::to_canonical_string(v.mid_mantissa(), v.mid_scale());
  for (core::side s : {core::side::bid, core::side::ask}) {
    const auto& bs = v.bands[0][s];
    out += s == core::side::bid ? " bid2%=" : " ask2%=";
    out += bs.complete ? core::to_canonical_string(bs.notional, v.notional_scale()) : "incomplete";
  }
  return out;
}

}  // namespace

int run_watch(int argc, char** argv) {
  std::string config;
  double duration = 0;
  for (int i = 0; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(k_usage, stdout);
      return 0;
    }
    if ((a == "--config" || a == "--duration") && i + 1 >= argc) {
      std::fprintf(stderr, "depthmon: %s needs a value\n", argv[i]);
      return 2;
    }
    if (a == "--config") {
      config = argv[++i];
    } else if (a == "--duration") {
      const std::string_view v = argv[++i];
      const auto r = std::from_chars(v.data(), v.data() + v.size(), duration);
      if (r.ec != std::errc() || r.ptr != v.data() + v.size() || duration <= 0) {
        std::fprintf(stderr, "depthmon: --duration expects positive seconds, got '%s'\n", argv[i]);
        return 2;
      }
    } else {
      std::fprintf(stderr, "depthmon: unknown watch option '%s'\n%s", argv[i], k_usage);
      return 2;
    }
  }
  if (config.empty()) {
    std::fprintf(stderr, "depthmon: watch needs --config FILE\n%s", k_usage);
    return 2;
  }
  // The daemon's own loader: what depthmond would refuse, watch refuses too (every error).
  config::daemon_config wc;
  std::vector<config::config_error> errors;
  if (!config::load_config(config, wc, errors)) {
    for (const auto& e : errors) std::fprintf(stderr, "depthmon: %s\n", e.to_string().c_str());
    return 2;
  }
  std::string err;

  boost::asio::io_context ioc;
  stderr_sink sink;
  band_watch listener;
  // Every feed's new connections together: no reconnect storm whatever the venues do.
  auto limiter = std::make_shared<net::reconnect_limiter>(5, std::chrono::seconds(1));
  std::vector<std::unique_ptr<feed::feed>> feeds;
  for (auto& vc : wc.venues) {
    auto f = feed::feed::create(ioc, vc, &listener, &sink, limiter, &err);
    if (!f) {
      std::fprintf(stderr, "depthmon: %s: %s\n", config.c_str(), err.c_str());
      return 2;
    }
    feeds.push_back(std::move(f).value());
  }
  for (auto& f : feeds) f->start();

  auto stop_all = [&] {
    for (auto& f : feeds) f->stop();
    ioc.stop();
  };
  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) stop_all();
  });
  boost::asio::steady_timer end(ioc);
  if (duration > 0) {
    end.expires_after(std::chrono::milliseconds(static_cast<std::int64_t>(duration * 1000)));
    end.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) stop_all();
    });
  }
  boost::asio::steady_timer tick(ioc);
  std::function<void()> print = [&] {
    tick.expires_after(std::chrono::seconds(1));
    tick.async_wait([&](const boost::system::error_code& ec) {
      if (ec) return;
      for (const auto& f : feeds)
        for (const auto& b : f->books()) std::printf("%s\n", line_for(*f, *b, listener).c_str());
      std::fflush(stdout);
      print();
    });
  };
  print();
  ioc.run();
  listener.trackers.clear();  // before the feeds (and their books) go
  return 0;
}

}  // namespace depthmon::cli
