// venues/protocol.hpp — the contract between a venue's wire protocol and whoever owns its
// connection (the feed in the daemon, the replay driver in `depthmon replay`).
//
// A venue_protocol turns raw text frames (and, for REST-initialised venues, snapshot bodies)
// into book changes, enforcing the venue's own integrity rules (snapshot alignment, sequence
// ids, checksums). It never touches a socket or a clock: receive times arrive as arguments and
// anything it needs done (fetch a snapshot, resubscribe, reconnect) is queued as a request for
// the owner to carry out.
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
#include <string>
#include <string_view>
#include <vector>

#include "book/book_state.hpp"
#include "core/frame.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "venues/common/wire.hpp"

namespace depthmon::venues {

// Something the protocol needs its owner to do.
struct request {
  enum class kind : std::uint8_t {
    fetch_snapshot,  // GET the venue's REST snapshot for `symbol`, hand it to on_snapshot()
    resubscribe,     // unsubscribe + subscribe `symbol` (fresh WS snapshot)
    reconnect,       // drop the connection and start over (connection-level loss or notice)
    send,            // send `payload` as a text frame (pong, keep-alive)
  };
  kind what = kind::fetch_snapshot;
  std::string symbol;
  core::errc reason = core::errc::ok;
  std::string payload;
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

class venue_protocol {
 public:
  virtual ~venue_protocol() = default;

  virtual core::venue venue() const noexcept = 0;
  virtual core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) = 0;
  // REST snapshot body for `symbol`. Venues without REST initialisation return invalid_argument.
  virtual core::status on_snapshot(std::string_view symbol, core::padded_view body,
                                   core::unix_nanos recv_time) = 0;
  // Text frames to send right after connecting (subscriptions for every configured symbol).
  virtual std::vector<std::string> subscribe_messages() const = 0;
  virtual std::vector<std::string> unsubscribe_messages(std::string_view symbol) const = 0;
  // The connection was lost: every book goes back to syncing (its content is unknown now).
  virtual void on_disconnect() = 0;

  // Books in creation order; addresses are stable for the protocol's lifetime.
  const std::vector<book::tracked_book*>& books() const noexcept { return book_ptrs_; }
  book::tracked_book* find_book(std::string_view symbol) const noexcept;

  std::vector<request>& requests() noexcept { return requests_; }
  const protocol_counters& counters() const noexcept { return counters_; }
  void set_listener(protocol_listener* l) noexcept { listener_ = l; }

 protected:
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
  // Counts a frame the codec rejected (unknown vs malformed) and passes the status on.
  core::status rejected(core::status st) noexcept {
    ++(st.code() == core::errc::unknown_message ? counters_.unknown : counters_.malformed);
    return st;
  }
  void notify_updated(book::tracked_book& tb) {
    if (listener_) listener_->on_book_updated(tb);
  }
  // Invalidates `tb` for `why` and queues the venue's resync request.
  void fail_book(book::tracked_book& tb, core::error why, request::kind recovery);

  protocol_counters counters_;
  std::vector<request> requests_;
  protocol_listener* listener_ = nullptr;

 private:
  std::vector<book::tracked_book*> book_ptrs_;
};

// Creates the protocol for `v`. Fails with invalid_argument (and a detail naming the setting)
// on options the venue cannot honour.
core::result<std::unique_ptr<venue_protocol>> make_protocol(core::venue v,
                                                            const protocol_options& opt);

// Venues whose books start from a REST snapshot (`depthmon replay --snapshot`).
bool uses_rest_snapshot(core::venue v) noexcept;

}  // namespace depthmon::venues
