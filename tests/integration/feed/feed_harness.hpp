// tests/integration/feed/feed_harness.hpp — a feed driven against a loopback sim_server, on
// the test thread's io_context, plus the checks every feed integration test needs: a
// feed_listener that records each book's publications (to prove a book never went dark) and
// keeps a depth::band_tracker on each published book (as the daemon will), a log sink that keeps
// the lines, and an exact comparison of a client book with the simulator's truth: every level
// the client's coverage claims (at least the top 50 or the venue's whole depth) and every band
// the client reports complete (qty and notional), plus the mid.
#pragma once

#include <algorithm>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "depth/band_tracker.hpp"
#include "feed/feed.hpp"
#include "sim/truth.hpp"
#include "sim/venue_sim.hpp"
#include "support/net_servers.hpp"
#include "support/sim_server.hpp"

namespace depthmon::test {

struct recorder final : feed::feed_listener, feed::log_sink {
  struct per_book {
    std::uint64_t updates = 0;
    bool was_live = false;
    std::uint64_t dark_after_live = 0;  // publications not publishable after the first live one
    std::uint64_t went_dark = 0;        // publishable -> not publishable edges
    bool live_now = false;
    // The band tracker on the published book (re-made when the feed publishes another book).
    const book::tracked_book* tracked = nullptr;
    std::unique_ptr<depth::band_tracker> bands;
  };
  std::map<std::string, per_book> books;
  std::vector<std::string> lines;
  bool echo = false;

  void on_book_updated(const feed::feed_book& b) override {
    auto& p = books[b.symbol];
    ++p.updates;
    const bool live = b.publishable();
    if (live) p.was_live = true;
    else if (p.was_live) ++p.dark_after_live;
    if (p.live_now && !live) ++p.went_dark;
    p.live_now = live;
    if (b.book && p.tracked != b.book) {
      p.bands.reset();
      p.bands = std::make_unique<depth::band_tracker>(b.book->book, depth::default_bands());
      p.tracked = b.book;
    }
  }
  void on_book_replaced(const feed::feed_book& b, book::tracked_book& old) override {
    auto& p = books[b.symbol];
    if (p.tracked == &old) {
      p.bands.reset();
      p.tracked = nullptr;
    }
  }
  // Before the feed (and its books) goes away.
  void detach_all() {
    for (auto& [sym, p] : books) {
      p.bands.reset();
      p.tracked = nullptr;
    }
  }
  void log(feed::log_level lv, std::string_view venue, std::string_view m) override {
    lines.push_back(std::string(feed::to_string(lv)) + " " + std::string(venue) + " " + std::string(m));
    if (echo) fprintf(stderr, "%s\n", lines.back().c_str());
  }
  std::size_t lines_containing(std::string_view s) const {
    std::size_t n = 0;
    for (const auto& l : lines) n += l.find(s) != std::string::npos;
    return n;
  }
};

// The config keys the simulator's --write-config would write, with short test timings.
inline feed::venue_config config_for(const sim_server& srv, std::string ca_file = {}) {
  feed::venue_config c;
  const core::venue v = srv.options().venue;
  c.name = std::string(core::to_string(v));
  c.rest_url = srv.http_base();
  switch (v) {
    case core::venue::kraken: c.ws_url = srv.ws_base() + "/v2"; c.settings = {{"depth", "500"}}; break;
    case core::venue::kraken_v1: c.settings = {{"depth", "500"}}; c.ws_url = srv.ws_base(); break;
    case core::venue::okx: c.ws_url = srv.ws_base() + "/ws/v5/public"; break;
    default: c.ws_url = srv.ws_base(); break;
  }
  for (const auto& in : sim::default_instruments(v, srv.options().symbols, srv.options().levels_scale,
                                                 srv.options().rate))
    c.symbols.push_back(in.symbol);
  c.ca_file = std::move(ca_file);
  c.timings.tick = ms(10);
  c.timings.idle_timeout = ms(3000);
  c.timings.ping_interval = ms(500);
  c.timings.stale_after = ms(5000);
  c.timings.backoff_initial = ms(100);
  c.timings.backoff_cap = ms(1000);
  c.timings.connect_timeout = ms(2000);
  c.timings.request_timeout = ms(3000);
  c.timings.snapshot_retry = ms(200);
  c.timings.planned_overlap = ms(5000);
  if (v == core::venue::binance) c.snapshot_depth = 1000;
  return c;
}

struct feed_fixture {
  explicit feed_fixture(sim_server& s, feed::venue_config c) : srv(s) {
    std::string err;
    auto f = feed::feed::create(ioc, std::move(c), &rec, &rec,
                                std::make_shared<net::reconnect_limiter>(20, std::chrono::seconds(1)), &err);
    if (!f) throw std::runtime_error("feed::create: " + err);
    fd = std::move(f).value();
  }
  explicit feed_fixture(sim_server& s) : feed_fixture(s, config_for(s)) {}
  ~feed_fixture() {
    rec.detach_all();
    if (fd) fd->stop();
    ioc.poll();
  }

  bool run_until(const std::function<bool()>& pred, ms timeout) {
    return test::run_until(ioc, pred, timeout);
  }
  void run_for(ms d) { (void)test::run_until(ioc, [] { return false; }, d); }
  bool all_live() const {
    for (const auto& b : fd->books())
      if (!b->publishable()) return false;
    return true;
  }
  // Freezes the market, lets the client drain what was sent, compares every book (except
  // `skip`) with the truth. Empty = equal.
  std::string compare_all(const std::string& skip = {}) {
    srv.pause();
    run_for(ms(250));
    std::string err;
    for (const auto& b : fd->books())
      if (b->symbol != skip) err += compare(b->symbol);
    srv.resume();
    return err;
  }
  std::string compare(const std::string& symbol);

