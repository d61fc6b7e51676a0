#include "feed/publisher.hpp"

#include <chrono>
#include <cmath>

#include "depth/band_tracker.hpp"
#include "depth/book_snapshot.hpp"
#include "depth/valuation.hpp"

namespace depthmon::feed {

core::unix_nanos wall_clock_nanos() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

// A USD rate as an exact decimal for usd_to_quote_ceil: as many fractional digits (up to 12)
// as int64 holds for its magnitude. Rates are doubles (from published mids); the impact target
// is then exact for that rate.
std::optional<core::decimal> rate_decimal(double r) noexcept {
  if (!(r > 0) || !std::isfinite(r)) return std::nullopt;
  for (unsigned scale = 12;; --scale) {
    const double m = std::round(r * std::pow(10.0, scale));
    if (m < 9e18) {
      if (m < 1) return std::nullopt;  // too small to express: no target rather than a wrong one
      return core::decimal{static_cast<std::int64_t>(m), static_cast<std::uint8_t>(scale)};
    }
    if (scale == 0) return std::nullopt;
  }
}

}  // namespace

struct publisher::entry {
  std::shared_ptr<book_slot> slot;
  double contract_value = 1;
  book::tracked_book* book = nullptr;  // the book `tracker` observes
  std::unique_ptr<depth::band_tracker> tracker;
  depth::book_snapshot snap;           // reused capture buffer (keeps ever_live)
  depth::impact_targets targets;       // for (targets_rate, targets.notional_scale)
  double targets_rate = 0;
  bool have_targets = false;
  core::unix_nanos last_receive = 0;   // newest frame already counted in the histograms

  explicit entry(std::shared_ptr<book_slot> s) : slot(std::move(s)) {
    contract_value = static_cast<double>(slot->identity.contract_value.mantissa) /
                     static_cast<double>(core::pow10_i128(slot->identity.contract_value.scale));
  }

  void attach(book::tracked_book* b, const depth::band_set& bands) {
    tracker.reset();  // detach from the previous book first (it is still alive here)
    book = b;
    if (b) tracker = std::make_unique<depth::band_tracker>(b->book, bands);
  }
};

publisher::publisher(std::shared_ptr<feed_slot> feed, slot_map books, usd_rate_fn usd_rate,
                     publisher_options opt)
    : feed_(std::move(feed)), usd_rate_(std::move(usd_rate)), opt_(std::move(opt)) {
  if (opt_.impact_usd.size() > depth::max_impact_notionals)
    opt_.impact_usd.resize(depth::max_impact_notionals);
  for (auto& [sym, slot] : books)
    if (slot) books_.emplace(sym, std::make_unique<entry>(std::move(slot)));
}

publisher::~publisher() = default;

void publisher::add_symbol(std::shared_ptr<book_slot> slot) {
  if (!slot) return;
  const std::string sym = slot->identity.symbol;
  if (auto it = books_.find(sym); it != books_.end()) {
    // Same book, new slot: the tracker keeps observing; the next update publishes there.
    auto e = std::make_unique<entry>(std::move(slot));
    e->book = it->second->book;
    e->tracker = std::move(it->second->tracker);
    it->second = std::move(e);
    return;
  }
  books_.emplace(sym, std::make_unique<entry>(std::move(slot)));
}

void publisher::remove_symbol(std::string_view symbol) {
  if (auto it = books_.find(symbol); it != books_.end()) books_.erase(it);
}

publisher::entry* publisher::entry_for(std::string_view symbol) {
  const auto it = books_.find(symbol);
  return it == books_.end() ? nullptr : it->second.get();
}

std::size_t publisher::trackers() const noexcept {
  std::size_t n = 0;
  for (const auto& [sym, e] : books_) n += e->tracker ? 1 : 0;
  return n;
}

void publisher::on_book_replaced(const feed_book& b, book::tracked_book& old) {
  entry* e = entry_for(b.symbol);
  if (!e) return;
  if (e->book == &old || e->book == nullptr) e->attach(b.book, opt_.bands);
}

void publisher::on_book_updated(const feed_book& b) {
  entry* e = entry_for(b.symbol);
  if (!e || !b.book) return;
  if (e->book != b.book) e->attach(b.book, opt_.bands);
  const book::tracked_book& tb = *b.book;
  const bool publishable = b.publishable();

  // Impact targets in the book's quote notional, recomputed only when the rate or the book's
  // scales changed since the last capture.
  std::optional<double> rate;
  if (usd_rate_) rate = usd_rate_(e->slot->identity);
  depth::impact_targets& t = e->targets;
  const unsigned scale = tb.book.price_scale() + tb.book.qty_scale();
  if (!rate) {
    t = {};
    e->have_targets = false;
  } else if (const double per_quote = *rate * e->contract_value;
             !e->have_targets || e->targets_rate != per_quote || t.notional_scale != scale) {
    t = {};
    t.has_usd_rate = true;
    t.usd_per_quote = per_quote;
    t.notional_scale = scale;
    if (const auto dec = rate_decimal(per_quote)) {
      t.count = static_cast<std::uint8_t>(opt_.impact_usd.size());
      for (std::size_t i = 0; i < t.count; ++i) {
        t.usd[i] = opt_.impact_usd[i];
        t.quote[i] = depth::usd_to_quote_ceil(opt_.impact_usd[i], *dec, scale);
      }
    }
    e->targets_rate = per_quote;
    e->have_targets = true;
  }

  depth::capture_snapshot(e->snap, tb, *e->tracker, publishable, t, opt_.clock());
  e->snap.ever_live = e->snap.ever_live || b.state.ever_live();
  e->slot->snapshot.store(e->snap);

  // Histograms once per frame: a state-only update (a watchdog) carries no new receive time.
  if (tb.last_receive_time != 0 && tb.last_receive_time != e->last_receive) {
    e->last_receive = tb.last_receive_time;
    feed_->processing.observe(opt_.clock() - tb.last_receive_time);
    if (tb.last_event_time != 0) feed_->feed_latency.observe(tb.last_receive_time - tb.last_event_time);
  }
}

void publish_feed_status(const feed& f, feed_slot& slot) {
  feed_status st;
  st.shards = static_cast<std::uint32_t>(f.shards());
  st.connections_open = static_cast<std::uint32_t>(f.open_connections());
  st.up = st.shards > 0 && f.shards_open() == f.shards();
  st.books_configured = static_cast<std::uint32_t>(f.books().size());
  for (const auto& b : f.books()) st.books_live += b->publishable() ? 1 : 0;
  st.last_frame_time = f.last_frame_time();
  st.published_time = wall_clock_nanos();
  st.stats = f.stats();
  slot.status.store(st);
}

}  // namespace depthmon::feed
