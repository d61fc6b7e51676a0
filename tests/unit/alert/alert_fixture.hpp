// A tiny market for the alert tests: one binance feed with BTCUSDT and ETHUSDT and one coinbase
// feed with BTC-USD, bands ±1 % and ±2 %, a baseline of 1 000 000 USD for every ±2 % side of
// BTCUSDT and BTC-USD, USDT valued at 1. Tests set depth per book and take views at chosen
// times (time is injected, never read).
#pragma once

#include <memory>
#include <string>

#include "feed/published_view.hpp"
#include "support/published_fixture.hpp"

namespace depthmon::testing {

inline constexpr core::unix_nanos sec = 1'000'000'000;

struct alert_market {
  feed::board board;
  std::shared_ptr<feed::book_slot> btc, eth, cb;
  std::shared_ptr<feed::feed_slot> binance, coinbase;
  baseline::table base;
  std::unique_ptr<feed::usd_rates> rates;
  feed::view_settings settings;

  alert_market() {
    board_builder bb;
    binance = bb.feed(core::venue::binance);
    coinbase = bb.feed(core::venue::coinbase);
    btc = bb.book(core::venue::binance, "BTCUSDT", "BTC", "USDT");
    eth = bb.book(core::venue::binance, "ETHUSDT", "ETH", "USDT");
    cb = bb.book(core::venue::coinbase, "BTC-USD", "BTC", "USD");
    bb.commit(board);
    settings.bands = *depth::parse_bands("1,2");
    std::string csv = std::string(baseline::file_header) + "\n";
    for (const char* sym : {"binance,BTCUSDT", "coinbase,BTC-USD"})
      for (const char* side : {"bid", "ask"})
        csv += std::string(sym) + "," + side + ",2,1000000,100,2025-10-01T00:00:00Z,2025-10-10T00:00:00Z\n";
    std::vector<baseline::load_error> errors;
    (void)baseline::parse_baseline(csv, "test.csv", base, errors);
    rates = std::make_unique<feed::usd_rates>(std::vector<config::rate_source>{fixed_rate("USDT", "1")}, board);
    for (auto* f : {&binance, &coinbase}) feed_up(**f, true);
    set(btc, 1'000'000, 0);
    set(eth, 1'000'000, 0);
    set(cb, 1'000'000, 0);
  }

  static void feed_up(feed::feed_slot& f, bool up) {
    feed::feed_status st;
    st.up = up;
    st.shards = 1;
    st.connections_open = up;
    f.status.store(st);
  }

  // The ±2 % band (index 1) of `slot` at `usd` on both sides, received at `at`; `complete`
  // false marks it incomplete. ±1 % holds half of it.
  static void set(const std::shared_ptr<feed::book_slot>& slot, std::int64_t usd, core::unix_nanos at,
                  bool complete = true, std::int64_t spread_ticks = 2) {
    auto s = live_snapshot(6'000'000, 6'000'000 + spread_ticks, 2, at > 0 ? at : fixture_now);
    for (core::side sd : {core::side::bid, core::side::ask}) {
      set_band(s, 0, sd, usd / 2);
      set_band(s, 1, sd, usd, complete);
    }
    s.impact_count = 1;
    s.impacts[0][0] = {true, 3.0, 0};
    s.impacts[0][1] = {true, 3.0, 0};
    slot->snapshot.store(s);
  }

  feed::published_view view(core::unix_nanos now) const {
    return feed::take_view(board, *rates, &base, settings, now);
  }
};

}  // namespace depthmon::testing
