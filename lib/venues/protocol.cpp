#include "venues/protocol.hpp"

#include <algorithm>

namespace depthmon::venues {

book::tracked_book* venue_protocol::find_book(std::string_view symbol) const noexcept {
  for (auto* tb : book_ptrs_)
    if (tb->symbol == symbol) return tb;
  return nullptr;
}

void venue_protocol::register_book(book::tracked_book* tb) {
  book_ptrs_.push_back(tb);
  if (listener_) listener_->on_book_created(*tb);
}

core::status venue_protocol::on_snapshot(std::string_view, core::padded_view, core::unix_nanos) {
  return {core::errc::invalid_argument, "this venue's books start from its websocket snapshot"};
}

std::vector<std::string> venue_protocol::subscribe_messages() const {
  if (!spec_ || configured_.empty()) return {};
  return spec_->connect(configured_).frames;
}

std::vector<std::string> venue_protocol::unsubscribe_messages(std::string_view symbol) const {
  if (!spec_) return {};
  return spec_->unsubscribe_one(symbol);
}

void venue_protocol::on_disconnect() {
  recovery_state_.clear();
  reconnect_pending_ = false;
  on_connection_restart();
  for (auto* tb : book_ptrs_) restart_book(*tb);
}

void venue_protocol::restart_book(book::tracked_book& tb) {
  on_book_restart(tb);
  tb.restart();
  notify_updated(tb);
}

void venue_protocol::recovery_done(std::string_view symbol) noexcept {
  if (auto* tb = find_book(symbol))
    if (auto it = recovery_state_.find(tb); it != recovery_state_.end()) it->second.pending = false;
}

void venue_protocol::snapshot_received(book::tracked_book& tb) noexcept {
  if (auto it = recovery_state_.find(&tb); it != recovery_state_.end()) it->second.pending = false;
}

bool venue_protocol::load_book_snapshot(book::tracked_book& tb, std::span<const wire_level> bids,
                                        std::span<const wire_level> asks) {
  snapshot_received(tb);
  if (auto st = load_snapshot(tb.book, bids, asks); !st) {
    fail_book(tb, st.err());
    return false;
  }
  tb.have_snapshot = true;
  ++tb.counters.snapshots;
  return true;
}

bool venue_protocol::apply_book_levels(book::tracked_book& tb, std::span<const wire_level> bids,
                                       std::span<const wire_level> asks) {
  core::status st = apply_levels(tb.book, core::side::bid, bids);
  if (st) st = apply_levels(tb.book, core::side::ask, asks);
  if (!st) {
    fail_book(tb, st.err());
    return false;
  }
  return true;
}

bool venue_protocol::finish_message(book::tracked_book& tb) {
  if (tb.book.crossed() || tb.book.locked()) {
    ++tb.counters.crossed;
    if (crossed_policy_ == crossed_policy::hold) {
      tb.status = book::book_status::crossed;
      notify_updated(tb);
    } else {
      fail_book(tb, {core::errc::crossed_book, "best bid >= best ask after a complete message"});
    }
    return false;
  }
  tb.status = book::book_status::live;
  notify_updated(tb);
  return true;
}

void venue_protocol::fail_book(book::tracked_book& tb, core::error why, request::kind recovery) {
  tb.invalidate(why);
  queue_recovery(tb, recovery, why.code);
  notify_updated(tb);
}

void venue_protocol::fail_book(book::tracked_book& tb, core::error why) {
  tb.invalidate(why);
  if (recovery_) queue_recovery(tb, *recovery_, why.code);
  notify_updated(tb);
}

void venue_protocol::request_reconnect(core::errc reason) {
  if (reconnect_pending_) {
    ++counters_.recoveries_suppressed;
    return;
  }
  reconnect_pending_ = true;
  ++counters_.recoveries;
  requests_.push_back({request::kind::reconnect, {}, reason, {}, 0});
}

void venue_protocol::queue_recovery(book::tracked_book& tb, request::kind k, core::errc reason) {
  recovery_state& st = recovery_state_[&tb];
  const core::unix_nanos now = tb.last_receive_time;
  // Still pending: no snapshot since the request, not reported done, not presumed lost.
  if (st.pending && tb.counters.snapshots == st.snapshots_at_request &&
      now - st.requested_at < policy_.pending_timeout) {
    ++counters_.recoveries_suppressed;
    return;
  }
  core::unix_nanos delay = 0;
  if (st.streak > 0 && now - st.requested_at < policy_.window) {
    delay = policy_.first_retry;
    for (std::uint32_t i = 1; i < st.streak && delay < policy_.max_retry; ++i) delay *= 2;
    delay = std::min(delay, policy_.max_retry);
    ++st.streak;
  } else {
    st.streak = 1;
  }
  const core::unix_nanos not_before = std::max(now + delay, venue_next_);
  venue_next_ = not_before + policy_.venue_spacing;
  st.pending = true;
  st.snapshots_at_request = tb.counters.snapshots;
  st.requested_at = now;
  ++counters_.recoveries;
  requests_.push_back({k, tb.symbol, reason, {}, not_before});
}

}  // namespace depthmon::venues
