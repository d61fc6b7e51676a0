#include "daemon/runtime.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <algorithm>
#include <future>
#include <thread>

#include "venues/registry.hpp"

namespace depthmon::daemon {
namespace {
using work_guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
}

struct venue_rec {
  std::string name;
  unsigned thread = 0;
  feed::venue_config config;  // as configured (before opt.adjust)
  std::unique_ptr<venue_binding> binding;
  // Declared feed first so that, on any path that skips destroy_rec(), the listener (whose band
  // trackers observe the feed's books) is destroyed before the feed and its books.
  std::unique_ptr<feed::feed> fd;
  std::unique_ptr<venue_listener> listener;
};

struct feed_thread {
  boost::asio::io_context ioc;
  std::optional<work_guard> guard;
  boost::asio::steady_timer timer{ioc};
  std::atomic<std::uint64_t> progress{0};
  unsigned index = 0;
  std::thread th;
  std::vector<venue_rec*> venues;  // touched on this thread only (tick) and under post+wait
};

struct runtime::impl {
  explicit impl(runtime_options o, feed::board& b) : opt(std::move(o)), board(b) {}
  runtime_options opt;
  feed::board& board;
  std::vector<std::unique_ptr<feed_thread>> threads;
  std::vector<std::unique_ptr<venue_rec>> venues;
  bool running = false;

  // Runs fn on thread t and waits for it.
  template <class F>
  void on(feed_thread& t, F&& fn) {
    std::packaged_task<void()> task(std::forward<F>(fn));
    auto fut = task.get_future();
    boost::asio::post(t.ioc, [&task] { task(); });
    fut.wait();
  }

  void arm(feed_thread& t) {
    t.timer.expires_after(opt.tick);
    t.timer.async_wait([this, &t](boost::system::error_code ec) {
      if (ec) return;
      for (auto* v : t.venues)
        if (v->fd && v->listener) v->listener->on_tick(*v->fd);
      t.progress.fetch_add(1, std::memory_order_relaxed);
      if (opt.beat) opt.beat(t.index);
      arm(t);
    });
  }

  feed::book_identity identify(core::venue v, const feed::venue_config& c, const std::string& sym) const {
    if (opt.identify) return opt.identify(v, c, sym);
    feed::book_identity id;
    id.venue = v;
    id.symbol = sym;
    return id;
  }

  // A venue record with its binding and slots, not yet placed on a thread's list. `keep`:
  // slots to reuse by symbol (a restarted venue keeps its slot objects).
  std::unique_ptr<venue_rec> make_rec(const feed::venue_config& c, unsigned thread, std::string& err,
                                      const venue_binding* keep) {
    const venues::venue_entry* e = venues::find_venue(c.name);
    if (!e) {
      err += "unknown venue '" + c.name + "'\n";
      return nullptr;
    }
    auto r = std::make_unique<venue_rec>();
    r->name = c.name;
    r->config = c;
    r->thread = thread;
    r->binding = std::make_unique<venue_binding>();
    r->binding->venue = e->id;
    r->binding->name = c.name;
    r->binding->feed = keep ? keep->feed : std::make_shared<feed::feed_slot>(e->id);
    for (const auto& s : c.symbols) {
      if (keep)
        if (auto it = keep->books.find(s); it != keep->books.end()) {
          r->binding->books.emplace(s, it->second);
          continue;
        }
      r->binding->books.emplace(s, std::make_shared<feed::book_slot>(identify(e->id, c, s)));
    }
    feed::venue_config cfg = c;
    if (opt.adjust) opt.adjust(cfg);
    std::string why;
    feed_thread& t = *threads[thread];
    bool ok = false;
    on(t, [&] {
      r->listener = opt.make_listener(*r->binding);
      auto f = feed::feed::create(t.ioc, std::move(cfg), r->listener.get(), opt.log, opt.connections, &why);
      if (f) {
        r->fd = std::move(f).value();
        if (opt.tap)
          if (feed::frame_tap* tp = opt.tap(r->fd->config())) r->fd->set_frame_tap(tp);
        ok = true;
      } else {
        r->listener.reset();
      }
    });
    if (!ok) {
      err += c.name + ": " + why + "\n";
      return nullptr;
    }
    return r;
  }

