// feed/published.hpp — the published state of the process: one slot per configured book and
// per configured venue feed, each carrying a seqlock-published value, and the board that lists
// the slots readers may look at.
//
// Writers: a book's slot is written only by the feed thread that owns the book (after every
// change, feed/publisher.hpp); a feed's slot only by that feed's thread. Readers (HTTP thread,
// alert thread, recorder, other feed threads reading reference mids for USD rates) copy values
// out of the seqlocks and never block a writer. A reload builds a new slot list (unchanged
// books keep their slot objects) and swaps it in; readers holding the old list keep valid slots.
//
// Threads: board::current()/find() from any thread; board::replace() from the one thread that
// applies configuration. Errors: find() returns nullptr for an unknown book.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/ids.hpp"
#include "core/latency_histogram.hpp"
#include "core/seqlock.hpp"
#include "core/time.hpp"
#include "depth/book_snapshot.hpp"
#include "depth/valuation.hpp"
#include "feed/feed_stats.hpp"

namespace depthmon::feed {

// A book's identity: venue, venue-native symbol, base, quote and contract value.
using book_identity = depth::instrument;

struct book_slot {
  explicit book_slot(book_identity id) : identity(std::move(id)) {}
  const book_identity identity;
  core::seqlock<depth::book_snapshot> snapshot;
};

struct feed_status {
  bool up = false;                     // every shard has an open, subscribed connection
  std::uint32_t shards = 0;
  std::uint32_t connections_open = 0;
  std::uint32_t books_configured = 0;
  std::uint32_t books_live = 0;
  core::unix_nanos last_frame_time = 0;  // receive time of the newest frame (any connection)
  core::unix_nanos published_time = 0;
  feed_stats stats{};
};

struct feed_slot {
  explicit feed_slot(core::venue v) : venue(v) {}
  const core::venue venue;
  core::seqlock<feed_status> status;
  core::latency_histogram processing;    // frame read -> depth published
  core::latency_histogram feed_latency;  // venue event time -> receive
};

class board {
 public:
  struct contents {
    std::vector<std::shared_ptr<book_slot>> books;
    std::vector<std::shared_ptr<feed_slot>> feeds;
  };

  board() : c_(std::make_shared<const contents>()) {}

  std::shared_ptr<const contents> current() const noexcept {
    return c_.load(std::memory_order_acquire);
  }
  void replace(std::shared_ptr<const contents> c) noexcept {
    c_.store(std::move(c), std::memory_order_release);
  }
  std::shared_ptr<book_slot> find(core::venue v, std::string_view symbol) const noexcept {
    const auto c = current();
    for (const auto& b : c->books)
      if (b->identity.venue == v && b->identity.symbol == symbol) return b;
    return nullptr;
  }
  std::shared_ptr<feed_slot> find_feed(core::venue v) const noexcept {
    const auto c = current();
    for (const auto& f : c->feeds)
      if (f->venue == v) return f;
    return nullptr;
  }

 private:
  std::atomic<std::shared_ptr<const contents>> c_;
};

}  // namespace depthmon::feed
