// tests/unit/sim/client_harness.hpp — the CLIENT side of the simulator tests, in one place so
// it is easy to adapt when lib/venues changes (venue_spec, book_status::crossed ...).
//
// A client_harness plays the part the feed will play: it connects to a sim::venue_sim, sends
// the client protocol's subscribe messages, feeds every frame the session emits through
// venues::make_protocol(venue, options), carries out the protocol's requests (REST snapshots
// from the simulator's REST endpoint, resubscribe, reconnect, send) and measures each book with
// a depth::band_tracker. compare() checks a client book against the simulator's truth: every
// level of the part the client's coverage says it knows, and every band the client reports
// complete.
#pragma once

#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/frame.hpp"
#include "depth/band_tracker.hpp"
#include "sim/truth.hpp"
#include "sim/venue_sim.hpp"
#include "venues/protocol.hpp"

namespace depthmon::test {

class client_harness final : private venues::protocol_listener {
 public:
  client_harness(sim::venue_sim& s, venues::protocol_options opt, std::string target = "/")
      : sim_(s), opt_(std::move(opt)), target_(std::move(target)) {
    auto p = venues::make_protocol(s.venue(), opt_);
    if (!p) throw std::runtime_error(std::string("make_protocol: ") + p.err().detail);
    proto_ = std::move(p).value();
    proto_->set_listener(this);
    // Books of configured symbols exist before a listener can be set.
    for (auto* tb : proto_->books()) on_book_created(*tb);
  }

  venues::venue_protocol& protocol() { return *proto_; }
  sim::session* connection() { return conn_; }
  std::uint64_t frames() const { return frames_; }
  std::uint64_t frames_rejected() const { return rejected_; }
  std::uint64_t reconnects() const { return reconnects_; }
  std::uint64_t rest_refusals() const { return rest_refusals_; }
  std::uint64_t live_while_crossed() const { return live_while_crossed_; }
  bool stalled() const { return stalled_; }
  const std::vector<sim::action::kind>& closes() const { return closes_; }

  void connect() {
    conn_ = sim_.connect(target_);
    if (!conn_) return;
    stalled_ = false;
    // REST venues: as Binance's procedure says, buffer the stream first and fetch the
    // snapshot once an event of the symbol has arrived.
    if (venues::uses_rest_snapshot(sim_.venue()))
      for (const auto& f : sim_.feeds()) awaiting_snapshot_[f->symbol()] = f->model.steps();
    for (const auto& m : proto_->subscribe_messages()) conn_->on_client_text(m);
    pump();
  }

  // The feed's watchdog gave up on the connection (stall): replace it.
  void reconnect() {
    if (conn_) sim_.disconnect(conn_);
    conn_ = nullptr;
    proto_->on_disconnect();
    ++reconnects_;
    connect();
  }

  // Runs `n` simulator steps, delivering everything after each.
  void run(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      sim_.step_next();
      pump();
    }
  }

  void pump() {
    for (int round = 0; round < 100; ++round) {
      if (!conn_) {
        if (sim_.accepting()) connect();
        if (!conn_) return;
      }
      auto actions = conn_->take_actions();
      bool dropped = false;
      for (auto& a : actions) {
        if (dropped) break;
        switch (a.what) {
          case sim::action::kind::send: deliver(a.text); break;
          case sim::action::kind::stall: stalled_ = true; break;
          case sim::action::kind::close:
          case sim::action::kind::abort:
            closes_.push_back(a.what);
            sim_.disconnect(conn_);
            conn_ = nullptr;
            proto_->on_disconnect();
            ++reconnects_;
            dropped = true;
            break;
        }
      }
      const bool did = serve_requests();
      if (actions.empty() && !did && conn_) return;
    }
  }

