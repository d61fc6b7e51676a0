// tests/integration/feed/matrix_rig.hpp — the fault matrix's rig: every venue's simulator and
// feed side by side in one test process, so one scenario runs for all ten venues at once.
//
// Each venue gets its own sim_server (own thread, own port) and its own feed; every feed runs on
// the rig's one io_context on the test thread. A scenario injects its fault into every venue the
// fault applies to, then awaits per-venue conditions with run_until(), which samples the
// invariant "no book reports live while it differs from the truth" while it waits: every market
// is paused, the clients drain what was sent, and every live book must equal the truth. A live
// book that does not (yet) is given the next message of its symbol (a loss shows only on the
// next message on every venue) and must then equal the truth or have left live.
//
// Threads: the test thread runs the io_context and owns the feeds; the simulators run on their
// own threads (reached through with_sim()). Test support only: exceptions allowed.
#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "feed_harness.hpp"
#include "venues/protocol.hpp"

namespace depthmon::test {

// What the venue's protocol can and cannot see of each fault: the applicability the matrix
// states per venue (the reasons are printed by the scenarios that skip a venue).
struct venue_traits {
  bool rest_snapshot = false;   // books start from a REST snapshot (REST faults apply)
  bool checksum = false;        // bad_checksum applies
  bool gap_per_symbol = false;  // a lost update is detected on its symbol alone
  const char* gap_note = "";    // why not, where not
  bool notice = false;          // the venue announces a planned close on the open connection
};

inline venue_traits traits_of(core::venue v) {
  using core::venue;
  venue_traits t;
  t.rest_snapshot = venues::uses_rest_snapshot(v);
  t.checksum = v == venue::kraken || v == venue::kraken_v1;
  switch (v) {
    case venue::binance:
    case venue::binance_usdm:
    case venue::okx:
    case venue::bybit:
    case venue::kraken:
    case venue::kraken_v1: t.gap_per_symbol = true; break;
    case venue::coinbase:
      t.gap_note = "sequence_num counts every message of the connection: a loss cannot be told to "
                   "belong to one product, so every book of the connection resyncs";
      break;
    case venue::hyperliquid:
      t.gap_note = "every l2Book message is a full snapshot without a sequence: a lost one is not "
                   "detectable and the next one replaces the whole book";
      break;
    case venue::coinbase_exchange:
      t.gap_note = "level2_batch carries no sequence number and no checksum: a lost l2update "
                   "cannot be detected by any client";
      break;
    case venue::bitstamp:
      t.gap_note = "diff_order_book carries only a microtimestamp, no sequence number or checksum: "
                   "a lost diff cannot be detected by any client";
      break;
  }
  t.notice = v == venue::binance || v == venue::binance_usdm || v == venue::okx || v == venue::bitstamp;
  return t;
}

// The timings every matrix feed runs with: watchdogs and back-off a few hundred milliseconds,
// so a whole fault cycle takes a second or two.
inline void matrix_timings(feed::venue_config& c) {
  c.timings.tick = ms(10);
  c.timings.idle_timeout = ms(1200);
  c.timings.ping_interval = ms(300);
  c.timings.stale_after = ms(2500);
  c.timings.backoff_initial = ms(50);
  c.timings.backoff_cap = ms(400);
  c.timings.connect_timeout = ms(1000);
  c.timings.request_timeout = ms(2000);
  c.timings.snapshot_retry = ms(200);
  c.timings.planned_overlap = ms(3000);
}

struct venue_rig {
  venue_rig(core::venue venue, sim_server_options so,
            const std::function<void(feed::venue_config&)>& adjust)
      : v(venue), srv(std::make_unique<sim_server>(std::move(so))) {
    cfg = config_for(*srv);
    matrix_timings(cfg);
    if (adjust) adjust(cfg);
  }
  std::string name() const { return std::string(core::to_string(v)); }
  core::status inject(sim::fault f) {
    return srv->with_sim([&](sim::venue_sim& s, sim_server_log&) { return s.inject(std::move(f)); });
  }
  bool all_live() const {
    for (const auto& b : fd->books())
      if (!b->publishable()) return false;
    return true;
  }
  depth::band_tracker* bands_of(const feed::feed_book& fb) {
    auto it = rec.books.find(fb.symbol);
    return it != rec.books.end() && it->second.tracked == fb.book ? it->second.bands.get() : nullptr;
  }
  const feed::feed_book& book(std::size_t i) const { return *fd->books().at(i); }

