// venues/protocol.hpp — the contract between a venue's wire protocol and whoever owns its
// connection (the feed in the daemon, the replay driver in `depthmon replay`).
//
// A venue_protocol turns raw text frames (and, for REST-initialised venues, snapshot bodies)
// into book changes, enforcing the venue's own integrity rules (snapshot alignment, sequence
// ids, checksums). It never touches a socket or a clock: receive times arrive as arguments and
// anything it needs done (fetch a snapshot, resubscribe, reconnect) is queued as a request for
// the owner to carry out. Its venue_spec (venues/spec.hpp) says how to do those things.
//
// The base holds what every venue shares: the end-of-message step (crossed check, live,
// publish), the failure step (invalidate, count by reason, queue the venue's recovery) and its
// recovery policy, and the disconnect step.
//
// Crossed books: where the venue documents that its own book can cross (OKX call auctions)
// the protocol uses crossed_policy::hold: a book left crossed or locked by a complete message is
// counted (`crossed`), gets status `crossed` (kept, still maintained, never published) and is
// live again after the first complete message that leaves it uncrossed; nothing is requested.
// Everywhere else a crossed book is a local error: invalidated and recovered.
//
// Recovery policy (fail_book): at most one pending recovery per book. A recovery is pending
// from its request until the book's next snapshot is counted, the owner calls
// recovery_done(symbol) (e.g. the fetch failed), the connection is replaced (on_disconnect), or
// recovery_policy::pending_timeout of receive time has passed; further failures meanwhile are
// counted but queue nothing. Requests carry `not_before` (receive-time clock): a book's
// recoveries back off (first_retry, doubling up to max_retry, reset after a quiet `window`)
// and one protocol's recoveries are spaced by venue_spacing, so a book that fails on every
// message cannot storm the venue. "Now" is the book's last receive time: no clock is read.
//
// Threads: one protocol instance, its books and its codec belong to one thread (the venue
// connection's io thread); nothing here is thread-safe and nothing needs to be.
// Errors: on_frame/on_snapshot return core::status. ok = the frame was understood (including
// known messages with nothing for a book). drop_message errors (malformed, unknown) leave every
// book untouched; a venue-rule violation invalidates only the affected book, queues a resync
// request and is reported through that book's counters, so on_frame still returns ok.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "book/book_state.hpp"
#include "core/frame.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "venues/common/wire.hpp"
#include "venues/spec.hpp"

namespace depthmon::venues {

// Something the protocol needs its owner to do.
struct request {
  enum class kind : std::uint8_t {
    fetch_snapshot,  // GET the venue's REST snapshot for `symbol`, hand it to on_snapshot()
    resubscribe,     // unsubscribe + subscribe `symbol` (fresh WS snapshot): spec() builds both
    reconnect,       // drop the connection and start over (connection-level loss or notice)
    send,            // send `payload` as a text frame (pong, keep-alive)
  };
  kind what = kind::fetch_snapshot;
  std::string symbol;
  core::errc reason = core::errc::ok;
  std::string payload;
  core::unix_nanos not_before = 0;  // receive-time clock: do not start before (rate limits)
};

// Connection-level counters (per protocol instance).
struct protocol_counters {
  std::uint64_t frames = 0;
  std::uint64_t book_messages = 0;  // frames that carried book data
  std::uint64_t control = 0;        // acks, heartbeats, pongs, notices
  std::uint64_t ignored = 0;        // known non-book messages (trades, klines, ...)
  std::uint64_t unknown = 0;        // valid JSON we do not recognise
  std::uint64_t malformed = 0;      // not parseable as the venue's messages
  std::uint64_t unknown_symbol = 0; // book data for a symbol we do not keep
  std::uint64_t recoveries = 0;     // recovery requests queued
  std::uint64_t recoveries_suppressed = 0;  // failures while that book's recovery was pending
};

struct recovery_policy {
  core::unix_nanos first_retry = 1'000'000'000;       // 2nd recovery of a book within `window`
  core::unix_nanos max_retry = 60'000'000'000;        // cap of the doubling back-off
  core::unix_nanos window = 300'000'000'000;          // quiet time that resets the back-off
  core::unix_nanos pending_timeout = 60'000'000'000;  // a pending recovery presumed lost
  // Minimum gap between two recoveries of one protocol; 0 = derived from the spec's
  // client_messages rate (a resubscribe costs two frames), else 200 ms.
  core::unix_nanos venue_spacing = 0;
};

struct protocol_options {
  // Venue-native symbols to keep books for. Empty: create a book for every symbol seen (replay).
  std::vector<std::string> symbols;
  // REST snapshot depth asked for (Binance `limit`); 0 = unknown, so a side is known only down
  // to its deepest returned level.
  std::uint32_t snapshot_limit = 0;
  // Updates buffered per book while waiting for a snapshot before the oldest are dropped.
  std::size_t max_buffered = 20000;
  // Venue-specific settings as key=value text (validated by the venue's factory), e.g.
  // "depth=1000", "precision.MATIC/USD=4:8", "channel=books".
  std::map<std::string, std::string> settings;
  // Base endpoints overriding the venue's live defaults (empty = default); see spec.hpp.
  std::string ws_url;
  std::string rest_url;
  recovery_policy recovery;
};

// Hooks for the owner; called on the protocol's thread.
class protocol_listener {
 public:
  virtual void on_book_created(book::tracked_book& tb) = 0;
  // A message changed the book's levels or status: the publish point.
  virtual void on_book_updated(book::tracked_book& tb) = 0;

