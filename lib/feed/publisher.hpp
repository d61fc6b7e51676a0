// feed/publisher.hpp — the publish point of one feed: after every book change, a fixed-size
// depth snapshot into that book's slot (feed/published.hpp), plus the feed's own status.
//
// One publisher listens to one feed (one venue). It owns a depth::band_tracker per book
// (attached to the feed_book's current tracked_book on its first update, moved to the
// replacement book in on_book_replaced), captures a depth::book_snapshot on every
// on_book_updated and stores it into the book's seqlock, and records into the feed slot's
// histograms the processing time (frame receive -> snapshot stored, wall clock, the clock the
// feed stamps last_receive_time with) and the venue's event -> receive latency when the venue
// sends event times. Impact sizes are USD amounts converted to the book's quote notional with
// the USD rate the `usd_rate` callback gives (quote currency's USD rate; the publisher applies
// the contract value); no rate: impacts and has_usd_rate are absent.
//
// Threads: everything on the feed's thread (listener calls come from it; add_symbol /
// remove_symbol too, e.g. from a reload task posted to it). Readers use the slots only.
// Lifetime: a tracker observes a book of the feed, so remove_symbol(sym) before the feed
// drops that book, and destroy the publisher before the feed (or stop the feed and destroy
// both on its thread, publisher first).
// Errors: none. A symbol without a slot is not published (updates for it are ignored).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "depth/bands.hpp"
#include "feed/feed.hpp"
#include "feed/published.hpp"

namespace depthmon::depth {
class band_tracker;
}

namespace depthmon::feed {

// USD per unit of `id.quote` (USD: 1), or nullopt when no rate is known now.
using usd_rate_fn = std::function<std::optional<double>(const book_identity& id)>;

core::unix_nanos wall_clock_nanos() noexcept;  // system_clock, as the feed stamps frames

struct publisher_options {
  depth::band_set bands;                  // the bands every snapshot carries
  std::vector<std::int64_t> impact_usd;   // order sizes in USD (first max_impact_notionals)
  core::unix_nanos (*clock)() noexcept = &wall_clock_nanos;  // tests pass their own
};

class publisher final : public feed_listener {
 public:
  using slot_map = std::map<std::string, std::shared_ptr<book_slot>, std::less<>>;

  publisher(std::shared_ptr<feed_slot> feed, slot_map books, usd_rate_fn usd_rate,
            publisher_options opt);
  ~publisher();
  publisher(const publisher&) = delete;
  publisher& operator=(const publisher&) = delete;

  // Reloads: a new symbol's slot (keyed by slot->identity.symbol; replaces an existing one),
  // or a symbol dropped (its tracker detached now: call before the feed drops the book).
  void add_symbol(std::shared_ptr<book_slot> slot);
  void remove_symbol(std::string_view symbol);

  void on_book_updated(const feed_book& b) override;
  void on_book_replaced(const feed_book& b, book::tracked_book& old) override;

  const feed_slot& feed_slot_ref() const noexcept { return *feed_; }
  std::size_t trackers() const noexcept;  // books currently observed

 private:
  struct entry;
  entry* entry_for(std::string_view symbol);

  std::shared_ptr<feed_slot> feed_;
  usd_rate_fn usd_rate_;
  publisher_options opt_;
  std::map<std::string, std::unique_ptr<entry>, std::less<>> books_;
};

// Fills and stores the feed's published status: up = every shard has an open connection,
// books live / configured, the feed's counters, the newest frame's receive time. Call on the
// feed's thread (timer, and on connection changes).
void publish_feed_status(const feed& f, feed_slot& slot);

}  // namespace depthmon::feed
