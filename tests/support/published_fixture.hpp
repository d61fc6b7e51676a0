// Builds published state by hand for tests and benchmarks of the read side (usd_rates, the read
// model, /metrics): book snapshots with chosen BBO, bands and status, stored into board slots
// the way a feed thread's publisher would.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "baseline/baseline_file.hpp"
#include "config/config.hpp"

#include "core/decimal.hpp"
#include "depth/book_snapshot.hpp"
#include "feed/published.hpp"

namespace depthmon::testing {

inline constexpr core::unix_nanos fixture_now = 1'760'000'000'000'000'000;  // 2025-10-09

// A live book with best bid/ask in ticks at `price_scale`, levels of qty 1 (qty scale 0),
// received at `receive_time`; bands are set with set_band().
inline depth::book_snapshot live_snapshot(std::int64_t bid, std::int64_t ask,
                                          unsigned price_scale = 2,
                                          core::unix_nanos receive_time = fixture_now) {
  depth::book_snapshot s;
  s.status = book::book_status::live;
  s.ever_live = true;
  s.receive_time = receive_time;
  s.event_time = receive_time;
  s.publish_time = receive_time;
  s.bid_levels = 100;
  s.ask_levels = 120;
  s.depth.has_mid = true;
  s.depth.price_scale = price_scale;
  s.depth.qty_scale = 0;
  s.depth.best_bid = {bid, 1};
  s.depth.best_ask = {ask, 1};
  s.depth.mid2 = static_cast<core::int128>(bid) + ask;
  s.top_bid_count = 1;
  s.top_ask_count = 1;
  s.top_bids[0] = s.depth.best_bid;
  s.top_asks[0] = s.depth.best_ask;
  return s;
}

// Band `i` side `side`: quote notional in whole quote units (scaled to the snapshot's
// notional scale), complete or not. Raises band_count to cover `i`.
inline void set_band(depth::book_snapshot& s, std::size_t i, core::side side,
                     std::int64_t notional_units, bool complete = true) {
  auto& b = s.depth.bands[i].sides[static_cast<std::size_t>(side)];
  b.notional = static_cast<core::int128>(notional_units) *
               core::pow10_i128(s.depth.notional_scale());
  b.qty = 1;
  b.complete = complete;
  if (s.depth.band_count <= i) s.depth.band_count = i + 1;
}

// Rate rules as the config loader would give them.
inline config::rate_source fixed_rate(std::string currency, const char* rate) {
  config::rate_source r;
  r.currency = std::move(currency);
  r.fixed = core::parse_decimal(rate).value();
  return r;
}
inline config::rate_source reference_rate(std::string currency, core::venue v,
                                          std::string symbol, bool invert = false) {
  config::rate_source r;
  r.currency = std::move(currency);
  r.venue = v;
  r.symbol = std::move(symbol);
  r.invert = invert;
  return r;
}

// Board contents under construction; commit() swaps them into the board.
struct board_builder {
  feed::board::contents c;

  std::shared_ptr<feed::book_slot> book(core::venue v, std::string symbol, std::string base,
                                        std::string quote, core::decimal contract = {1, 0}) {
    auto s = std::make_shared<feed::book_slot>(
        feed::book_identity{v, std::move(symbol), std::move(base), std::move(quote), contract});
    c.books.push_back(s);
    return s;
  }
  std::shared_ptr<feed::feed_slot> feed(core::venue v) {
    auto s = std::make_shared<feed::feed_slot>(v);
    c.feeds.push_back(s);
    return s;
  }
  void commit(feed::board& b) { b.replace(std::make_shared<const feed::board::contents>(c)); }
};

// A board as a running daemon has it: `venues` venues with `books_per_venue` books each (base
// assets cycled over BTC, ETH, SOL and altcoins, quoted in USD and USDT), every default band
// filled (the widest ask incomplete on every third book, every seventh book syncing, every
// fifth with a resync), feeds with histogram samples; `baseline_csv` gets a baseline row for
// each band side of every other book. Deterministic.
inline void populate(feed::board& b, std::size_t venues, std::size_t books_per_venue,
                     std::string* baseline_csv = nullptr) {
  static const char* const bases[] = {"BTC", "ETH", "SOL", "XRP", "DOGE", "ADA", "AVAX", "LINK"};
  board_builder bb;
  if (baseline_csv) *baseline_csv = std::string(baseline::file_header) + "\n";
  std::size_t n = 0;
  for (std::size_t vi = 0; vi < venues; ++vi) {
    const core::venue v = core::all_venues[vi % core::all_venues.size()];
    auto f = bb.feed(v);
    for (std::size_t i = 0; i < books_per_venue; ++i, ++n) {
      const std::string base = bases[n % std::size(bases)];
      const std::string quote = n % 2 ? "USDT" : "USD";
      const std::string symbol = base + std::to_string(i) + quote;
      auto slot = bb.book(v, symbol, base, quote);
      const std::int64_t bid = 1'000'000 + static_cast<std::int64_t>(n) * 137;
      auto s = live_snapshot(bid, bid + 2);
      if (n % 7 == 3) s.status = book::book_status::syncing;
      if (n % 5 == 1) {
        s.counters.resyncs = 2;
        s.counters.resyncs_by_reason[0] = 1;
        s.counters.resyncs_by_reason[1] = 1;
      }
      const auto bands = depth::default_bands();
      for (std::size_t k = 0; k < bands.size(); ++k) {
        set_band(s, k, core::side::bid, static_cast<std::int64_t>((k + 1) * 10'000 + n));
        set_band(s, k, core::side::ask, static_cast<std::int64_t>((k + 1) * 11'000 + n),
                 !(k + 1 == bands.size() && n % 3 == 0));
        if (baseline_csv && n % 2 == 0)
          for (const char* sd : {"bid", "ask"})
            *baseline_csv += std::string(core::to_string(v)) + "," + symbol + "," + sd + "," +
                             bands[k].pct_text() + "," + std::to_string((k + 1) * 12'000) +
                             ",100,2025-10-01T00:00:00Z,2025-10-10T00:00:00Z\n";
      }
      s.impact_count = 2;
      s.impacts[0][0] = {true, 3.5, bid - 350};
      s.impacts[0][1] = {true, 4.25, bid + 425};
      s.impacts[1][0] = {n % 4 != 0, 40.0, bid - 4000};
      slot->snapshot.store(s);
    }
    feed::feed_status st;
    st.up = vi % 4 != 2;
    st.shards = 1;
    st.connections_open = 1;
    st.books_configured = static_cast<std::uint32_t>(books_per_venue);
    st.stats.frames = 1000 * (vi + 1);
    st.stats.disconnects = vi;
    f->status.store(st);
    for (std::int64_t k = 0; k < 200; ++k) {
      f->processing.observe(2'000 + k * 97);
      f->feed_latency.observe(1'000'000 + k * 50'000);
    }
  }
  bb.commit(b);
}

}  // namespace depthmon::testing