 protected:
  ~protocol_listener() = default;
};

// What a crossed or locked book means on this venue (see the banner).
enum class crossed_policy : std::uint8_t { resync, hold };

class venue_protocol {
 public:
  virtual ~venue_protocol() = default;

  virtual core::venue venue() const noexcept = 0;
  virtual core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) = 0;
  // REST snapshot body for `symbol`. Venues without REST initialisation return invalid_argument.
  virtual core::status on_snapshot(std::string_view symbol, core::padded_view body,
                                   core::unix_nanos recv_time);
  // Text frames to send right after connecting: spec().connect(configured symbols).frames.
  virtual std::vector<std::string> subscribe_messages() const;
  virtual std::vector<std::string> unsubscribe_messages(std::string_view symbol) const;
  // The venue acknowledged `symbol`'s book subscription on this connection, so every change
  // from now on will arrive: a REST venue's first snapshot may be asked from then on even
  // before any diff (a quiet pair sends none for minutes). False where the venue sends no
  // per-symbol acknowledgement the protocol tracks; the feed then waits for a first diff.
  virtual bool subscription_confirmed(std::string_view symbol) const noexcept {
    (void)symbol;
    return false;
  }
  // The connection was lost: every book goes back to syncing (its content is unknown now),
  // pending recoveries are void (the new connection resubscribes everything).
  virtual void on_disconnect();

  // The connection contract (set by make_protocol; every registered venue has one).
  const venue_spec& spec() const noexcept { return *spec_; }
  bool has_spec() const noexcept { return spec_ != nullptr; }

  // The owner is done with `symbol`'s recovery (carried out or given up): a later failure may
  // queue a new one. A loaded snapshot does this by itself.
  void recovery_done(std::string_view symbol) noexcept;

  // Books in creation order; addresses are stable for the protocol's lifetime.
  const std::vector<book::tracked_book*>& books() const noexcept { return book_ptrs_; }
  book::tracked_book* find_book(std::string_view symbol) const noexcept;

  std::vector<request>& requests() noexcept { return requests_; }
  const protocol_counters& counters() const noexcept { return counters_; }
  void set_listener(protocol_listener* l) noexcept { listener_ = l; }

 protected:
  venue_protocol() = default;
  // `recovery`: how this venue recovers a failed book (nullopt: the next message replaces the
  // whole book, nothing to request); `crossed`: what a crossed book means here.
  explicit venue_protocol(std::optional<request::kind> recovery,
                          crossed_policy crossed = crossed_policy::resync) noexcept
      : recovery_(recovery), crossed_policy_(crossed) {}

