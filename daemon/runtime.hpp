// daemon/runtime.hpp — depthmond's feed side: `io_threads` feed threads, each running an
// io_context; every configured venue's feed::feed, the listener that publishes its books, and
// their slots on the published board; reconfiguration on reload; a clean stop.
//
// Venues are assigned to threads round-robin at start (a venue added later goes to the thread
// with fewest venues); a venue's feed, listener and books live on that one thread. apply()
// carries out a reload's config_diff: venues added and removed, symbols added and removed on
// running feeds (feed::add_symbols / remove_symbol), changed venues restarted. Everything not
// named by the diff is left alone: same feed, same connections, same slot objects.
//
// Each feed thread also runs a housekeeping timer (every `tick`): it publishes each of its
// venues' feed status (venue_listener::on_tick) and bumps the thread's progress counter, which
// the main thread compares between watchdog pings (a wedged loop stops counting).
//
// Threads: the runtime object itself belongs to the one thread that applies configuration
// (the main thread): start/apply/stop from there. Work on a feed is posted to its thread and
// waited for. board() and progress() may be read from any thread.
// Errors: start/apply return invalid_argument with every problem in words (a venue that
// feed::create refuses); apply validates every new feed before changing anything, so a
// refused reload leaves the running configuration as it was. No exceptions escape.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/result.hpp"
#include "feed/config.hpp"
#include "feed/feed.hpp"
#include "feed/log_sink.hpp"
#include "feed/published.hpp"
#include "net/reconnect_limiter.hpp"

namespace depthmon::daemon {

// One venue's slots: what its listener publishes into. The book map changes only on the
// venue's feed thread (during apply), where the listener reads it.
struct venue_binding {
  core::venue venue = core::venue::binance;
  std::string name;
  std::shared_ptr<feed::feed_slot> feed;
  std::map<std::string, std::shared_ptr<feed::book_slot>, std::less<>> books;

  feed::book_slot* find(std::string_view symbol) const noexcept {
    auto it = books.find(symbol);
    return it == books.end() ? nullptr : it->second.get();
  }
};

// Publishes one venue: every book update (feed_listener) and, on the thread's tick, the feed's
// status. Lives on the venue's feed thread.
class venue_listener : public feed::feed_listener {
 public:
  virtual ~venue_listener() = default;
  virtual void on_tick(const feed::feed& f) = 0;
  // A reload added a book (its slot is in the binding already) / is about to remove one (before
  // the feed drops the book: detach from it now).
  virtual void add_slot(const std::shared_ptr<feed::book_slot>& slot) { (void)slot; }
  virtual void remove_slot(std::string_view symbol) { (void)symbol; }
};

struct runtime_options {
  unsigned io_threads = 1;
  std::chrono::milliseconds tick{100};
  feed::log_sink* log = nullptr;  // shared by every feed thread: must synchronise itself
  std::shared_ptr<net::reconnect_limiter> connections;  // process-wide connection rate
  // The listener for a venue (its binding outlives it). Required.
  std::function<std::unique_ptr<venue_listener>(venue_binding&)> make_listener;
  // A book's identity (base, quote, contract value) from its venue config and symbol. Default:
  // venue and symbol alone.
  std::function<feed::book_identity(core::venue, const feed::venue_config&, const std::string& symbol)> identify;
  // Adjusts a venue's config before its feed is made (e.g. --shard, test timings).
  std::function<void(feed::venue_config&)> adjust;
  // Raw-frame recording: the tap a venue's feed reports to (nullptr or unset: none). The tap
  // must outlive the runtime's feeds.
  std::function<feed::frame_tap*(const feed::venue_config&)> tap;
  // Called by feed thread i on each housekeeping tick (daemon_support::watchdog_gate::beat).
  std::function<void(unsigned)> beat;
};

class runtime {
 public:
  explicit runtime(runtime_options o);
  ~runtime();  // stop()
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  // Starts the threads and every venue. On error nothing runs.
  core::status start(const std::vector<feed::venue_config>& venues, std::string* error = nullptr);
  // A reload: `next` is the new configuration's venue list, `d` its diff against the running
  // one. On error (with `error`) nothing changed.
  core::status apply(const std::vector<feed::venue_config>& next, const config::config_diff& d,
                     std::string* error = nullptr);
  // Stops every feed (connections closed), joins the threads. Idempotent.
  void stop();

  const feed::board& board() const noexcept { return board_; }
  // One counter per feed thread, bumped on every housekeeping tick.
  std::vector<std::uint64_t> progress() const;
  unsigned threads() const noexcept;
  std::size_t venues() const noexcept;

  // Runs `fn(feed)` on the named venue's feed thread and waits (tests, diagnostics). False when
  // the venue is not running.
  bool with_feed(std::string_view venue, const std::function<void(const feed::feed&)>& fn);

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
  feed::board board_;
};

}  // namespace depthmon::daemon
