// feed/feed.hpp — one venue's live feed: its websocket connections, one venue_protocol per
// connection, its books, and every request those protocols make (fetch a REST snapshot,
// resubscribe a symbol, reconnect, send a frame).
//
// What the feed does, venue-agnostically, from the venue_spec (venues/spec.hpp):
//   * shards the symbols over connections within venue_limits (books per connection), paces
//     every client frame (subscribe, unsubscribe) to the venue's client-message rate, and opens
//     connections through two net::reconnect_limiters: the venue's own connection rate and a
//     process-wide one shared by every feed;
//   * discovers instruments at start where spec.metadata_request() asks for it (non-fatal:
//     logged once, the feed keeps running on its settings);
//   * fetches REST snapshots (once a symbol's first diff is buffered, as Binance's procedure
//     says, or once the venue confirmed its subscription: Bitstamp) within the venue's weight budget (feed/rest_budget.hpp), honouring request
//     not_before, 429 and 418 Retry-After; depth chosen by need (at most 5000);
//   * resyncs one symbol by unsubscribe + subscribe on the same connection: no other book and
//     no connection is touched;
//   * watchdogs: a live book without an update for the venue's stale time becomes `stale`
//     (not publishable) and is resubscribed; a connection that receives nothing at all (not
//     even a pong to our pings) for the idle time is replaced (half-open stall);
//   * reconnects with net::backoff (full jitter, cap); planned reconnects (a protocol's
//     reconnect request with reason ok: Binance serverShutdown, OKX 64008, Bitstamp
//     bts:request_reconnect; or the connection's maximum age: Binance's 24 h) are made before
//     break: a second connection with its own protocol subscribes the same symbols, each book
//     is switched to it once live there, and the old connection is closed when all are;
//   * keeps a feed/book_state.hpp state machine per book, logs each transition once through
//     log_sink and tells the owner's feed_listener on every book update (the publish point).
//
// Threads: a feed, its connections, its protocols and its books belong to the one thread that
// runs `ioc` (several feeds may share it). create/start/stop and every accessor must be called
// on that thread (or before the io_context runs); listener and sink calls come from it. The
// shared connection limiter is the only object touched by several threads (it locks).
// Lifetime: destroy the feed on its thread or after its io_context has stopped; pending
// operations hold only weak references to it.
// Errors: create() returns invalid_argument with the problem in words (unknown venue, invalid
// settings, unreadable CA file); afterwards nothing is fatal: network failures are retried, counted and logged. No
// exceptions on any path.
#pragma once

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "book/book_state.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "feed/book_state.hpp"
#include "feed/config.hpp"
#include "feed/feed_stats.hpp"
#include "feed/frame_tap.hpp"
#include "feed/log_sink.hpp"
#include "feed/rest_budget.hpp"
#include "net/reconnect_limiter.hpp"

namespace depthmon::feed {

// The feed's record of one configured symbol.
struct feed_book {
  std::string symbol;
  book_state_machine state;
  // The book currently published: the one on the connection that carries the symbol now. It
  // changes after a planned reconnect (feed_listener::on_book_replaced says so first). The
  // owner reads it on the feed's thread and may attach one book_observer to its l2_book (a
  // depth::band_tracker); it never changes the levels.
  book::tracked_book* book = nullptr;
  std::uint64_t resubscribes = 0;  // stale-watchdog and venue-requested resubscriptions
  std::uint64_t snapshots_requested = 0;

  bool publishable() const noexcept { return state.publishable() && book && book->live(); }
};

class feed_listener {
 public:
  // After every change of the book's levels or state (the publish point).
  virtual void on_book_updated(const feed_book& b) = 0;
  // `b.book` now points to the replacement connection's book; `old` is still valid during this
  // call and destroyed after it (detach observers from it here).
  virtual void on_book_replaced(const feed_book& b, book::tracked_book& old) {
    (void)b;
    (void)old;
  }
  // remove_symbol() is about to drop `b` (and stop publishing it): detach observers from
  // b.book here; `b` is destroyed after this call.
  virtual void on_book_removed(const feed_book& b) { (void)b; }

 protected:
  ~feed_listener() = default;
};

class feed {
 public:
  // `connections`: the process-wide limiter shared by every feed (nullptr: none). On failure
  // `error` (if given) says what is wrong in words.
  static core::result<std::unique_ptr<feed>> create(boost::asio::io_context& ioc,
                                                    venue_config config, feed_listener* listener,
                                                    log_sink* log,
                                                    std::shared_ptr<net::reconnect_limiter> connections,
                                                    std::string* error = nullptr);
  ~feed();
  feed(const feed&) = delete;
  feed& operator=(const feed&) = delete;

  void start();  // discovery (where needed), then every shard's connection
  void stop();   // closes every connection now; no callback afterwards
  // Raw-frame recording: `tap` sees every protocol input from now on (nullptr: none). Set it
  // before start() so it sees every stream from its creation; it must outlive the feed.
  void set_frame_tap(frame_tap* tap) noexcept;

  // Reconfiguration without touching other books or connections (a daemon reload).
  // add_symbols: the new books get their own shard(s) (new connections within the venue's
  // books-per-connection limit, discovery first where the venue needs it); existing shards and
  // their connections are left alone. Before start() they simply join the configuration.
  // Symbols already kept are skipped. invalid_argument (with `error`) when the venue's settings
  // do not accept them; nothing changes then.
  core::status add_symbols(const std::vector<std::string>& symbols, std::string* error = nullptr);
  core::status add_symbol(const std::string& symbol, std::string* error = nullptr);
  // remove_symbol: unsubscribed on its connection (paced like any client frame), its book
  // dropped (feed_listener::on_book_removed first); a shard left without symbols closes its
  // connection. unknown_symbol for a symbol the feed does not keep; the last one cannot be
  // removed (invalid_argument: stop the feed instead).
  core::status remove_symbol(std::string_view symbol);

  core::venue venue() const noexcept;
  const venue_config& config() const noexcept;
  const std::vector<std::unique_ptr<feed_book>>& books() const noexcept;
  const feed_book* find(std::string_view symbol) const noexcept;
  const feed_stats& stats() const noexcept;
  std::size_t shards() const noexcept;
  std::size_t open_connections() const noexcept;
  std::size_t shards_open() const noexcept;          // shards whose current connection is open
  core::unix_nanos last_frame_time() const noexcept;  // wall receive time of the newest frame (0: none)
  std::uint32_t snapshot_depth() const noexcept;  // the REST depth chosen (0: no REST snapshot)

  struct impl;

 private:
  explicit feed(std::shared_ptr<impl> i) : impl_(std::move(i)) {}
  std::shared_ptr<impl> impl_;
};

// The venue's stale time when the config leaves it 0: how long a healthy book of that venue
// may go without an update.
ms default_stale_after(core::venue v) noexcept;

}  // namespace depthmon::feed