  void register_book(book::tracked_book* tb);
  // The book for `symbol`: with configured symbols only those; otherwise (replay) a book is
  // created on first sight. nullptr = not ours.
  template <class Book>
  Book* book_for(book_registry<Book>& reg, std::string_view symbol,
                 const protocol_options& opt) {
    if (auto* b = reg.find(symbol)) return b;
    if (!opt.symbols.empty()) return nullptr;
    Book* b = reg.add(std::string(symbol));
    register_book(b);
    return b;
  }
  // Creates a book for every configured symbol (once each).
  template <class Book>
  void add_configured(book_registry<Book>& reg, const protocol_options& opt) {
    for (const auto& s : opt.symbols)
      if (!reg.find(s)) register_book(reg.add(s));
  }
  // The book a book message addresses, counted: nullptr (counted unknown_symbol) when not
  // ours; else its messages counter and receive time are updated.
  template <class Book>
  Book* book_message_for(book_registry<Book>& reg, std::string_view symbol,
                         const protocol_options& opt, core::unix_nanos recv_time) {
    Book* b = book_for(reg, symbol, opt);
    if (!b) {
      ++counters_.unknown_symbol;
      return nullptr;
    }
    ++counters_.book_messages;
    ++b->counters.messages;
    b->last_receive_time = recv_time;
    return b;
  }
  // Counts a frame the codec rejected (unknown vs malformed) and passes the status on.
  core::status rejected(core::status st) noexcept {
    ++(st.code() == core::errc::unknown_message ? counters_.unknown : counters_.malformed);
    return st;
  }
  // The head of every on_frame: counts the frame and parses it with the venue's codec; a
  // rejected frame is counted by rejected() and its status returned.
  template <class Codec, class Message>
  core::status parse_frame(Codec& codec, core::padded_view frame, Message& msg) noexcept {
    ++counters_.frames;
    if (auto st = codec.parse(frame, msg); !st) return rejected(st);
    return {};
  }
  // Understood frames with nothing for a book.
  core::status control_frame() noexcept {
    ++counters_.control;
    return {};
  }
  core::status ignored_frame() noexcept {
    ++counters_.ignored;
    return {};
  }
  void notify_updated(book::tracked_book& tb) {
    if (listener_) listener_->on_book_updated(tb);
  }

  // A snapshot for `tb` was received: its pending recovery (if any) is complete.
  void snapshot_received(book::tracked_book& tb) noexcept;
  // Loads a snapshot into `tb` (snapshot_received, replace both sides, have_snapshot, counted);
  // on failure the book is failed with the real reason and false returned.
  bool load_book_snapshot(book::tracked_book& tb, std::span<const wire_level> bids,
                          std::span<const wire_level> asks);
  // Applies one delta's levels; on failure the book is failed with the real reason.
  bool apply_book_levels(book::tracked_book& tb, std::span<const wire_level> bids,
                         std::span<const wire_level> asks);
  // The end of a complete message that changed `tb`: crossed or locked -> the venue's crossed
  // policy; else the book is live. Publishes either way. Returns true when the book is live.
  bool finish_message(book::tracked_book& tb);

  // Invalidates `tb` for `why` (counted by reason) and queues `recovery` under the recovery
  // policy; publishes the change.
  void fail_book(book::tracked_book& tb, core::error why, request::kind recovery);
  // The same with the venue's own recovery (the constructor's).
  void fail_book(book::tracked_book& tb, core::error why);
  // Queues one reconnect until the next on_disconnect().
  void request_reconnect(core::errc reason);

  // Back to syncing: `tb`'s content is no longer the venue's (its connection was replaced, or
  // the venue confirmed an unsubscribe); venue state is reset by on_book_restart; publishes.
  void restart_book(book::tracked_book& tb);

  // Venue state beyond tracked_book to reset when the connection is replaced.
  virtual void on_book_restart(book::tracked_book&) {}
  virtual void on_connection_restart() {}

  protocol_counters counters_;
  std::vector<request> requests_;
  protocol_listener* listener_ = nullptr;

 private:
  friend core::result<std::unique_ptr<venue_protocol>> make_protocol(core::venue v,
                                                                     const protocol_options& opt);
  struct recovery_state {
    bool pending = false;
    std::uint64_t snapshots_at_request = 0;
    core::unix_nanos requested_at = 0;
    std::uint32_t streak = 0;  // recoveries within `window` of each other
  };
  void queue_recovery(book::tracked_book& tb, request::kind k, core::errc reason);

  std::vector<book::tracked_book*> book_ptrs_;
  std::unique_ptr<const venue_spec> spec_;
  std::vector<std::string> configured_;
  recovery_policy policy_;
  std::unordered_map<const book::tracked_book*, recovery_state> recovery_state_;
  core::unix_nanos venue_next_ = 0;
  std::optional<request::kind> recovery_;
  crossed_policy crossed_policy_ = crossed_policy::resync;
  bool reconnect_pending_ = false;
};

// Creates the protocol for `v` (venues/registry.hpp has the venue table): validates the
// settings (invalid_argument naming the key and the valid ones) and attaches its spec.
core::result<std::unique_ptr<venue_protocol>> make_protocol(core::venue v,
                                                            const protocol_options& opt);

// Venues whose books start from a REST snapshot (`depthmon replay --snapshot`).
bool uses_rest_snapshot(core::venue v) noexcept;

}  // namespace depthmon::venues
