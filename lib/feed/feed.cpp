#include "feed/feed.hpp"
#include "feed/rest_budget.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <random>
#include <set>
#include <span>

#include "net/backoff.hpp"
#include "net/http_client.hpp"
#include "net/tls.hpp"
#include "net/ws_client.hpp"
#include "venues/protocol.hpp"
#include "venues/registry.hpp"
#include "venues/spec.hpp"

namespace depthmon::feed {
namespace {
using steady = std::chrono::steady_clock;
using core::errc;

core::unix_nanos wall_now() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool planned_close_code(std::uint16_t code) noexcept {
  return code == 1001 || code == 1012;  // going away, service restart (maintenance)
}
}  // namespace

ms default_stale_after(core::venue v) noexcept {
  switch (v) {
    // Diff streams push only on change: a quiet altcoin book may be silent for a while.
    case core::venue::binance:
    case core::venue::binance_usdm:
    case core::venue::bitstamp: return ms(60'000);
    default: return ms(30'000);
  }
}

struct link;

struct shard {
  std::size_t index = 0;
  std::vector<std::string> symbols;
  std::shared_ptr<link> active;  // carries the books now
  std::shared_ptr<link> next;    // make-before-break replacement being brought up
  net::backoff backoff;
  bool reconnect_due = false;    // active has no connection: open one at reconnect_at
  steady::time_point reconnect_at{};
  bool planned_due = false;      // a planned replacement is wanted at planned_at
  steady::time_point planned_at{};
  steady::time_point next_deadline{};  // close the old link by then
};

struct link final : venues::protocol_listener {
  feed::impl* f = nullptr;
  shard* sh = nullptr;
  std::uint64_t id = 0;  // per connection (REST answers are matched to it)
  std::uint64_t tap_stream = 0;  // frame_tap's id for this protocol instance
  std::unique_ptr<venues::venue_protocol> proto;
  std::shared_ptr<net::ws_connection> conn;
  std::uint64_t conn_gen = 0;
  bool open = false;
  bool retiring = false;
  steady::time_point opened_at{};
  std::deque<std::string> outbox;  // paced client frames
  std::unique_ptr<net::reconnect_limiter> pacer;
  std::vector<venues::request> deferred;  // requests whose not_before has not come
  // REST venues: symbol -> messages counter at connect; the first snapshot is asked once a
  // diff has been buffered.
  std::map<std::string, std::uint64_t> initial_snapshot;

  void on_book_created(book::tracked_book&) override {}
  void on_book_updated(book::tracked_book& tb) override;
};

struct fetch_job {
  std::weak_ptr<link> l;
  std::string symbol;
  core::unix_nanos not_before = 0;  // receive-time (wall) clock
  steady::time_point earliest{};
};

struct feed::impl : std::enable_shared_from_this<feed::impl> {
  impl(boost::asio::io_context& io, venue_config c) : ioc(io), cfg(std::move(c)), tick_timer(io) {}

  boost::asio::io_context& ioc;
  venue_config cfg;
  core::venue venue = core::venue::binance;
  feed_listener* listener = nullptr;
  log_sink* log = nullptr;
  frame_tap* tap = nullptr;
  std::shared_ptr<net::reconnect_limiter> global_limiter;
  std::unique_ptr<net::reconnect_limiter> venue_limiter;
  std::unique_ptr<venues::venue_spec> spec;
  venues::venue_limits limits;
  venues::protocol_options popt;
  std::shared_ptr<net::tls_context> tls;
  std::unique_ptr<net::http_client> http;
  std::unique_ptr<rest_budget> budget;
  bool rest_snapshots = false;
  std::uint32_t depth = 0;
  std::uint32_t snapshot_weight = 0;

  std::vector<std::unique_ptr<feed_book>> books;
  std::map<std::string, feed_book*, std::less<>> by_symbol;
  // Which link's book each symbol publishes.
  std::map<const feed_book*, link*> owner;
  std::vector<std::unique_ptr<shard>> shards;
  std::vector<std::shared_ptr<link>> retired;  // closing after a planned switch
  std::deque<fetch_job> fetches;
  std::set<std::pair<std::uint64_t, std::string>> fetch_pending;  // (link id, symbol)
  std::size_t fetches_in_flight = 0;
  std::map<std::string, steady::time_point> stale_resubscribed;
  feed_stats st;
  boost::asio::steady_timer tick_timer;
  std::mt19937_64 rng{std::random_device{}()};
  std::uint64_t next_link_id = 1;
  bool running = false;
  std::size_t metadata_outstanding = 0;
  bool metadata_failure_logged = false;
  ms stale_after{0}, idle_timeout{0}, max_age{0};

  // ---- logging ------------------------------------------------------------------------------
  void say(log_level lv, const std::string& m) {
    if (log) log->log(lv, cfg.name, m);
  }

  // ---- setup --------------------------------------------------------------------------------
  // Empty on success, else what is wrong.
  std::string init() {
    const venues::venue_entry* e = venues::find_venue(cfg.name);
    if (!e) return "unknown venue '" + cfg.name + "'";
    venue = e->id;
    if (cfg.symbols.empty()) return cfg.name + ": no symbols";
    popt.symbols = cfg.symbols;
    popt.settings = cfg.settings;
    popt.ws_url = cfg.ws_url;
    popt.rest_url = cfg.rest_url;
    auto s = venues::make_spec(venue, popt);
    if (!s) return cfg.name + ": " + s.err().detail;
    spec = std::move(s).value();
    limits = spec->limits();
    rest_snapshots = venues::uses_rest_snapshot(venue) &&
                     spec->snapshot_request(cfg.symbols.front(), 0).has_value();
    // The config may lower (or raise) the venue's documented per-minute budget.
    const std::uint32_t weight_limit =
        cfg.rest_weight_per_minute ? cfg.rest_weight_per_minute : limits.rest_weight_per_minute;
    budget = std::make_unique<rest_budget>(weight_limit);
    if (rest_snapshots) choose_depth(weight_limit);
    popt.snapshot_limit = depth;
    // Validate the protocol options once (settings), before any connection.
    if (auto p = venues::make_protocol(venue, popt); !p) return cfg.name + ": " + p.err().detail;
    boost::system::error_code ec;
    std::string msg;
    tls = net::tls_context::create(cfg.ca_file, ec, &msg);
    if (!tls) return cfg.name + ": TLS setup: " + msg;
    net::http_options ho;
    ho.tls = tls;
    ho.connect_timeout = cfg.timings.connect_timeout;
    ho.tls_timeout = cfg.timings.connect_timeout;
    ho.request_timeout = cfg.timings.request_timeout;
    http = std::make_unique<net::http_client>(ioc, ho);
    if (limits.connections.known())
      venue_limiter = std::make_unique<net::reconnect_limiter>(
          limits.connections.count, std::chrono::seconds(limits.connections.per_seconds));
    const auto ka = spec->keepalive();
    stale_after = cfg.timings.stale_after.count() ? cfg.timings.stale_after : default_stale_after(venue);
    idle_timeout = cfg.timings.idle_timeout.count() ? cfg.timings.idle_timeout
                   : ka.idle_timeout_ms                 ? ms(ka.idle_timeout_ms)
                                                        : ms(60'000);
    max_age = cfg.timings.max_connection_age;
    if (max_age.count() == 0 && (venue == core::venue::binance || venue == core::venue::binance_usdm))
      max_age = ms(std::chrono::minutes(23 * 60 + 30));
    for (const auto& sym : cfg.symbols) {
      if (by_symbol.count(sym)) continue;
      auto fb = std::make_unique<feed_book>();
      fb->symbol = sym;
      by_symbol.emplace(sym, fb.get());
      books.push_back(std::move(fb));
    }
    std::vector<std::string> uniq;
    for (const auto& b : books) uniq.push_back(b->symbol);
    add_shards(uniq);
    return {};
  }

  // Shards for `syms`: books per connection within the venue's stream limit. Returns the
  // index of the first new shard.
  std::size_t add_shards(const std::vector<std::string>& syms) {
    const std::size_t first = shards.size();
    std::size_t per = limits.symbols_per_connection();
    if (per == 0) per = std::max<std::size_t>(1, syms.size());
    for (std::size_t i = 0; i < syms.size(); i += per) {
      auto sh = std::make_unique<shard>();
      sh->index = next_shard_index++;
      sh->backoff = net::backoff(cfg.timings.backoff_initial, cfg.timings.backoff_cap);
      sh->symbols.assign(syms.begin() + static_cast<std::ptrdiff_t>(i),
                         syms.begin() + static_cast<std::ptrdiff_t>(std::min(syms.size(), i + per)));
      shards.push_back(std::move(sh));
    }
    return first;
  }
  std::size_t next_shard_index = 0;

  // ---- reconfiguration ----------------------------------------------------------------------
  core::status add_symbols(const std::vector<std::string>& want, std::string* error) {
    std::vector<std::string> fresh;
    for (const auto& s : want)
      if (!by_symbol.count(s) && std::find(fresh.begin(), fresh.end(), s) == fresh.end()) fresh.push_back(s);
    if (fresh.empty()) return {};
    venues::protocol_options o = popt;
    o.symbols = fresh;
    if (auto p = venues::make_protocol(venue, o); !p) {
      if (error) *error = cfg.name + ": " + p.err().detail;
      return core::error{errc::invalid_argument, "venue settings"};
    }
    for (const auto& sym : fresh) {
      auto fb = std::make_unique<feed_book>();
      fb->symbol = sym;
      by_symbol.emplace(sym, fb.get());
      books.push_back(std::move(fb));
      cfg.symbols.push_back(sym);
    }
    const std::size_t first = add_shards(fresh);
    if (!running) return {};
    // Discovery first where the venue asks for it (as at start), then the new shards connect.
    std::vector<std::pair<std::string, std::string>> meta;
    for (const auto& sym : fresh)
      if (auto r = spec->metadata_request(sym)) meta.emplace_back(sym, spec->rest_url(*r));
    std::vector<shard*> added;
    for (std::size_t i = first; i < shards.size(); ++i) added.push_back(shards[i].get());
    if (meta.empty()) {
      start_added(added);
      return {};
    }
    auto outstanding = std::make_shared<std::size_t>(meta.size());
    std::weak_ptr<impl> w = weak_from_this();
    for (auto& [sym, url] : meta) {
      ++st.metadata_requests;
      http->get(net::get_request(url), [w, sym = sym, outstanding, added](net::http_response&& r) {
        auto self = w.lock();
        if (!self) return;
        self->on_metadata(sym, r);
        if (--*outstanding == 0 && self->running) self->start_added(added);
      });
    }
    return {};
  }

  // Connects shards made by add_symbols (those still present: a remove may have come first).
  void start_added(const std::vector<shard*>& added) {
    for (shard* p : added) {
      auto it = std::find_if(shards.begin(), shards.end(), [p](const auto& s) { return s.get() == p; });
      if (it == shards.end() || (*it)->active) continue;
      start_shard(**it);
    }
    try_connect_all();
  }

  void start_shard(shard& sh) {
    sh.active = make_link(sh);
    for (const auto& sym : sh.symbols) bind(*sh.active, sym);
    sh.reconnect_due = true;
    sh.reconnect_at = steady::now();
  }

  core::status remove_symbol(std::string_view sym) {
    feed_book* fb = find_fb(sym);
    if (!fb) return core::error{errc::unknown_symbol, "not configured"};
    if (books.size() == 1) return core::error{errc::invalid_argument, "last symbol of the feed"};
    const std::string name(sym);
    if (listener) listener->on_book_removed(*fb);
    auto shit = std::find_if(shards.begin(), shards.end(), [&](const auto& s) {
      return std::find(s->symbols.begin(), s->symbols.end(), name) != s->symbols.end();
    });
    if (shit != shards.end()) {
      shard& sh = **shit;
      sh.symbols.erase(std::remove(sh.symbols.begin(), sh.symbols.end(), name), sh.symbols.end());
      if (sh.symbols.empty()) {
        drop_shard(sh);
        shards.erase(shit);
      } else {
        for (link* l : {sh.active.get(), sh.next.get()}) {
          if (!l) continue;
          l->initial_snapshot.erase(name);
          std::erase_if(l->deferred, [&](const venues::request& r) { return r.symbol == name; });
          if (l->conn && l->open) {
            for (auto& m : spec->unsubscribe_one(name)) l->outbox.push_back(std::move(m));
            flush_outbox(*l, steady::now());
          }
        }
      }
    }
    for (auto it = fetch_pending.begin(); it != fetch_pending.end();)
      it = it->second == name ? fetch_pending.erase(it) : std::next(it);
    std::erase_if(fetches, [&](const fetch_job& j) { return j.symbol == name; });
    owner.erase(fb);
    last_update.erase(fb);
    stale_resubscribed.erase(name);
    by_symbol.erase(by_symbol.find(sym));
    std::erase(cfg.symbols, name);
    std::erase_if(books, [fb](const std::unique_ptr<feed_book>& b) { return b.get() == fb; });
    return {};
  }

  // A shard with no symbols left: its connections are closed without any callback reaching
  // the feed (the generation bump voids them), links retiring for it too.
  void drop_shard(shard& sh) {
    for (auto* l : {sh.active.get(), sh.next.get()}) {
      if (!l) continue;
      ++l->conn_gen;
      void_fetches(*l);
      if (l->conn) l->conn->abort();
    }
    for (auto& l : retired)
      if (l->sh == &sh) {
        ++l->conn_gen;
        if (l->conn) l->conn->abort();
      }
    std::erase_if(retired, [&](const std::shared_ptr<link>& l) { return l->sh == &sh; });
  }

  // Depth by need: the deepest snapshot (<= 5000) whose weight lets every book take its first
  // snapshot within half of one minute's budget; the configured depth when given.
  void choose_depth(std::uint32_t weight_limit) {
    if (cfg.snapshot_depth != 0) {
      depth = std::min<std::uint32_t>(cfg.snapshot_depth, 5000);
    } else {
      depth = 0;
      const auto n = static_cast<std::uint64_t>(std::max<std::size_t>(1, cfg.symbols.size()));
      for (const auto& w : limits.snapshot_weight) {
        if (w.max_depth > 5000) break;
        if (depth == 0 || weight_limit == 0 || n * w.weight <= weight_limit / 2) depth = w.max_depth;
      }
      if (depth == 0) depth = 1000;
    }
    snapshot_weight = limits.snapshot_weight_for(depth);
  }

  // ---- lifecycle ----------------------------------------------------------------------------
  void start() {
    if (running) return;
    running = true;
    arm_tick();
    std::vector<std::pair<std::string, std::string>> meta;  // symbol, url
    for (const auto& b : books)
      if (auto r = spec->metadata_request(b->symbol)) meta.emplace_back(b->symbol, spec->rest_url(*r));
    if (meta.empty()) {
      start_shards();
      return;
    }
    metadata_outstanding = meta.size();
    std::weak_ptr<impl> w = weak_from_this();
    for (auto& [sym, url] : meta) {
      ++st.metadata_requests;
      http->get(net::get_request(url), [w, sym = sym](net::http_response&& r) {
        if (auto self = w.lock()) self->on_metadata(sym, r);
      });
    }
  }

  void on_metadata(const std::string& sym, const net::http_response& r) {
    if (!r.ok() || r.status / 100 != 2) {
      ++st.metadata_failures;
      if (!metadata_failure_logged) {
        metadata_failure_logged = true;
        say(log_level::warn, "instrument metadata did not answer (" + sym + ": " +
                                 (r.ok() ? "HTTP " + std::to_string(r.status)
                                         : std::string(r.phase) + " " + r.ec.message()) +
                                 "); running on settings");
      }
    } else if (auto s = spec->apply_metadata(sym, r.body().text(), popt.settings); !s) {
      ++st.metadata_failures;  // protocols (built from popt) run on settings for this symbol
      say(log_level::warn, "instrument metadata not applied (" + sym + ": " + s.err().detail + ")");
    }
    if (metadata_outstanding > 0 && --metadata_outstanding == 0 && running) start_shards();
  }

  void start_shards() {
    for (auto& sh : shards)
      if (!sh->active) start_shard(*sh);
    try_connect_all();
  }

  void stop() {
    running = false;
    tick_timer.cancel();
    for (auto& sh : shards) {
      for (auto* l : {sh->active.get(), sh->next.get()})
        if (l && l->conn) l->conn->abort();
      sh->reconnect_due = sh->planned_due = false;
    }
    for (auto& l : retired)
      if (l->conn) l->conn->abort();
    retired.clear();
    fetches.clear();
    fetch_pending.clear();
  }

  void arm_tick() {
    tick_timer.expires_after(cfg.timings.tick);
    std::weak_ptr<impl> w = weak_from_this();
    tick_timer.async_wait([w](boost::system::error_code ec) {
      if (ec) return;
      if (auto self = w.lock()) {
        if (!self->running) return;
        self->tick();
        self->arm_tick();
      }
    });
  }

  // ---- links --------------------------------------------------------------------------------
  std::shared_ptr<link> make_link(shard& sh) {
    auto l = std::make_shared<link>();
    l->f = this;
    l->sh = &sh;
    l->id = next_link_id++;
    venues::protocol_options o = popt;
    o.symbols = sh.symbols;
    auto p = venues::make_protocol(venue, o);  // validated in init(): cannot fail here
    l->proto = std::move(p).value();
    l->proto->set_listener(l.get());
    if (tap) l->tap_stream = tap->on_stream(o.symbols, o.settings, wall_now());
    if (limits.client_messages.known()) {
      // One slot of headroom for keep-alives and pongs that do not pass the pacer.
      const std::uint32_t n = limits.client_messages.count > 2 ? limits.client_messages.count - 1
                                                               : limits.client_messages.count;
      l->pacer = std::make_unique<net::reconnect_limiter>(
          n, std::chrono::seconds(limits.client_messages.per_seconds));
    }
    return l;
  }

  void bind(link& l, const std::string& sym) {
    feed_book* fb = by_symbol.at(sym);
    owner[fb] = &l;
    fb->book = l.proto->find_book(sym);
  }

  link* owner_of(const feed_book* fb) const {
    auto it = owner.find(fb);
    return it == owner.end() ? nullptr : it->second;
  }

  void try_connect_all() {
    const auto now = steady::now();
    for (auto& sh : shards) {
      if (sh->reconnect_due && now >= sh->reconnect_at) {
        if (auto wait = admit(now); wait > steady::duration::zero()) {
          sh->reconnect_at = now + wait;
        } else {
          sh->reconnect_due = false;
          connect(*sh->active);
        }
      }
      if (sh->planned_due && now >= sh->planned_at && !sh->next && sh->active && sh->active->open) {
        if (auto wait = admit(now); wait > steady::duration::zero()) {
          sh->planned_at = now + wait;
        } else {
          sh->planned_due = false;
          sh->next = make_link(*sh);
          sh->next_deadline = now + cfg.timings.planned_overlap;
          say(log_level::info, "shard " + std::to_string(sh->index) +
                                   ": planned reconnect, opening the replacement first");
          connect(*sh->next);
        }
      }
    }
  }

  // The shard's connection plan with a request line servers accept: a venue that lists its
  // streams in the URL (Binance combined streams) gets as many symbols there as fit in
  // k_max_url and the rest by subscribe frames on the open connection (paced like any other).
  // Without this, a shard of a few hundred symbols asks for a ~20 KB URL, which servers refuse
  // at the handshake, and the feed retried it forever.
  static constexpr std::size_t k_max_url = 4096;
  venues::connection_plan connection_plan_for(const std::vector<std::string>& symbols) const {
    venues::connection_plan plan = spec->connect(symbols);
    if (plan.url.size() <= k_max_url || symbols.size() < 2) return plan;
    std::size_t lo = 1, hi = symbols.size() - 1;  // the most symbols whose URL fits
    while (lo < hi) {
      const std::size_t mid = (lo + hi + 1) / 2;
      if (spec->connect(std::span(symbols).first(mid)).url.size() <= k_max_url) lo = mid;
      else hi = mid - 1;
    }
    plan = spec->connect(std::span(symbols).first(lo));
    for (auto& f : spec->subscribe(std::span(symbols).subspan(lo))) plan.frames.push_back(std::move(f));
    return plan;
  }

  // Both connection limiters agree, or how long to wait.
  steady::duration admit(steady::time_point now) {
    if (venue_limiter) {
      // Ask the venue limiter first without recording in the global one.
      if (auto w = venue_limiter->acquire(now); w > steady::duration::zero()) return w;
    }
    if (global_limiter) {
      if (auto w = global_limiter->acquire(now); w > steady::duration::zero()) return w;
    }
    return steady::duration::zero();
  }

  void connect(link& l) {
    ++st.connect_attempts;
    const auto plan = connection_plan_for(l.sh->symbols);
    const auto ka = spec->keepalive();
    net::ws_options o;
    o.url = plan.url;
    o.tls = tls;
    o.connect_timeout = cfg.timings.connect_timeout;
    o.tls_timeout = cfg.timings.connect_timeout;
    o.handshake_timeout = cfg.timings.connect_timeout;
    o.idle_timeout = idle_timeout;
    o.ping_interval = cfg.timings.ping_interval.count() ? cfg.timings.ping_interval : idle_timeout / 3;
    o.keepalive_payload = ka.payload;
    o.keepalive_interval = ms(ka.payload.empty() ? 0 : ka.interval_ms);
    o.keepalive_when_receive_idle = ka.after_receive_idle;
    const std::uint64_t gen = ++l.conn_gen;
    // A fresh id per connection: a snapshot asked on the previous one is ignored on arrival.
    void_fetches(l);
    l.id = next_link_id++;
    std::weak_ptr<link> w = shared_link(l);
    net::ws_callbacks cb;
    cb.on_open = [w, gen] {
      if (auto s = w.lock(); s && s->conn_gen == gen) s->f->on_open(*s);
    };
    cb.on_message = [w, gen](core::padded_view frame, bool, net::rx_time rx) {
      if (auto s = w.lock(); s && s->conn_gen == gen) s->f->on_message(*s, frame, rx);
    };
    cb.on_closed = [w, gen](const net::ws_closed& c) {
      if (auto s = w.lock(); s && s->conn_gen == gen) s->f->on_closed(*s, c);
    };
    l.conn = net::ws_connection::create(ioc, std::move(o), std::move(cb));
    l.open = false;
    l.outbox.assign(plan.frames.begin(), plan.frames.end());
    l.deferred.clear();
    l.initial_snapshot.clear();
    if (rest_snapshots)
      for (const auto& s : l.sh->symbols)
        if (auto* tb = l.proto->find_book(s)) l.initial_snapshot[s] = tb->counters.messages;
    l.conn->start();
    flush_outbox(l, steady::now());
  }

  std::shared_ptr<link> shared_link(link& l) {
    shard& sh = *l.sh;
    if (sh.active.get() == &l) return sh.active;
    if (sh.next.get() == &l) return sh.next;
    for (auto& r : retired)
      if (r.get() == &l) return r;
    return {};
  }

  void on_open(link& l) {
    l.open = true;
    l.opened_at = steady::now();
    ++st.connections_opened;
    say(log_level::info, "shard " + std::to_string(l.sh->index) + ": connected (" +
                             std::to_string(l.sh->symbols.size()) + " books)");
  }

  void on_message(link& l, core::padded_view frame, const net::rx_time& rx) {
    ++st.frames;
    last_frame_wall = rx.wall;
    if (tap) tap->on_frame(l.tap_stream, frame.text(), rx.wall);
    if (!l.proto->on_frame(frame, rx.wall)) ++st.frames_rejected;
    drain(l);
  }

  void on_closed(link& l, const net::ws_closed& c) {
    l.open = false;
    auto self = shared_link(l);  // keep alive through this call
    if (l.retiring) {
      retired.erase(std::remove(retired.begin(), retired.end(), self), retired.end());
      return;
    }
    shard& sh = *l.sh;
    const bool idle = c.phase == std::string_view("idle_timeout");
    std::string why = std::string(c.phase) + ": " + c.ec.message();
    if (c.close_code) why += " (close " + std::to_string(c.close_code) + " " + c.close_reason + ")";
    if (c.http_status) why += " (HTTP " + std::to_string(c.http_status) + ")";
    if (&l == sh.next.get()) {
      say(log_level::warn, "shard " + std::to_string(sh.index) + ": replacement connection failed: " + why);
      sh.next.reset();
      sh.planned_due = true;
      sh.planned_at = steady::now() + sh.backoff.next(unit_random());
      return;
    }
    if (!running) return;
    ++st.disconnects;
    if (idle) ++st.idle_replaced;
    say(idle ? log_level::warn : log_level::info,
        "shard " + std::to_string(sh.index) + (idle ? ": no data (half-open?), replacing: " : ": connection lost: ") + why);
    if (sh.next) {
      // Planned replacement under way: it takes over every book now.
      promote_next(sh, true);
      return;
    }
    // The books leave live for `disconnected` first: the protocol's own reset below publishes
    // them as syncing too, which would otherwise be counted (and logged) as a resync.
    for (const auto& sym : sh.symbols) {
      feed_book* fb = by_symbol.at(sym);
      if (owner_of(fb) == &l && fb->state.move(book_state::syncing, transition_reason::disconnected))
        transition_logged(*fb, transition_reason::disconnected, {});
    }
    if (tap) tap->on_disconnect(l.tap_stream, wall_now());
    l.proto->on_disconnect();
    void_fetches(l);
    for (const auto& sym : sh.symbols)
      if (feed_book* fb = by_symbol.at(sym); owner_of(fb) == &l) publish(*fb);
    sh.reconnect_due = true;
    const bool planned = planned_close_code(c.close_code) && c.was_open;
    sh.reconnect_at = steady::now() + (planned ? ms(0) : sh.backoff.next(unit_random()));
  }

  double unit_random() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }

  void void_fetches(link& l) {
    for (auto it = fetch_pending.begin(); it != fetch_pending.end();)
      it = it->first == l.id ? fetch_pending.erase(it) : std::next(it);
  }

  // The replacement carries every book now; the old link is closed (or already gone).
  void promote_next(shard& sh, bool old_gone) {
    std::shared_ptr<link> old = sh.active;
    link& nl = *sh.next;
    for (const auto& sym : sh.symbols) {
      feed_book* fb = by_symbol.at(sym);
      if (owner_of(fb) == &nl) continue;
      book::tracked_book* prev = fb->book;
      bind(nl, sym);
      if (listener && prev) listener->on_book_replaced(*fb, *prev);
      const bool live = fb->book && fb->book->live();
      if (!live && fb->state.move(book_state::syncing, transition_reason::disconnected))
        transition_logged(*fb, transition_reason::disconnected, {});
      publish(*fb);
    }
    sh.active = sh.next;
    sh.next.reset();
    sh.backoff.reset();
    void_fetches(*old);
    if (!old_gone && old->conn) {
      old->retiring = true;
      retired.push_back(old);
      old->conn->close(1000, "replaced");
    }
    ++st.planned_reconnects;
    say(log_level::info, "shard " + std::to_string(sh.index) + ": switched to the replacement connection");
  }

  // ---- book updates -------------------------------------------------------------------------
  void on_book(link& l, book::tracked_book& tb) {
    auto it = by_symbol.find(tb.symbol);
    if (it == by_symbol.end()) return;
    feed_book& fb = *it->second;
    link* own = owner_of(&fb);
    shard& sh = *l.sh;
    if (own != &l) {
      // A replacement's book went live: move the symbol over without a dark moment.
      if (&l == sh.next.get() && tb.live()) {
        book::tracked_book* prev = fb.book;
        bind(l, fb.symbol);
        if (listener && prev) listener->on_book_replaced(fb, *prev);
        const auto why = fb.state.state() == book_state::live ? transition_reason::switched
                                                               : transition_reason::synced;
        fb.state.move(book_state::live, why);
        transition_logged(fb, why, "on the replacement connection");
        fb_update_time(fb);
        publish(fb);
        bool all = true;
        for (const auto& s : sh.symbols) all = all && owner_of(by_symbol.at(s)) == &l;
        if (all) promote_next(sh, false);
      }
      return;
    }
    fb_update_time(fb);
    switch (tb.status) {
      case book::book_status::live: {
        const auto why = fb.state.state() == book_state::stale ? transition_reason::resumed
                                                                : transition_reason::synced;
        if (fb.state.move(book_state::live, why)) {
          transition_logged(fb, why, {});
          sh.backoff.reset();
        }
        break;
      }
      case book::book_status::invalid:
        if (fb.state.move(book_state::invalid, transition_reason::failed))
          transition_logged(fb, transition_reason::failed,
                            std::string(book::label(book::resync_reason_of(tb.last_error.code))) +
                                (*tb.last_error.detail ? ": " + std::string(tb.last_error.detail) : std::string()));
        break;
      case book::book_status::crossed:
        if (fb.state.move(book_state::invalid, transition_reason::crossed))
          transition_logged(fb, transition_reason::crossed, {});
        break;
      case book::book_status::syncing:
        if (fb.state.state() != book_state::syncing &&
            fb.state.move(book_state::syncing, transition_reason::resync))
          transition_logged(fb, transition_reason::resync, {});
        break;
    }
    publish(fb);
  }

  core::unix_nanos last_frame_wall = 0;  // feed::last_frame_time()

  void fb_update_time(feed_book& fb) { last_update[&fb] = steady::now(); }
  std::map<const feed_book*, steady::time_point> last_update;

  void publish(const feed_book& fb) {
    if (listener) listener->on_book_updated(fb);
  }

  void transition_logged(const feed_book& fb, transition_reason why, const std::string& detail) {
    say(why == transition_reason::failed || why == transition_reason::stale ? log_level::warn
                                                                            : log_level::info,
        fb.symbol + ": " + std::string(to_string(fb.state.state())) + " (" +
            std::string(label(why)) + (detail.empty() ? "" : ": " + detail) + ")");
  }

  // ---- requests -----------------------------------------------------------------------------
  void drain(link& l) {
    if (l.proto->requests().empty()) return;
    std::vector<venues::request> reqs;
    reqs.swap(l.proto->requests());
    for (auto& r : reqs) handle(l, std::move(r));
  }

  void handle(link& l, venues::request r) {
    using k = venues::request::kind;
    // A removed symbol's book may still ask for a recovery until its unsubscribe lands.
    if ((r.what == k::fetch_snapshot || r.what == k::resubscribe) && !find_fb(r.symbol)) return;
    switch (r.what) {
      case k::send:
        if (l.conn) l.conn->send(std::move(r.payload));
        return;
      case k::fetch_snapshot:
        enqueue_fetch(l, r.symbol, r.not_before);
        return;
      case k::resubscribe:
        if (r.not_before > wall_now()) {
          l.deferred.push_back(std::move(r));
          return;
        }
        resubscribe(l, r.symbol, r.payload);
        return;
      case k::reconnect:
        if (r.reason == errc::ok) {
          // A notice: replace the connection before the venue cuts it.
          shard& sh = *l.sh;
          if (&l == sh.active.get() && !sh.next && !sh.planned_due) {
            sh.planned_due = true;
            sh.planned_at = steady::now();
            try_connect_all();
          }
        } else if (l.conn && &l == l.sh->active.get()) {
          say(log_level::warn, "shard " + std::to_string(l.sh->index) + ": venue asked to reconnect (" +
                                   std::string(core::to_string(r.reason)) + ")");
          l.conn->close(1000, "reconnect");
        }
        return;
    }
  }

  void resubscribe(link& l, const std::string& sym, const std::string& payload) {
    ++st.resubscribes;
    if (auto* fb = find_fb(sym); fb && owner_of(fb) == &l) {
      ++fb->resubscribes;
      if (fb->state.state() == book_state::invalid &&
          fb->state.move(book_state::syncing, transition_reason::resync)) {
        transition_logged(*fb, transition_reason::resync, {});
        publish(*fb);
      }
    }
    for (auto& m : spec->unsubscribe_one(sym)) l.outbox.push_back(std::move(m));
    if (!payload.empty()) {
      l.outbox.push_back(payload);
    } else {
      for (auto& m : spec->subscribe_one(sym)) l.outbox.push_back(std::move(m));
    }
    flush_outbox(l, steady::now());
  }

  feed_book* find_fb(std::string_view sym) const {
    auto it = by_symbol.find(sym);
    return it == by_symbol.end() ? nullptr : it->second;
  }

  void flush_outbox(link& l, steady::time_point now) {
    if (!l.conn) return;
    while (!l.outbox.empty()) {
      if (l.pacer && l.pacer->acquire(now) > steady::duration::zero()) return;
      l.conn->send(std::move(l.outbox.front()));
      l.outbox.pop_front();
      ++st.client_frames;
    }
  }

  // ---- REST snapshots -----------------------------------------------------------------------
  void enqueue_fetch(link& l, const std::string& sym, core::unix_nanos not_before,
                     steady::time_point earliest = {}) {
    if (!fetch_pending.emplace(l.id, sym).second) return;  // already queued or in flight
    fetches.push_back({shared_link(l), sym, not_before, earliest});
    if (auto* fb = find_fb(sym); fb && owner_of(fb) == &l) {
      if (fb->state.state() == book_state::invalid &&
          fb->state.move(book_state::syncing, transition_reason::resync)) {
        transition_logged(*fb, transition_reason::resync, {});
        publish(*fb);
      }
    }
    dispatch_fetches();
  }

  void dispatch_fetches() {
    constexpr std::size_t k_in_flight = 2;
    const auto now = steady::now();
    const auto wnow = wall_now();
    for (auto it = fetches.begin(); it != fetches.end() && fetches_in_flight < k_in_flight;) {
      auto l = it->l.lock();
      if (!l || !fetch_pending.count({l->id, it->symbol})) {
        it = fetches.erase(it);
        continue;
      }
      if (it->not_before > wnow || it->earliest > now) {
        ++it;
        continue;
      }
      if (budget->acquire(snapshot_weight, now) > steady::duration::zero()) return;
      fetch_job job = std::move(*it);
      it = fetches.erase(it);
      issue_fetch(l, job.symbol);
    }
  }

  void issue_fetch(const std::shared_ptr<link>& l, const std::string& sym) {
    auto req = spec->snapshot_request(sym, depth);
    if (!req) return;
    ++fetches_in_flight;
    ++st.snapshot_requests;
    if (auto* fb = find_fb(sym)) ++fb->snapshots_requested;
    std::weak_ptr<impl> w = weak_from_this();
    std::weak_ptr<link> wl = l;
    const std::uint64_t lid = l->id;
    http->get(net::get_request(spec->rest_url(*req)), [w, wl, lid, sym](net::http_response&& r) {
      if (auto self = w.lock()) self->on_snapshot(wl.lock(), lid, sym, r);
    });
  }

  void on_snapshot(const std::shared_ptr<link>& l, std::uint64_t lid, const std::string& sym,
                   const net::http_response& r) {
    --fetches_in_flight;
    const auto now = steady::now();
    if (r.ok())
      budget->on_response(r.status, r.header("X-MBX-USED-WEIGHT-1M"), r.header("Retry-After"), now);
    const bool still = l && fetch_pending.erase({lid, sym}) > 0 && running;
    if (!still) {
      dispatch_fetches();
      return;
    }
    if (r.ok() && r.status == 200) {
      const auto recv = wall_now();
      if (tap) tap->on_snapshot(l->tap_stream, sym, r.body().text(), recv);
      const auto st_ = l->proto->on_snapshot(sym, r.body(), recv);
      if (!st_) {
        ++st.snapshot_failures;
        l->proto->recovery_done(sym);
        enqueue_fetch(*l, sym, 0, now + cfg.timings.snapshot_retry);
      }
      drain(*l);
    } else if (r.ok() && (r.status == 429 || r.status == 418)) {
      ++(r.status == 429 ? st.rest_429 : st.rest_418);
      say(r.status == 418 ? log_level::error : log_level::warn,
          "REST " + std::to_string(r.status) + (r.status == 418 ? " (IP banned)" : " (too much weight)") +
              ": every snapshot request paused for Retry-After " + std::string(r.header("Retry-After")) + " s");
      // Asked again once the budget opens (the budget holds every request until then).
      fetch_pending.emplace(lid, sym);
      fetches.push_front({l, sym, 0, {}});
    } else {
      ++st.snapshot_failures;
      say(log_level::warn, sym + ": snapshot failed (" +
                               (r.ok() ? "HTTP " + std::to_string(r.status)
                                       : std::string(r.phase) + " " + r.ec.message()) +
                               "), retrying");
      enqueue_fetch(*l, sym, 0, now + cfg.timings.snapshot_retry);
    }
    dispatch_fetches();
  }

  // ---- housekeeping -------------------------------------------------------------------------
  void tick() {
    const auto now = steady::now();
    const auto wnow = wall_now();
    try_connect_all();
    for (auto& sh : shards) {
      for (link* l : {sh->active.get(), sh->next.get()}) {
        if (!l || !l->conn) continue;
        flush_outbox(*l, now);
        if (!l->deferred.empty()) {
          std::vector<venues::request> due;
          for (auto it = l->deferred.begin(); it != l->deferred.end();) {
            if (it->not_before <= wnow) {
              due.push_back(std::move(*it));
              it = l->deferred.erase(it);
            } else {
              ++it;
            }
          }
          for (auto& r : due) handle(*l, std::move(r));
        }
        // REST venues: the first snapshot once a diff is buffered, or once the venue confirmed
        // the subscription (a quiet pair may send no diff for minutes).
        for (auto it = l->initial_snapshot.begin(); it != l->initial_snapshot.end();) {
          const auto* tb = l->proto->find_book(it->first);
          if (tb && !tb->have_snapshot &&
              (tb->counters.messages > it->second || l->proto->subscription_confirmed(it->first))) {
            enqueue_fetch(*l, it->first, 0);
            it = l->initial_snapshot.erase(it);
          } else if (tb && tb->have_snapshot) {
            it = l->initial_snapshot.erase(it);
          } else {
            ++it;
          }
        }
      }
      link* a = sh->active.get();
      if (a && a->open && !sh->next && !sh->planned_due && max_age.count() > 0 &&
          now - a->opened_at > max_age) {
        sh->planned_due = true;
        sh->planned_at = now;
      }
      if (sh->next && now > sh->next_deadline) {
        say(log_level::warn, "shard " + std::to_string(sh->index) +
                                 ": replacement not fully live in time; switching anyway");
        promote_next(*sh, false);
      }
      // Stale watchdog: a live book without updates.
      if (a && a->open) {
        for (const auto& sym : sh->symbols) {
          feed_book* fb = by_symbol.at(sym);
          if (owner_of(fb) != a) continue;
          const auto lu = last_update.find(fb);
          if (lu == last_update.end()) continue;
          const bool quiet = now - lu->second > stale_after;
          if (fb->state.state() == book_state::live && quiet) {
            fb->state.move(book_state::stale, transition_reason::stale);
            transition_logged(*fb, transition_reason::stale,
                              "no update for " + std::to_string(stale_after.count()) + " ms");
            publish(*fb);
            stale_resubscribed[sym] = now;
            resubscribe(*a, sym, {});
          } else if (fb->state.state() == book_state::stale && now - stale_resubscribed[sym] > stale_after) {
            stale_resubscribed[sym] = now;
            resubscribe(*a, sym, {});
          }
        }
      }
    }
    dispatch_fetches();
  }
};

void link::on_book_updated(book::tracked_book& tb) { f->on_book(*this, tb); }

// ---- feed -----------------------------------------------------------------------------------
core::result<std::unique_ptr<feed>> feed::create(boost::asio::io_context& ioc, venue_config config,
                                                 feed_listener* listener, log_sink* log,
                                                 std::shared_ptr<net::reconnect_limiter> connections,
                                                 std::string* error) {
  auto i = std::make_shared<impl>(ioc, std::move(config));
  i->listener = listener;
  i->log = log;
  i->global_limiter = std::move(connections);
  if (auto why = i->init(); !why.empty()) {
    if (error) *error = why;
    return core::error{errc::invalid_argument, "feed configuration"};
  }
  return std::unique_ptr<feed>(new feed(std::move(i)));
}

feed::~feed() {
  if (impl_) impl_->stop();
}

void feed::start() { impl_->start(); }
void feed::set_frame_tap(frame_tap* tap) noexcept { impl_->tap = tap; }
core::status feed::add_symbols(const std::vector<std::string>& symbols, std::string* error) {
  return impl_->add_symbols(symbols, error);
}
core::status feed::add_symbol(const std::string& symbol, std::string* error) {
  return impl_->add_symbols({symbol}, error);
}
core::status feed::remove_symbol(std::string_view symbol) { return impl_->remove_symbol(symbol); }
void feed::stop() { impl_->stop(); }
core::venue feed::venue() const noexcept { return impl_->venue; }
const venue_config& feed::config() const noexcept { return impl_->cfg; }
const std::vector<std::unique_ptr<feed_book>>& feed::books() const noexcept { return impl_->books; }
const feed_book* feed::find(std::string_view symbol) const noexcept { return impl_->find_fb(symbol); }
const feed_stats& feed::stats() const noexcept { return impl_->st; }
std::size_t feed::shards() const noexcept { return impl_->shards.size(); }
std::uint32_t feed::snapshot_depth() const noexcept { return impl_->depth; }
core::unix_nanos feed::last_frame_time() const noexcept { return impl_->last_frame_wall; }
std::size_t feed::shards_open() const noexcept {
  std::size_t n = 0;
  for (const auto& sh : impl_->shards) n += sh->active && sh->active->open ? 1 : 0;
  return n;
}
std::size_t feed::open_connections() const noexcept {
  std::size_t n = 0;
  for (const auto& sh : impl_->shards)
    for (const auto* l : {sh->active.get(), sh->next.get()}) n += l && l->open ? 1 : 0;
  for (const auto& l : impl_->retired) n += l->open ? 1 : 0;
  return n;
}

}  // namespace depthmon::feed