  core::venue v;
  // False while the rig is in a state the invariant cannot hold in (a half-open connection is
  // indistinguishable from a quiet market until the idle watchdog fires): not sampled.
  bool sampled = true;
  std::unique_ptr<sim_server> srv;
  feed::venue_config cfg;
  recorder rec;
  std::unique_ptr<feed::feed> fd;
};

inline sim::fault make_fault(sim::fault_kind k, std::optional<std::string> symbol = std::nullopt,
                             double duration_s = 0.0) {
  sim::fault f;
  f.kind = k;
  f.symbol = std::move(symbol);
  f.duration_s = duration_s;
  return f;
}

struct matrix_options {
  std::size_t symbols = 3;
  double levels_scale = 0.3;
  double rate = 20.0;
  ms lifetime{120'000};
  std::function<void(feed::venue_config&)> adjust;  // per-feed config changes
  std::function<void(sim_server_options&)> adjust_sim;  // per-simulator options
};

class matrix {
 public:
  explicit matrix(const std::vector<core::venue>& vs, matrix_options o = {}) {
    limiter_ = std::make_shared<net::reconnect_limiter>(200, std::chrono::seconds(1));
    for (core::venue v : vs) {
      sim_server_options so;
      so.venue = v;
      so.symbols = o.symbols;
      so.levels_scale = o.levels_scale;
      so.rate = o.rate;
      so.lifetime = o.lifetime;
      if (o.adjust_sim) o.adjust_sim(so);
      auto r = std::make_unique<venue_rig>(v, std::move(so), o.adjust);
      std::string err;
      auto f = feed::feed::create(ioc, r->cfg, &r->rec, &r->rec, limiter_, &err);
      if (!f) throw std::runtime_error(r->name() + ": feed::create: " + err);
      r->fd = std::move(f).value();
      r->rec.echo = std::getenv("DEPTHMON_FEED_ECHO") != nullptr;  // debugging: log to stderr
      rigs.push_back(std::move(r));
    }
  }
  ~matrix() {
    for (auto& r : rigs) {
      r->rec.detach_all();
      r->fd->stop();
    }
    ioc.poll();
  }

