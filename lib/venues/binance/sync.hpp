// venues/binance/sync.hpp — Binance's official local-book procedure, spot and USD-M.
//
// Per book: buffer diff events until a REST snapshot arrives; drop events the snapshot already
// contains (spot u <= lastUpdateId, USD-M u < lastUpdateId); the first applied event must
// straddle the snapshot (spot U <= lastUpdateId+1 <= u, USD-M U <= lastUpdateId <= u); after
// that spot needs U == previous u + 1 (U > u+1 is a gap) and USD-M pu == previous u. A gap or a
// crossed book invalidates the book and queues a fetch_snapshot request; a snapshot older than
// the stream is refetched while events keep buffering.
//
// bookTicker messages whose u equals the final u of an applied diff event are compared with the
// book's best bid and ask right after that event, whichever arrives first (bbo_checks_*). On
// spot a mismatch proves the book wrong and resyncs it; on USD-M it is counted only.
//
// Threads: the owning connection's thread. Errors: see venues/protocol.hpp.
#pragma once

#include <array>
#include <deque>
#include <span>
#include <vector>

#include "venues/binance/codec.hpp"
#include "venues/common/wire.hpp"
#include "venues/protocol.hpp"

namespace depthmon::venues::binance {

// A diff event as the sync rules see it; the levels are borrowed (from the codec's message,
// or from a buffered_event), so applying a live event copies nothing.
struct depth_event {
  std::uint64_t first_id = 0, final_id = 0, prev_final_id = 0;
  bool has_prev = false;
  std::int64_t event_time_ms = 0;
  std::span<const wire_level> bids, asks;
};

// An event kept while the book waits for a snapshot: owns its levels.
struct buffered_event {
  explicit buffered_event(const depth_event& ev)
      : head(ev), bids(ev.bids.begin(), ev.bids.end()), asks(ev.asks.begin(), ev.asks.end()) {}
  depth_event view() const noexcept {
    depth_event ev = head;
    ev.bids = bids;
    ev.asks = asks;
    return ev;
  }
  depth_event head;
  std::vector<wire_level> bids, asks;
};

struct top_of_book {
  std::uint64_t update_id = 0;
  wire_level bid{}, ask{};
};

// The book after an applied event, kept briefly for bookTickers that arrive late.
struct applied_bbo {
  std::uint64_t update_id = 0;
  book::level bid{}, ask{};
  unsigned price_scale = 0, qty_scale = 0;
};

struct binance_book : book::tracked_book {
  using tracked_book::tracked_book;
  bool have_snapshot = false;   // book content is the snapshot (+ applied events)
  bool first_pending = false;   // the next event must straddle the snapshot id
  std::deque<buffered_event> buffer;
  std::deque<top_of_book> pending_tickers;  // u not applied yet
  std::array<applied_bbo, 16> recent{};     // ring of the last applied events
  std::size_t recent_next = 0, recent_count = 0;
};

class protocol final : public venue_protocol {
 public:
  protocol(market m, const protocol_options& opt);

  core::venue venue() const noexcept override {
    return market_ == market::spot ? core::venue::binance : core::venue::binance_usdm;
  }
  core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) override;
  core::status on_snapshot(std::string_view symbol, core::padded_view body,
                           core::unix_nanos recv_time) override;
  std::vector<std::string> subscribe_messages() const override;
  std::vector<std::string> unsubscribe_messages(std::string_view symbol) const override;
  void on_disconnect() override;

 private:
  binance_book* book_for(std::string_view symbol);
  void on_depth(binance_book& b, const depth_event& ev);
  void apply(binance_book& b, const depth_event& ev);
  void on_ticker(binance_book& b, const top_of_book& t);
  void check_bbo(binance_book& b, const top_of_book& t, const applied_bbo& a);
  void resync(binance_book& b, core::error why);
  void buffer_event(binance_book& b, const depth_event& ev);

  market market_;
  protocol_options opt_;
  codec codec_;
  message msg_;
  book_registry<binance_book> books_;
};

}  // namespace depthmon::venues::binance
