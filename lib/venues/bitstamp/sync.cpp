#include "venues/bitstamp/sync.hpp"

#include <algorithm>

namespace depthmon::venues::bitstamp {

using core::errc;

protocol::protocol(const protocol_options& opt)
    : venue_protocol(request::kind::fetch_snapshot), opt_(opt) {
  add_configured(books_, opt_);
}

core::status protocol::on_frame(core::padded_view frame, core::unix_nanos recv_time) {
  if (auto st = parse_frame(codec_, frame, msg_); !st) return st;
  switch (msg_.kind) {
    case msg_kind::control: note_subscription(); return control_frame();
    case msg_kind::reconnect:
      request_reconnect(errc::ok);
      return control_frame();
    case msg_kind::ignored:
    case msg_kind::snapshot:
    case msg_kind::error: return ignored_frame();
    case msg_kind::diff: break;
  }
  bitstamp_book* b = book_message_for(books_, msg_.pair, opt_, recv_time);
  if (!b) return {};
  diff_event ev;
  ev.microtimestamp = msg_.microtimestamp;
  ev.bids.assign(msg_.bids.begin(), msg_.bids.end());
  ev.asks.assign(msg_.asks.begin(), msg_.asks.end());
  on_diff(*b, std::move(ev));
  return {};
}

core::status protocol::on_snapshot(std::string_view symbol, core::padded_view body,
                                   core::unix_nanos recv_time) {
  if (auto st = codec_.parse_snapshot(body, snap_); !st) return st;
  if (snap_.kind == msg_kind::error) return {errc::unknown_message, "REST error body"};
  bitstamp_book* b = book_for(books_, symbol, opt_);
  if (!b) return {errc::unknown_symbol, "snapshot for a pair not configured"};
  ++b->counters.messages;
  b->last_receive_time = recv_time;
  snapshot_received(*b);  // the fetch asked for is done, whatever this snapshot turns out to be
  const std::uint64_t mts = snap_.microtimestamp;

  if (b->have_snapshot && mts < b->last_mts) {
    ++b->counters.dropped;  // older than the live book: nothing to gain
    return {};
  }
  const bool stale = b->discarded_mts != 0 ? mts < b->discarded_mts
                                           : (!b->buffer.empty() && mts < b->buffer.front().microtimestamp);
  if (stale) {
    // Diffs between this snapshot and the oldest one we hold may be missing: ask for a newer
    // snapshot and keep buffering.
    fail_book(*b, {errc::stale_snapshot, "snapshot older than the diffs it must align with"});
    return {};
  }
  if (!load_book_snapshot(*b, snap_.bids, snap_.asks)) return {};
  for (core::side s : {core::side::bid, core::side::ask}) {
    const auto& lv = s == core::side::bid ? snap_.bids : snap_.asks;
    const std::size_t n = b->book.size(s);
    if (opt_.snapshot_limit == 0 || lv.size() < opt_.snapshot_limit || n == 0)
      b->book.set_coverage(s, book::coverage::full_book());
    else
      b->book.set_coverage(s, book::coverage::down_to(b->book.nth(s, n - 1).price));
  }
  b->snapshot_mts = b->last_mts = mts;
  b->discarded_mts = 0;
  b->last_update_id = mts;
  b->last_event_time = core::from_micros(static_cast<std::int64_t>(mts));
  if (!finish_message(*b)) return {};
  std::deque<diff_event> buffered;
  buffered.swap(b->buffer);
  while (!buffered.empty()) {
    diff_event ev = std::move(buffered.front());
    buffered.pop_front();
    on_diff(*b, std::move(ev));
    if (!b->have_snapshot) {
      for (auto& rest : buffered) buffer_event(*b, std::move(rest));
      break;
    }
  }
  return {};
}

// A (un)subscription ack of a diff channel: the feed may snapshot a quiet pair once its diffs
// are sure to arrive (bitstamp_book::subscribed).
void protocol::note_subscription() {
  const std::string_view ev = msg_.event;
  const bool on = ev == "bts:subscription_succeeded";
  if (msg_.pair.empty() || (!on && ev != "bts:unsubscription_succeeded")) return;
  if (bitstamp_book* b = books_.find(msg_.pair)) b->subscribed = on;
}

bool protocol::subscription_confirmed(std::string_view symbol) const noexcept {
  const bitstamp_book* b = books_.find(symbol);
  return b && b->subscribed;
}

void protocol::buffer_event(bitstamp_book& b, diff_event&& ev) {
  if (b.buffer.size() >= opt_.max_buffered) {
    ++b.counters.dropped;
    if (b.buffer.empty()) {  // max_buffered == 0: nothing is kept
      b.discarded_mts = std::max(b.discarded_mts, ev.microtimestamp);
      return;
    }
    b.discarded_mts = std::max(b.discarded_mts, b.buffer.front().microtimestamp);
    b.buffer.pop_front();
  }
  b.buffer.push_back(std::move(ev));
}

void protocol::on_diff(bitstamp_book& b, diff_event&& ev) {
  if (!b.have_snapshot) {
    buffer_event(b, std::move(ev));
    return;
  }
  if (ev.microtimestamp <= b.snapshot_mts) {
    ++b.counters.dropped;  // the snapshot already contains it
    return;
  }
  if (ev.microtimestamp < b.last_mts) {
    fail_book(b, {errc::sequence_gap, "diff microtimestamp older than the last applied diff"});
    buffer_event(b, std::move(ev));
    return;
  }
  if (!apply_book_levels(b, ev.bids, ev.asks)) return;
  ++b.counters.updates_applied;
  b.last_mts = ev.microtimestamp;
  b.last_update_id = ev.microtimestamp;
  b.last_event_time = core::from_micros(static_cast<std::int64_t>(ev.microtimestamp));
  finish_message(b);
}

void protocol::on_book_restart(book::tracked_book& tb) {
  auto& b = static_cast<bitstamp_book&>(tb);  // every book of this protocol is a bitstamp_book
  b.snapshot_mts = b.last_mts = b.discarded_mts = 0;
  b.buffer.clear();
  b.subscribed = false;  // a restarted book is resubscribed (or its connection is gone)
}

}  // namespace depthmon::venues::bitstamp
