// venues/binance/sync.hpp — Binance's official local-book procedure, spot and USD-M.
//
// Per book: buffer diff events until a REST snapshot arrives; drop events the snapshot already
// contains (spot u <= lastUpdateId, USD-M u < lastUpdateId); the first applied event must
// straddle the snapshot (spot U <= lastUpdateId+1 <= u, USD-M U <= lastUpdateId <= u); after
// that spot needs U == previous u + 1 (U > u+1 is a gap) and USD-M pu == previous u. A gap or a
// crossed book invalidates the book and queues a fetch_snapshot request; a snapshot older than
// the stream is refetched while events keep buffering.
//
// Two continuous cross-checks, each against the book at one update id: right after the applied
// diff event whose final u equals it, or the loaded snapshot whose lastUpdateId does, whichever
// of the book state and the message arrives first (a ring keeps the last few states for
// messages that arrive late; messages that arrive early wait for their event). A bookTicker is
// compared with the best bid and ask (bbo_checks_*); a partial-depth frame (<symbol>@depth20 /
// 10 / 5) with the best N levels per side, or the whole side where the partial shows fewer
// (partial_checks_*). On spot a mismatch proves the book wrong and resyncs it; on USD-M it is
// counted only. Messages for ids no known state has (before the snapshot, or evicted) are not
// compared. subscribe_messages() asks for diffs and bookTicker only: partials are checked where
// the connection also carries them (as the 2026 BTCUSDT capture does).
//
// Threads: the owning connection's thread. Errors: see venues/protocol.hpp.
#pragma once

#include <deque>
#include <span>
#include <vector>

#include "core/ring.hpp"
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

// A partial-depth frame waiting for the event it describes: owns its levels.
struct partial_book {
  std::uint64_t update_id = 0;
  std::uint32_t levels = 0;  // per side, as the stream asks for (5, 10, 20)
  std::vector<wire_level> bids, asks;
};

// Binance partials show at most this many levels per side.
inline constexpr std::size_t k_max_partial_levels = 20;

// The book at one update id (after an applied event, or a loaded snapshot), kept briefly for
// bookTickers and partials that arrive after it.
struct book_state_at {
  std::uint64_t update_id = 0;
  unsigned price_scale = 0, qty_scale = 0;
  book::level bid{}, ask{};  // best levels; zero where a side is empty
  bool has_top = false;      // top_* recorded (always for snapshots; for events once partials flow)
  std::vector<book::level> top_bids, top_asks;  // best first, at most k_max_partial_levels
};

struct binance_book : book::tracked_book {
  using tracked_book::tracked_book;
  bool first_pending = false;   // the next event must straddle the snapshot id
  bool partials_seen = false;   // this book gets partials: record top levels of every state
  std::deque<buffered_event> buffer;
  std::deque<top_of_book> pending_tickers;    // u not applied yet
  std::deque<partial_book> pending_partials;  // lastUpdateId not applied yet
  core::ring<book_state_at, 16> recent;       // the last states, for late messages
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

 private:
  void on_book_restart(book::tracked_book& tb) override;
  binance_book* book_for(std::string_view symbol);
  void on_depth(binance_book& b, const depth_event& ev);
  void apply(binance_book& b, const depth_event& ev);
  void on_ticker(binance_book& b, const top_of_book& t);
  void on_partial(binance_book& b, const message& m);
  const book_state_at& record_state(binance_book& b, std::uint64_t update_id, bool with_top);
  bool check_pending(binance_book& b, const book_state_at& s);
  void check_bbo(binance_book& b, const top_of_book& t, const book_state_at& s);
  void check_partial(binance_book& b, std::uint32_t levels, std::span<const wire_level> bids,
                     std::span<const wire_level> asks, const book_state_at& s);
  void forget_states(binance_book& b);
  void resync(binance_book& b, core::error why);
  void buffer_event(binance_book& b, const depth_event& ev);

  market market_;
  protocol_options opt_;
  codec codec_;
  message msg_;
  book_registry<binance_book> books_;
};

}  // namespace depthmon::venues::binance