  // Empty when the client's book of `symbol` equals the truth over its covered part.
  std::string compare(const std::string& symbol) {
    std::ostringstream err;
    const sim::symbol_feed* f = sim_.feed(symbol);
    book::tracked_book* tb = proto_->find_book(symbol);
    if (!f || !tb) return "no book for " + symbol;
    if (!tb->live()) return symbol + " is " + std::string(book::to_string(tb->status));
    const auto& in = f->model.inst();
    const auto& book = tb->book;
    for (core::side s : {core::side::bid, core::side::ask}) {
      const auto truth = f->model.book().top(s, 0);
      const auto cov = book.get_coverage(s);
      std::size_t n = truth.size();
      if (cov.k == book::coverage::kind::to_nth_level) n = std::min<std::size_t>(n, cov.n);
      if (cov.k == book::coverage::kind::to_price) {
        n = 0;
        const auto cp = cov.price;  // client ticks
        while (n < truth.size() &&
               (s == core::side::bid
                    ? core::compare_scaled(truth[n].price, in.price_scale, cp, book.price_scale()) >= 0
                    : core::compare_scaled(truth[n].price, in.price_scale, cp, book.price_scale()) <= 0))
          ++n;
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
    // Bands: every band the client reports complete equals the truth's.
    const depth::depth_view cv = trackers_.at(tb)->compute();
    const depth::depth_view tv = sim::truth_depth(f->model.book(), in, bands_);
    if (!cv.has_mid || !tv.has_mid) return symbol + ": no mid";
    for (std::size_t b = 0; b < bands_.size(); ++b)
      for (core::side s : {core::side::bid, core::side::ask}) {
        const auto& c = cv.bands[b][s];
        const auto& t = tv.bands[b][s];
        const bool full = book.get_coverage(s).k == book::coverage::kind::full;
        if (full && c.complete != t.complete) err << symbol << " band " << b << " completeness\n";
        if (!c.complete) continue;
        if (core::compare_scaled(c.qty, cv.qty_scale, t.qty, tv.qty_scale) != 0 ||
            core::compare_scaled(c.notional, cv.notional_scale(), t.notional, tv.notional_scale()) != 0)
          err << symbol << " band " << bands_[b].pct_text() << " " << core::to_string(s)
              << ": client " << core::to_canonical_string(c.notional, cv.notional_scale()) << " truth "
              << core::to_canonical_string(t.notional, tv.notional_scale()) << "\n";
      }
    return err.str();
  }

  // How many bands of `symbol` the client reports complete on both sides (a comparison that
  // checked nothing would be no test).
  std::size_t complete_bands(const std::string& symbol) {
    book::tracked_book* tb = proto_->find_book(symbol);
    if (!tb) return 0;
    const depth::depth_view cv = trackers_.at(tb)->compute();
    std::size_t n = 0;
    for (std::size_t b = 0; b < cv.band_count; ++b)
      if (cv.bands[b][core::side::bid].complete && cv.bands[b][core::side::ask].complete) ++n;
    return n;
  }

  book::tracked_book* book_of(const std::string& symbol) { return proto_->find_book(symbol); }

 private:
  void on_book_created(book::tracked_book& tb) override {
    trackers_[&tb] = std::make_unique<depth::band_tracker>(tb.book, bands_);
  }
  void on_book_updated(book::tracked_book& tb) override {
    if (tb.live() && (tb.book.crossed() || tb.book.locked())) ++live_while_crossed_;
  }

  void deliver(const std::string& text) {
    ++frames_;
    if (!proto_->on_frame(buf_.assign(text), sim_.wall(sim_.now()))) ++rejected_;
  }

  std::string rest_target(const std::string& symbol) const {
    switch (sim_.venue()) {
      case core::venue::binance:
        return "/api/v3/depth?symbol=" + symbol + "&limit=" + std::to_string(opt_.snapshot_limit);
      case core::venue::binance_usdm:
        return "/fapi/v1/depth?symbol=" + symbol + "&limit=" + std::to_string(opt_.snapshot_limit);
      case core::venue::bitstamp: return "/api/v2/order_book/" + symbol;
      default: return "/";
    }
  }

  // Carries out the protocol's requests; a refused REST snapshot stays queued. True if any
  // request was carried out.
  bool serve_requests() {
    for (auto it = awaiting_snapshot_.begin(); it != awaiting_snapshot_.end();) {
      if (sim_.feed(it->first)->model.steps() > it->second) {
        proto_->requests().push_back({venues::request::kind::fetch_snapshot, it->first, core::errc::ok, {}});
        it = awaiting_snapshot_.erase(it);
      } else {
        ++it;
      }
    }
    auto reqs = std::move(proto_->requests());
    proto_->requests().clear();
    bool did = false;
    for (auto& r : reqs) {
      switch (r.what) {
        case venues::request::kind::fetch_snapshot: {
          const auto resp = sim_.rest(rest_target(r.symbol));
          if (resp.status != 200) {
            ++rest_refusals_;
            deferred_.push_back(r);
            break;
          }
          did = true;
          (void)proto_->on_snapshot(r.symbol, buf_.assign(resp.body), sim_.wall(sim_.now()));
          break;
        }
        case venues::request::kind::resubscribe: {
          did = true;
          if (!conn_) break;
          for (const auto& m : proto_->unsubscribe_messages(r.symbol)) conn_->on_client_text(m);
          if (!r.payload.empty()) {
            conn_->on_client_text(r.payload);
          } else {
            venues::protocol_options one = opt_;
            one.symbols = {r.symbol};
            auto p = venues::make_protocol(sim_.venue(), one);
            for (const auto& m : p.value()->subscribe_messages()) conn_->on_client_text(m);
          }
          break;
        }
        case venues::request::kind::reconnect:
          did = true;
          if (conn_) sim_.disconnect(conn_);
          conn_ = nullptr;
          proto_->on_disconnect();
          ++reconnects_;
          break;
        case venues::request::kind::send:
          did = true;
          if (conn_) conn_->on_client_text(r.payload);
          break;
      }
    }
    // Refused snapshots are retried once the refusal window is over.
    if (!deferred_.empty() && !sim_.faults().rest_refusal(sim_.now())) {
      for (auto& r : deferred_) proto_->requests().push_back(r);
      deferred_.clear();
      did = true;
    }
    return did;
  }

  sim::venue_sim& sim_;
  venues::protocol_options opt_;
  std::string target_;
  std::unique_ptr<venues::venue_protocol> proto_;
  sim::session* conn_ = nullptr;
  core::padded_buffer buf_;
  depth::band_set bands_ = depth::default_bands();
  std::map<const book::tracked_book*, std::unique_ptr<depth::band_tracker>> trackers_;
  std::vector<venues::request> deferred_;
  std::map<std::string, std::uint64_t> awaiting_snapshot_;
  std::vector<sim::action::kind> closes_;
  std::uint64_t frames_ = 0, rejected_ = 0, reconnects_ = 0, rest_refusals_ = 0;
  std::uint64_t live_while_crossed_ = 0;
  bool stalled_ = false;
};

}  // namespace depthmon::test