  void start() {
    for (auto& r : rigs) r->fd->start();
  }
  // start(), every book live, then a few hundred ms of steady market: where every fault begins.
  bool start_live() {
    start();
    if (!run_until([&] { return all_live(); }, ms(10'000))) return false;
    run_for(ms(300));
    return true;
  }

  // Runs until `pred` holds, sampling the live-equals-truth invariant every `every`.
  bool run_until(const std::function<bool()>& pred, ms timeout, ms every = ms(400)) {
    const auto end = steady::now() + timeout;
    auto next_sample = steady::now() + every;
    for (;;) {
      if (pred()) return true;
      if (steady::now() >= end) return false;
      (void)test::run_until(ioc, pred, std::min<ms>(every, std::chrono::duration_cast<ms>(end - steady::now())));
      if (steady::now() >= next_sample) {
        sample();
        next_sample = steady::now() + every;
      }
    }
  }
  void run_for(ms d, ms every = ms(400)) { (void)run_until([] { return false; }, d, every); }
  bool all_live() const {
    for (const auto& r : rigs)
      if (!r->all_live()) return false;
    return true;
  }

  // One sample of the invariant (see the banner); violations are kept in `violations`.
  void sample() {
    ++samples;
    for (auto& r : rigs) r->srv->pause();
    auto differing = [&] {
      std::vector<std::pair<venue_rig*, const feed::feed_book*>> out;
      for (auto& r : rigs)
        for (const auto& b : r->fd->books())
          if (r->sampled && b->publishable() && !compare_book(*r->srv, *b, r->bands_of(*b)).empty())
            out.emplace_back(r.get(), b.get());
      return out;
    };
    (void)drain_until([&] { return differing().empty(); });
    auto suspects = differing();
    if (!suspects.empty()) {
      for (auto& [r, b] : suspects)
        r->srv->with_sim([&](sim::venue_sim& s, sim_server_log&) { return s.step(b->symbol); });
      (void)drain_until([&] { return differing().empty(); });
      for (auto& [r, b] : suspects) {
        const std::string d = compare_book(*r->srv, *b, r->bands_of(*b));
        if (b->publishable() && !d.empty()) violations.push_back(r->name() + " live but " + d);
      }
    }
    for (auto& r : rigs) r->srv->resume();
  }

  // Every book of every rig (or of `only`) live and equal to the truth, market paused.
  std::string compare_all(const venue_rig* only = nullptr) {
    for (auto& r : rigs) r->srv->pause();
    auto diff = [&] {
      std::string err;
      for (auto& r : rigs) {
        if (only && r.get() != only) continue;
        for (const auto& b : r->fd->books()) {
          const std::string d = compare_book(*r->srv, *b, r->bands_of(*b));
          if (!d.empty()) err += r->name() + ": " + d;
        }
      }
      return err;
    };
    (void)drain_until([&] { return diff().empty(); });
    std::string err = diff();
    for (auto& r : rigs) r->srv->resume();
    return err;
  }

  venue_rig& rig(core::venue v) {
    for (auto& r : rigs)
      if (r->v == v) return *r;
    throw std::runtime_error("no rig");
  }

  boost::asio::io_context ioc;
  std::vector<std::unique_ptr<venue_rig>> rigs;
  std::vector<std::string> violations;
  std::size_t samples = 0;

 private:
  // The market is paused: what was sent arrives within milliseconds on loopback. The bound is
  // kept well under the watchdog times, so a wrong live book cannot be excused by a watchdog
  // that happens to fire while the sample waits.
  bool drain_until(const std::function<bool()>& pred) {
    const auto end = steady::now() + ms(250);
    ioc.restart();
    ioc.run_for(ms(20));
    while (!pred()) {
      if (steady::now() >= end) return false;
      ioc.run_for(ms(20));
    }
    return true;
  }
  std::shared_ptr<net::reconnect_limiter> limiter_;
};

inline std::string violations_text(const matrix& m) {
  std::string s;
  for (const auto& v : m.violations) s += v;
  return s;
}

// What a fault on one symbol (the first) must do on a venue.
struct symbol_fault_expect {
  bool victim_leaves_live = true;  // the victim goes non-live (false: undetectable or harmless)
  bool others_untouched = true;    // every other book stays live, no transition at all
  bool same_connection = true;     // no connection lost or opened
  // The loss may be healed before it is seen: the venue sends absolute level quantities and is
  // checked only by a checksum of the top levels (Kraken), so when the next update rewrites every
  // level the lost one changed, the book is equal again and the checksum rightly passes. The
  // victim then stays live (and the sampler proves it equal).
  bool may_heal = false;
};

// Injects `k` on the first symbol of every rig, awaits each venue's outcome (sampling the
// invariant meanwhile) and checks: the victim left live when it must and came back, the other
// books and the connection were untouched where they must be, every book equals the truth.
inline void check_symbol_fault(matrix& m, sim::fault_kind k,
                               const std::function<symbol_fault_expect(core::venue)>& expect) {
  REQUIRE(m.start_live());
  struct mark {
    std::uint64_t victim_transitions = 0;
    std::vector<std::uint64_t> others;  // transitions of the other books
    std::uint64_t opened = 0;
  };
  std::vector<mark> before;
  for (auto& r : m.rigs) {
    mark mk;
    mk.victim_transitions = r->book(0).state.transitions();
    for (std::size_t i = 1; i < r->fd->books().size(); ++i) mk.others.push_back(r->book(i).state.transitions());
    mk.opened = r->fd->stats().connections_opened;
    before.push_back(mk);
    INFO(r->name());
    REQUIRE(r->inject(make_fault(k, r->book(0).symbol)));
  }
  // Every victim that must leave live has, and every book is live again.
  auto done = [&] {
    for (std::size_t i = 0; i < m.rigs.size(); ++i) {
      auto& r = *m.rigs[i];
      const bool left = r.book(0).state.transitions() >= before[i].victim_transitions + 2;
      if (expect(r.v).victim_leaves_live && !expect(r.v).may_heal && !left) return false;
      const bool consumed = r.srv->with_sim([&](sim::venue_sim& s, sim_server_log&) {
        return !s.faults().pending(k, r.book(0).symbol, s.now());
      });
      if (!consumed || !r.all_live()) return false;
    }
    return true;
  };
  const bool ok = m.run_until(done, ms(10'000));
  for (std::size_t i = 0; i < m.rigs.size(); ++i) {
    auto& r = *m.rigs[i];
    const auto e = expect(r.v);
    INFO(r.name() << " " << sim::to_string(k));
    CHECK(r.all_live());
    const bool left = r.book(0).state.transitions() >= before[i].victim_transitions + 2;
    if (e.victim_leaves_live && e.may_heal) CHECK((left || r.book(0).state.transitions() == before[i].victim_transitions));
    else if (e.victim_leaves_live) CHECK(left);
    else CHECK(r.book(0).state.transitions() == before[i].victim_transitions);
    if (e.others_untouched)
      for (std::size_t j = 1; j < r.fd->books().size(); ++j) {
        INFO(r.book(j).symbol);
        CHECK(r.book(j).state.transitions() == before[i].others[j - 1]);
      }
    if (e.same_connection) {
      CHECK(r.fd->stats().connections_opened == before[i].opened);
      CHECK(r.fd->stats().disconnects == 0);
    }
  }
  REQUIRE(ok);
  m.run_for(ms(800));
  CHECK(m.compare_all() == "");
  CHECK(violations_text(m) == "");
}

// A venue_sim without sockets: what the simulator itself accepts for `v`.
inline bool sim_accepts(core::venue v, sim::fault_kind k) {
  sim::venue_sim s(v, sim::default_instruments(v, 1, 0.1, 1.0));
  return bool(s.inject(make_fault(k)));
}

}  // namespace depthmon::test
