#include "venues/coinbase/advanced_trade_sync.hpp"

#include <algorithm>

namespace depthmon::venues::coinbase {

using core::errc;

advanced_trade_protocol::advanced_trade_protocol(const protocol_options& opt)
    : venue_protocol(request::kind::resubscribe), opt_(opt) {
  add_configured(books_, opt_);
}

book::tracked_book* advanced_trade_protocol::touch(std::string_view product,
                                                   core::unix_nanos recv_time) {
  book::tracked_book* b = book_for(books_, product, opt_);
  if (!b) {
    ++counters_.unknown_symbol;
    return nullptr;
  }
  if (std::find(touched_.begin(), touched_.end(), b) == touched_.end()) {
    touched_.push_back(b);
    ++b->counters.messages;
    b->last_receive_time = recv_time;
  }
  return b;
}

core::status advanced_trade_protocol::on_frame(core::padded_view frame,
                                               core::unix_nanos recv_time) {
  ++counters_.frames;
  if (auto st = codec_.parse(frame, msg_); !st) {
    if (st.code() == errc::unknown_message) {
      ++counters_.unknown;
      // A well-formed message on a channel we do not know still took its number on the
      // connection; nothing for books was in it. (An l2_data frame we cannot read is not
      // accounted: the next frame then shows the hole.)
      if (msg_.channel == at_channel::unknown && msg_.has_sequence)
        (void)check_sequence(msg_.sequence_num);
    } else {
      ++counters_.malformed;
    }
    return st;
  }
  if (msg_.has_sequence && check_sequence(msg_.sequence_num) == seq_verdict::stale) {
    // Lower or duplicate: already seen (or superseded); never applied.
    if (msg_.channel == at_channel::l2_data) count_stale_l2(recv_time);
    return {};
  }
  switch (msg_.channel) {
    case at_channel::l2_data:
      ++counters_.book_messages;
      on_l2_data(recv_time);
      return {};
    case at_channel::heartbeats:
    case at_channel::subscriptions:
    case at_channel::error:
      ++counters_.control;
      return {};
    case at_channel::other:
      ++counters_.ignored;
      return {};
    case at_channel::unknown:
      break;
  }
  return {errc::unknown_message, "unknown channel"};
}

advanced_trade_protocol::seq_verdict advanced_trade_protocol::check_sequence(std::uint64_t seq) {
  if (!last_seq_) {
    // First numbered message on this connection: the baseline (normally 0).
    last_seq_ = seq;
    ++seq_counters_.in_order;
    return seq_verdict::accepted;
  }
  if (seq <= *last_seq_) {
    ++seq_counters_.stale;
    return seq_verdict::stale;
  }
  const std::uint64_t missing = seq - *last_seq_ - 1;
  last_seq_ = seq;
  ++seq_counters_.in_order;
  if (missing == 0) return seq_verdict::accepted;
  ++seq_counters_.gaps;
  seq_counters_.lost += missing;
  connection_lost();
  return seq_verdict::gap;
}

void advanced_trade_protocol::connection_lost() {
  // The lost messages may have carried book data for any product of the connection.
  const core::error why{errc::sequence_gap, "sequence_num jumped: messages lost on the connection"};
  for (const auto& b : books_.all()) {
    if (!b->have_snapshot && !b->live()) continue;  // already waiting for a snapshot
    b->invalidate(why);
    notify_updated(*b);
  }
  request_reconnect(errc::sequence_gap);
}

void advanced_trade_protocol::count_stale_l2(core::unix_nanos recv_time) {
  touched_.clear();
  for (const auto& ev : msg_.events)
    if (auto* b = touch(ev.product_id, recv_time)) ++b->counters.dropped;
}

void advanced_trade_protocol::on_l2_data(core::unix_nanos recv_time) {
  touched_.clear();
  for (const auto& ev : msg_.events) {
    book::tracked_book* b = touch(ev.product_id, recv_time);
    if (!b) continue;
    if (ev.type == at_event_type::snapshot) apply_snapshot(*b, ev);
    else apply_update(*b, ev);
  }
  // Integrity is judged on the complete message.
  for (book::tracked_book* b : touched_)
    if (b->have_snapshot) finish_message(*b);  // else nothing applied, or failed and reported
}

void advanced_trade_protocol::apply_snapshot(book::tracked_book& b, const at_book_event& ev) {
  scratch_bids_.clear();
  scratch_asks_.clear();
  for (std::size_t i = ev.first; i < ev.first + ev.count; ++i) {
    const at_level& l = msg_.levels[i];
    (l.side == core::side::bid ? scratch_bids_ : scratch_asks_).push_back(l.level);
  }
  // A bulk load: the book sorts each side once, whatever the wire order.
  if (!load_book_snapshot(b, scratch_bids_, scratch_asks_)) return;
  b.book.set_coverage(core::side::bid, book::coverage::full_book());
  b.book.set_coverage(core::side::ask, book::coverage::full_book());
  b.last_update_id = msg_.sequence_num;
  b.last_event_time = msg_.timestamp;
}

void advanced_trade_protocol::apply_update(book::tracked_book& b, const at_book_event& ev) {
  if (!b.have_snapshot) {
    ++b.counters.dropped;  // no snapshot to apply it to
    return;
  }
  for (std::size_t i = ev.first; i < ev.first + ev.count; ++i) {
    const at_level& l = msg_.levels[i];
    if (auto st = b.book.set(l.side, l.level.price, l.level.qty); !st) {
      fail_book(b, st.err());
      return;
    }
  }
  ++b.counters.updates_applied;
  b.last_update_id = msg_.sequence_num;
  b.last_event_time = msg_.timestamp;
}

}  // namespace depthmon::venues::coinbase
