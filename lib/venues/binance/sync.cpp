#include "venues/binance/sync.hpp"

#include <algorithm>


namespace depthmon::venues::binance {

using core::errc;

namespace {
constexpr std::size_t k_max_pending_tickers = 1024;
// Partials come every 100 ms and just ahead of their event; a few are plenty.
constexpr std::size_t k_max_pending_partials = 64;

depth_event event_of(const message& m) noexcept {
  depth_event ev;
  ev.first_id = m.first_update_id;
  ev.final_id = m.final_update_id;
  ev.prev_final_id = m.prev_final_update_id;
  ev.has_prev = m.has_prev;
  ev.event_time_ms = m.event_time_ms;
  ev.bids = m.bids;
  ev.asks = m.asks;
  return ev;
}

bool same(const wire_level& w, const book::level& l, unsigned ps, unsigned qs) noexcept {
  return core::compare_scaled(w.price.mantissa, w.price.scale, l.price, ps) == 0 &&
         core::compare_scaled(w.qty.mantissa, w.qty.scale, l.qty, qs) == 0;
}

// A partial side asked for `levels` levels shows min(levels, side size) of the best: the same
// levels in the same order, and no fewer than the book holds unless it is cut at `levels`.
bool same_side(std::span<const wire_level> partial, std::uint32_t levels,
               const std::vector<book::level>& top, unsigned ps, unsigned qs) noexcept {
  if (partial.size() > top.size()) return false;
  if (partial.size() < levels && partial.size() != top.size()) return false;
  for (std::size_t i = 0; i < partial.size(); ++i)
    if (!same(partial[i], top[i], ps, qs)) return false;
  return true;
}
}  // namespace

protocol::protocol(market m, const protocol_options& opt)
    : venue_protocol(request::kind::fetch_snapshot), market_(m), opt_(opt) {
  add_configured(books_, opt_);
}

binance_book* protocol::book_for(std::string_view symbol) {
  return venue_protocol::book_for(books_, symbol, opt_);
}

core::status protocol::on_frame(core::padded_view frame, core::unix_nanos recv_time) {
  if (auto st = parse_frame(codec_, frame, msg_); !st) return st;
  switch (msg_.kind) {
    case msg_kind::depth_update:
    case msg_kind::book_ticker: {
      binance_book* b = book_message_for(books_, msg_.symbol, opt_, recv_time);
      if (!b) return {};  // understood; not ours
      if (msg_.kind == msg_kind::book_ticker) {
        on_ticker(*b, top_of_book{msg_.final_update_id, msg_.best_bid, msg_.best_ask});
      } else {
        on_depth(*b, event_of(msg_));
      }
      return {};
    }
    case msg_kind::partial_depth: {
      binance_book* b = book_message_for(books_, msg_.symbol, opt_, recv_time);
      if (!b) return {};
      on_partial(*b, msg_);
      return {};
    }
    case msg_kind::depth_snapshot:
      // A raw-stream partial names no symbol; a REST body on the socket is not Binance.
      return ignored_frame();
    case msg_kind::subscription:
    case msg_kind::error:
      return control_frame();
    case msg_kind::server_shutdown:
      // Planned: the feed replaces the connection before this one is cut.
      request_reconnect(errc::ok);
      return control_frame();
    case msg_kind::ignored:
      ++counters_.ignored;
      if (!msg_.symbol.empty())
        if (auto* b = books_.find(msg_.symbol)) ++b->counters.messages;
      return {};
  }
  return {};
}

core::status protocol::on_snapshot(std::string_view symbol, core::padded_view body,
                                   core::unix_nanos recv_time) {
  message snap;
  if (auto st = codec_.parse_snapshot(body, snap); !st) return st;
  if (snap.kind == msg_kind::error) return {errc::unknown_message, "REST error body"};
  binance_book* b = book_for(symbol);
  if (!b) return {errc::unknown_symbol, "snapshot for a symbol not configured"};
  // Any snapshot body answers the pending fetch, even one that then fails to load: a later
  // failure may ask again.
  snapshot_received(*b);
  ++b->counters.messages;
  b->last_receive_time = recv_time;
  if (auto st = load_snapshot(b->book, snap.bids, snap.asks); !st) {
    resync(*b, st.err());
    return {};
  }
  ++b->counters.snapshots;
  // A snapshot asked for N levels that returned fewer shows the whole side; otherwise the side
  // is known only down to its deepest level.
  for (core::side s : {core::side::bid, core::side::ask}) {
    const auto& lv = s == core::side::bid ? snap.bids : snap.asks;
    const std::size_t n = b->book.size(s);
    if ((opt_.snapshot_limit > 0 && lv.size() < opt_.snapshot_limit) || n == 0)
      b->book.set_coverage(s, book::coverage::full_book());
    else
      b->book.set_coverage(s, book::coverage::down_to(b->book.nth(s, n - 1).price));
  }
  b->have_snapshot = true;
  b->first_pending = true;
  b->status = book::book_status::syncing;
  b->last_update_id = snap.final_update_id;
  // The snapshot is the book at its lastUpdateId: messages for that id (waiting, or still to
  // come) are checked against it. Its top levels are always kept: snapshots are rare.
  b->recent.clear();
  const book_state_at& at_snapshot = record_state(*b, snap.final_update_id, true);
  // Align the buffered events by the same rules as live ones.
  std::deque<buffered_event> buffered;
  buffered.swap(b->buffer);
  if (!check_pending(*b, at_snapshot)) {
    // A spot check proved the snapshot's book wrong: the events wait for the next snapshot.
    for (const auto& ev : buffered) buffer_event(*b, ev.view());
    notify_updated(*b);
    return {};
  }
  for (auto it = buffered.begin(); it != buffered.end(); ++it) {
    on_depth(*b, it->view());
    if (!b->have_snapshot) {
      // The snapshot turned out stale or a gap was found: keep the rest for the next one.
      for (auto rest = std::next(it); rest != buffered.end(); ++rest) buffer_event(*b, rest->view());
      break;
    }
  }
  notify_updated(*b);
  return {};
}

void protocol::buffer_event(binance_book& b, const depth_event& ev) {
  if (b.buffer.size() >= opt_.max_buffered) {
    b.buffer.pop_front();
    ++b.counters.dropped;
  }
  b.buffer.emplace_back(ev);
}

void protocol::on_depth(binance_book& b, const depth_event& ev) {
  if (!b.have_snapshot) {
    buffer_event(b, ev);
    return;
  }
  const std::uint64_t id = *b.last_update_id;
  if (market_ == market::spot) {
    if (ev.final_id <= id) {
      ++b.counters.dropped;
      return;
    }
    if (b.first_pending) {
      if (ev.first_id > id + 1) {
        // The snapshot predates the stream: fetch a newer one, keep this event.
        resync(b, {errc::stale_snapshot, "first event U > lastUpdateId + 1"});
        buffer_event(b, ev);
        return;
      }
    } else if (ev.first_id > id + 1) {
      resync(b, {errc::sequence_gap, "U > previous u + 1"});
      buffer_event(b, ev);
      return;
    }
  } else {
    if (ev.final_id < id) {
      ++b.counters.dropped;
      return;
    }
    if (b.first_pending) {
      if (!(ev.first_id <= id && id <= ev.final_id)) {
        resync(b, {errc::stale_snapshot, "first event does not contain lastUpdateId"});
        buffer_event(b, ev);
        return;
      }
    } else if (!ev.has_prev || ev.prev_final_id != id) {
      resync(b, {errc::sequence_gap, "pu != previous u"});
      buffer_event(b, ev);
      return;
    }
  }
  apply(b, ev);
}

void protocol::apply(binance_book& b, const depth_event& ev) {
  core::status st = apply_levels(b.book, core::side::bid, ev.bids);
  if (st) st = apply_levels(b.book, core::side::ask, ev.asks);
  if (!st) {
    resync(b, st.err());
    return;
  }
  b.last_update_id = ev.final_id;
  b.last_event_time = core::from_millis(ev.event_time_ms);
  b.first_pending = false;
  ++b.counters.updates_applied;
  if (b.book.crossed() || b.book.locked()) {
    ++b.counters.crossed;
    resync(b, {errc::crossed_book, "best bid >= best ask after update"});
    return;
  }
  b.status = book::book_status::live;
  if (!check_pending(b, record_state(b, ev.final_id, b.partials_seen))) return;
  notify_updated(b);
}

const book_state_at& protocol::record_state(binance_book& b, std::uint64_t update_id,
                                            bool with_top) {
  book_state_at& s = b.recent.push_slot();  // reuses the evicted state's vectors
  s.update_id = update_id;
  s.price_scale = b.book.price_scale();
  s.qty_scale = b.book.qty_scale();
  const auto bb = b.book.best(core::side::bid), ba = b.book.best(core::side::ask);
  s.bid = bb ? *bb : book::level{};
  s.ask = ba ? *ba : book::level{};
  s.has_top = with_top;
  if (s.has_top) {
    b.book.top(core::side::bid, k_max_partial_levels, s.top_bids);
    b.book.top(core::side::ask, k_max_partial_levels, s.top_asks);
  }
  return s;
}

// Messages that arrived before the state `s`: older ones can never match now; those for its id
// are compared. False when a check resynced the book.
bool protocol::check_pending(binance_book& b, const book_state_at& s) {
  while (!b.pending_tickers.empty() && b.pending_tickers.front().update_id < s.update_id)
    b.pending_tickers.pop_front();
  if (!b.pending_tickers.empty() && b.pending_tickers.front().update_id == s.update_id) {
    const top_of_book t = b.pending_tickers.front();
    b.pending_tickers.pop_front();
    check_bbo(b, t, s);
    if (!b.have_snapshot) return false;
  }
  while (!b.pending_partials.empty() && b.pending_partials.front().update_id < s.update_id)
    b.pending_partials.pop_front();
  if (!b.pending_partials.empty() && b.pending_partials.front().update_id == s.update_id) {
    const partial_book p = std::move(b.pending_partials.front());
    b.pending_partials.pop_front();
    check_partial(b, p.levels, p.bids, p.asks, s);
    if (!b.have_snapshot) return false;
  }
  return true;
}

void protocol::on_ticker(binance_book& b, const top_of_book& t) {
  if (b.have_snapshot && b.last_update_id && t.update_id <= *b.last_update_id) {
    // The matching state (if any) is already known: look it up among the recent ones.
    if (const auto* s = b.recent.find_if([&](const book_state_at& x) { return x.update_id == t.update_id; }))
      check_bbo(b, t, *s);
    return;
  }
  if (b.pending_tickers.size() >= k_max_pending_tickers) b.pending_tickers.pop_front();
  b.pending_tickers.push_back(t);
}

void protocol::on_partial(binance_book& b, const message& m) {
  b.partials_seen = true;
  const std::uint64_t id = m.final_update_id;
  if (b.have_snapshot && b.last_update_id && id <= *b.last_update_id) {
    auto* s = b.recent.find_if([&](const book_state_at& x) { return x.update_id == id; });
    if (s && !s->has_top && id == *b.last_update_id) {
      // The first partial on this book, right after its event: the book is still that state.
      b.book.top(core::side::bid, k_max_partial_levels, s->top_bids);
      b.book.top(core::side::ask, k_max_partial_levels, s->top_asks);
      s->has_top = true;
    }
    // Not found: older than the snapshot, or evicted. No top: the first partial on this book
    // came more than one event late. Either way there is nothing exact to compare with.
    if (s && s->has_top) check_partial(b, m.partial_levels, m.bids, m.asks, *s);
    return;
  }
  if (b.pending_partials.size() >= k_max_pending_partials) b.pending_partials.pop_front();
  b.pending_partials.push_back(partial_book{id, m.partial_levels, m.bids, m.asks});
}

void protocol::check_bbo(binance_book& b, const top_of_book& t, const book_state_at& a) {
  const bool ok = same(t.bid, a.bid, a.price_scale, a.qty_scale) &&
                  same(t.ask, a.ask, a.price_scale, a.qty_scale);
  if (ok) {
    ++b.counters.bbo_checks_passed;
    return;
  }
  ++b.counters.bbo_checks_failed;
  if (market_ == market::spot) resync(b, {errc::checksum_mismatch, "bookTicker differs from book"});
}

void protocol::check_partial(binance_book& b, std::uint32_t levels,
                             std::span<const wire_level> bids, std::span<const wire_level> asks,
                             const book_state_at& s) {
  const bool ok = same_side(bids, levels, s.top_bids, s.price_scale, s.qty_scale) &&
                  same_side(asks, levels, s.top_asks, s.price_scale, s.qty_scale);
  if (ok) {
    ++b.counters.partial_checks_passed;
    return;
  }
  ++b.counters.partial_checks_failed;
  if (market_ == market::spot)
    resync(b, {errc::checksum_mismatch, "depth partial differs from book"});
}

// Every kept state and waiting message belongs to the book content that is being replaced.
void protocol::forget_states(binance_book& b) {
  b.pending_tickers.clear();
  b.pending_partials.clear();
  b.recent.clear();
}

void protocol::resync(binance_book& b, core::error why) {
  b.first_pending = false;
  forget_states(b);
  fail_book(b, why);
}

void protocol::on_book_restart(book::tracked_book& tb) {
  auto& b = static_cast<binance_book&>(tb);
  b.first_pending = false;
  b.buffer.clear();
  forget_states(b);
}

}  // namespace depthmon::venues::binance