  sim_server& srv;
  boost::asio::io_context ioc;
  recorder rec;
  std::unique_ptr<feed::feed> fd;
};

// The client's book of `fb` against the simulator's truth, exactly: every level inside the
// client's coverage (which must reach the top 50 levels, or the whole truth or the venue's own
// depth where those are shorter), the mid, and every band the client reports complete (which
// must then be equal in qty and notional). `bands` is the tracker on fb.book (nullptr: levels
// only). Empty = equal. Call with the market paused and the client drained.
inline std::string compare_book(sim_server& srv, const feed::feed_book& fb, depth::band_tracker* bands,
                                std::size_t min_levels = 50) {
  const std::string& symbol = fb.symbol;
  if (!fb.book) return "no book for " + symbol + "\n";
  if (!fb.publishable()) return symbol + " is " + std::string(feed::to_string(fb.state.state())) + "\n";
  return srv.with_sim([&](sim::venue_sim& sim, sim_server_log&) -> std::string {
    std::ostringstream err;
    const sim::symbol_feed* f = sim.feed(symbol);
    if (!f) return "no truth for " + symbol + "\n";
    const auto& in = f->model.inst();
    const auto& book = fb.book->book;
    for (core::side s : {core::side::bid, core::side::ask}) {
      const auto truth = f->model.book().top(s, 0);
      const auto cov = book.get_coverage(s);
      std::size_t n = truth.size();
      if (cov.k == book::coverage::kind::to_nth_level) n = std::min<std::size_t>(n, cov.n);
      if (cov.k == book::coverage::kind::to_price) {
        n = 0;
        while (n < truth.size() &&
               (s == core::side::bid
                    ? core::compare_scaled(truth[n].price, in.price_scale, cov.price, book.price_scale()) >= 0
                    : core::compare_scaled(truth[n].price, in.price_scale, cov.price, book.price_scale()) <= 0))
          ++n;
      }
      const std::size_t venue_depth =
          cov.k == book::coverage::kind::to_nth_level ? cov.n : std::numeric_limits<std::size_t>::max();
      const std::size_t want = std::min({min_levels, truth.size(), venue_depth});
      if (n < want) {
        err << symbol << " " << core::to_string(s) << ": coverage holds " << n << " levels, want the top "
            << want << "\n";
        return err.str();
      }
      if (book.size(s) < n) {
        err << symbol << " " << core::to_string(s) << ": client has " << book.size(s)
            << " levels, truth " << n << " in coverage\n";
        return err.str();
      }
      for (std::size_t i = 0; i < n; ++i) {
        const book::level l = book.nth(s, i);
        if (core::compare_scaled(l.price, book.price_scale(), truth[i].price, in.price_scale) != 0 ||
            core::compare_scaled(l.qty, book.qty_scale(), truth[i].qty, in.qty_scale) != 0) {
          err << symbol << " " << core::to_string(s) << " level " << i << ": client "
              << core::to_canonical_string(l.price, book.price_scale()) << "x"
              << core::to_canonical_string(l.qty, book.qty_scale()) << " truth "
              << core::to_canonical_string(truth[i].price, in.price_scale) << "x"
              << core::to_canonical_string(truth[i].qty, in.qty_scale) << "\n";
          return err.str();
        }
      }
    }
    if (!bands) return err.str();
    const depth::depth_view c = bands->compute();
    const depth::depth_view t = sim::truth_depth(f->model.book(), in, depth::default_bands());
    if (c.has_mid != t.has_mid ||
        (c.has_mid && core::compare_scaled(c.mid2, c.price_scale, t.mid2, t.price_scale) != 0)) {
      err << symbol << ": mid differs\n";
      return err.str();
    }
    if (c.overflow || c.band_count != t.band_count) {
      err << symbol << ": band figures unusable\n";
      return err.str();
    }
    for (std::size_t b = 0; b < c.band_count; ++b)
      for (core::side s : {core::side::bid, core::side::ask}) {
        const auto& cs = c.bands[b][s];
        const auto& ts = t.bands[b][s];
        if (!cs.complete) continue;  // reported missing, never as a partial sum: fine
        if (!ts.complete ||
            core::compare_scaled(cs.qty, c.qty_scale, ts.qty, t.qty_scale) != 0 ||
            core::compare_scaled(cs.notional, c.notional_scale(), ts.notional, t.notional_scale()) != 0) {
          err << symbol << " " << core::to_string(s) << " band " << depth::default_bands()[b].pct_text()
              << "%: client " << core::to_canonical_string(cs.notional, c.notional_scale()) << " truth "
              << core::to_canonical_string(ts.notional, t.notional_scale()) << "\n";
          return err.str();
        }
      }
    return err.str();
  });
}

inline std::string feed_fixture::compare(const std::string& symbol) {
  const feed::feed_book* fb = fd->find(symbol);
  if (!fb) return "no book for " + symbol + "\n";
  auto it = rec.books.find(symbol);
  depth::band_tracker* bt = it != rec.books.end() && it->second.tracked == fb->book ? it->second.bands.get() : nullptr;
  return compare_book(srv, *fb, bt);
}

}  // namespace depthmon::test