  void start_rec(venue_rec& r) {
    feed_thread& t = *threads[r.thread];
    on(t, [&] {
      t.venues.push_back(&r);
      r.fd->start();
    });
  }

  // On the venue's thread: stop the feed, drop the listener (detaches from live books), then
  // the feed and its books.
  void destroy_rec(venue_rec& r) {
    feed_thread& t = *threads[r.thread];
    on(t, [&] {
      std::erase(t.venues, &r);
      if (r.fd) r.fd->stop();
      r.listener.reset();
      r.fd.reset();
    });
  }

  unsigned least_loaded() const {
    unsigned best = 0;
    std::vector<std::size_t> n(threads.size(), 0);
    for (const auto& v : venues) ++n[v->thread];
    for (unsigned i = 1; i < n.size(); ++i)
      if (n[i] < n[best]) best = i;
    return best;
  }

  venue_rec* find(std::string_view name) const {
    for (const auto& v : venues)
      if (v->name == name) return v.get();
    return nullptr;
  }

  void publish_board() {
    auto c = std::make_shared<feed::board::contents>();
    for (const auto& v : venues) {
      c->feeds.push_back(v->binding->feed);
      for (const auto& [s, slot] : v->binding->books) c->books.push_back(slot);
    }
    board.replace(std::move(c));
  }
};

runtime::runtime(runtime_options o) : impl_(std::make_unique<impl>(std::move(o), board_)) {}
runtime::~runtime() { stop(); }

unsigned runtime::threads() const noexcept { return static_cast<unsigned>(impl_->threads.size()); }
std::size_t runtime::venues() const noexcept { return impl_->venues.size(); }

std::vector<std::uint64_t> runtime::progress() const {
  std::vector<std::uint64_t> p;
  for (const auto& t : impl_->threads) p.push_back(t->progress.load(std::memory_order_relaxed));
  return p;
}

core::status runtime::start(const std::vector<feed::venue_config>& venues, std::string* error) {
  auto& m = *impl_;
  if (m.running) return core::error{core::errc::invalid_argument, "already running"};
  const unsigned n = std::max(1u, m.opt.io_threads);
  for (unsigned i = 0; i < n; ++i) {
    auto t = std::make_unique<feed_thread>();
    t->guard.emplace(t->ioc.get_executor());
    t->index = i;
    feed_thread* tp = t.get();
    t->th = std::thread([tp] { tp->ioc.run(); });
    m.threads.push_back(std::move(t));
  }
  m.running = true;
  for (auto& t : m.threads) {
    feed_thread* tp = t.get();
    m.on(*tp, [&m, tp] { m.arm(*tp); });
  }
  std::string err;
  for (std::size_t i = 0; i < venues.size(); ++i)
    if (auto r = m.make_rec(venues[i], static_cast<unsigned>(i % n), err, nullptr)) m.venues.push_back(std::move(r));
  if (!err.empty()) {
    if (error) *error = err;
    stop();
    return core::error{core::errc::invalid_argument, "venue configuration"};
  }
  m.publish_board();
  for (auto& v : m.venues) m.start_rec(*v);
  return {};
}

core::status runtime::apply(const std::vector<feed::venue_config>& next, const config::config_diff& d,
                            std::string* error) {
  auto& m = *impl_;
  if (!m.running) return core::error{core::errc::invalid_argument, "not running"};
  auto next_of = [&](const std::string& name) -> const feed::venue_config* {
    for (const auto& c : next)
      if (c.name == name) return &c;
    return nullptr;
  };
  // 1. Every new feed is made (not started) first: a refusal changes nothing.
  std::string err;
  std::vector<std::unique_ptr<venue_rec>> added, restarted;
  for (const auto& name : d.venues_added) {
    const auto* c = next_of(name);
    if (!c) {
      err += name + ": not in the new configuration\n";
      continue;
    }
    if (auto r = m.make_rec(*c, m.least_loaded(), err, nullptr)) added.push_back(std::move(r));
  }
  for (const auto& name : d.venues_restarted) {
    const auto* c = next_of(name);
    venue_rec* old = m.find(name);
    if (!c || !old) {
      err += name + ": cannot restart (not running or not configured)\n";
      continue;
    }
    if (auto r = m.make_rec(*c, old->thread, err, old->binding.get())) restarted.push_back(std::move(r));
  }
  if (!err.empty()) {
    for (auto& r : added) m.destroy_rec(*r);
    for (auto& r : restarted) m.destroy_rec(*r);
    if (error) *error = err;
    return core::error{core::errc::invalid_argument, "venue configuration"};
  }
  // 2. Removed venues go.
  for (const auto& name : d.venues_removed)
    if (venue_rec* r = m.find(name)) {
      m.destroy_rec(*r);
      std::erase_if(m.venues, [r](const auto& v) { return v.get() == r; });
    }
  // 3. Restarted venues: the old feed stops, the new one (same slots) takes its place.
  for (auto& r : restarted) {
    venue_rec* old = m.find(r->name);
    m.destroy_rec(*old);
    for (auto& v : m.venues)
      if (v.get() == old) v = std::move(r);
  }
  // 4. Symbol changes on running feeds, on their threads.
  auto touched = [&](const std::string& name) {
    return std::find(d.venues_restarted.begin(), d.venues_restarted.end(), name) != d.venues_restarted.end() ||
           std::find(d.venues_added.begin(), d.venues_added.end(), name) != d.venues_added.end();
  };
  for (const auto& [name, syms] : d.symbols_removed) {
    venue_rec* r = m.find(name);
    if (!r || touched(name)) continue;
    m.on(*m.threads[r->thread], [&] {
      for (const auto& s : syms) {
        if (!r->fd->find(s) || r->fd->books().size() <= 1) continue;
        r->listener->remove_slot(s);
        if (r->fd->remove_symbol(s)) r->binding->books.erase(s);
        std::erase(r->config.symbols, s);
      }
    });
  }
  for (const auto& [name, syms] : d.symbols_added) {
    venue_rec* r = m.find(name);
    if (!r || touched(name)) continue;
    std::string why;
    m.on(*m.threads[r->thread], [&] {
      std::vector<std::string> fresh;
      for (const auto& s : syms)
        if (!r->binding->books.count(s)) {
          auto slot = std::make_shared<feed::book_slot>(m.identify(r->binding->venue, r->config, s));
          r->binding->books.emplace(s, slot);
          r->listener->add_slot(slot);
          fresh.push_back(s);
        }
      if (r->fd->add_symbols(fresh, &why)) {
        r->config.symbols.insert(r->config.symbols.end(), fresh.begin(), fresh.end());
      } else {
        for (const auto& s : fresh) {
          r->listener->remove_slot(s);
          r->binding->books.erase(s);
        }
      }
    });
    if (!why.empty()) err += why + "\n";
  }
  for (auto& r : added) m.venues.push_back(std::move(r));
  m.publish_board();
  for (auto& v : m.venues)
    if (std::find(d.venues_added.begin(), d.venues_added.end(), v->name) != d.venues_added.end() ||
        std::find(d.venues_restarted.begin(), d.venues_restarted.end(), v->name) != d.venues_restarted.end())
      m.start_rec(*v);
  if (!err.empty()) {
    if (error) *error = err;
    return core::error{core::errc::invalid_argument, "symbols"};
  }
  return {};
}

bool runtime::with_feed(std::string_view venue, const std::function<void(const feed::feed&)>& fn) {
  auto& m = *impl_;
  venue_rec* r = m.find(venue);
  if (!r || !r->fd) return false;
  m.on(*m.threads[r->thread], [&] { fn(*r->fd); });
  return true;
}

void runtime::stop() {
  auto& m = *impl_;
  if (!m.running) return;
  for (auto& v : m.venues) m.destroy_rec(*v);
  m.venues.clear();
  for (auto& t : m.threads) {
    feed_thread* tp = t.get();
    boost::asio::post(tp->ioc, [tp] { tp->timer.cancel(); });
    t->guard.reset();
  }
  for (auto& t : m.threads) {
    // Feeds are stopped: what is left (aborted sockets, cancelled timers) completes at once.
    t->ioc.stop();
    if (t->th.joinable()) t->th.join();
  }
  m.threads.clear();
  m.running = false;
}

}  // namespace depthmon::daemon
