#include "venues/bitstamp/sync.hpp"

#include <algorithm>

#include "venues/bitstamp/subscribe.hpp"

namespace depthmon::venues::bitstamp {

using core::errc;

protocol::protocol(const protocol_options& opt) : opt_(opt) {
  for (const auto& pair : opt_.symbols) register_book(books_.add(pair));
}

bitstamp_book* protocol::book_for(std::string_view pair) {
  return venue_protocol::book_for(books_, pair, opt_);
}

core::status protocol::on_frame(core::padded_view frame, core::unix_nanos recv_time) {
  ++counters_.frames;
  if (auto st = codec_.parse(frame, msg_); !st) return rejected(st);
  switch (msg_.kind) {
    case msg_kind::control:
      ++counters_.control;
      return {};
    case msg_kind::reconnect:
      ++counters_.control;
      requests_.push_back({request::kind::reconnect, {}, errc::ok, {}});
      return {};
    case msg_kind::ignored:
    case msg_kind::snapshot:
    case msg_kind::error:
      ++counters_.ignored;
      return {};
    case msg_kind::diff: break;
  }
  bitstamp_book* b = book_for(msg_.pair);
  if (!b) {
    ++counters_.unknown_symbol;
    return {};
  }
  ++counters_.book_messages;
  ++b->counters.messages;
  b->last_receive_time = recv_time;
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
  bitstamp_book* b = book_for(symbol);
  if (!b) return {errc::unknown_symbol, "snapshot for a pair not configured"};
  ++b->counters.messages;
  b->last_receive_time = recv_time;
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
    resync(*b, {errc::stale_snapshot, "snapshot older than the diffs it must align with"});
    return {};
  }
  if (auto st = load_snapshot(b->book, snap_.bids, snap_.asks); !st) {
    resync(*b, {errc::precision_loss, st.err().detail});
    return {};
  }
  ++b->counters.snapshots;
  for (core::side s : {core::side::bid, core::side::ask}) {
    const auto& lv = s == core::side::bid ? snap_.bids : snap_.asks;
    const std::size_t n = b->book.size(s);
    if (opt_.snapshot_limit == 0 || lv.size() < opt_.snapshot_limit || n == 0)
      b->book.set_coverage(s, book::coverage::full_book());
    else
      b->book.set_coverage(s, book::coverage::down_to(b->book.nth(s, n - 1).price));
  }
  b->have_snapshot = true;
  b->snapshot_mts = b->last_mts = mts;
  b->discarded_mts = 0;
  b->last_update_id = mts;
  b->last_event_time = core::from_micros(static_cast<std::int64_t>(mts));
  if (b->book.crossed() || b->book.locked()) {
    ++b->counters.crossed;
    resync(*b, {errc::crossed_book, "REST snapshot is crossed"});
    return {};
  }
  b->status = book::book_status::live;
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
  notify_updated(*b);
  return {};
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
    resync(b, {errc::sequence_gap, "diff microtimestamp older than the last applied diff"});
    buffer_event(b, std::move(ev));
    return;
  }
  core::status st = apply_levels(b.book, core::side::bid, ev.bids);
  if (st) st = apply_levels(b.book, core::side::ask, ev.asks);
  if (!st) {
    resync(b, {errc::precision_loss, st.err().detail});
    return;
  }
  ++b.counters.updates_applied;
  b.last_mts = ev.microtimestamp;
  b.last_update_id = ev.microtimestamp;
  b.last_event_time = core::from_micros(static_cast<std::int64_t>(ev.microtimestamp));
  if (b.book.crossed() || b.book.locked()) {
    ++b.counters.crossed;
    resync(b, {errc::crossed_book, "best bid >= best ask after a diff"});
    return;
  }
  b.status = book::book_status::live;
  notify_updated(b);
}

void protocol::resync(bitstamp_book& b, core::error why) {
  b.have_snapshot = false;
  fail_book(b, why, request::kind::fetch_snapshot);
}

std::vector<std::string> protocol::subscribe_messages() const {
  std::vector<std::string> out;
  out.reserve(opt_.symbols.size());
  for (const auto& pair : opt_.symbols) out.push_back(subscribe_message(pair));
  return out;
}

std::vector<std::string> protocol::unsubscribe_messages(std::string_view symbol) const {
  return {unsubscribe_message(symbol)};
}

void protocol::on_disconnect() {
  for (const auto& b : books_.all()) {
    b->have_snapshot = false;
    b->snapshot_mts = b->last_mts = b->discarded_mts = 0;
    b->buffer.clear();
    b->restart();
    notify_updated(*b);
  }
}

core::result<std::unique_ptr<venue_protocol>> create_protocol(const protocol_options& opt) {
  if (!opt.settings.empty())
    return {errc::invalid_argument,
            "bitstamp takes no venue settings (use snapshot_limit / --snapshot-limit)"};
  for (const auto& pair : opt.symbols)
    if (pair.empty()) return {errc::invalid_argument, "bitstamp: empty pair"};
  return std::unique_ptr<venue_protocol>(std::make_unique<protocol>(opt));
}

}  // namespace depthmon::venues::bitstamp
