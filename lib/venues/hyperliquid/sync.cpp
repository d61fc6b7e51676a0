#include "venues/hyperliquid/sync.hpp"

namespace depthmon::venues::hyperliquid {

protocol::protocol(const settings& s, const protocol_options& opt) : settings_(s), opt_(opt) {
  set_recovery(std::nullopt);  // every l2Book message is the whole book
  add_configured(books_, opt_);
}

core::status protocol::on_frame(core::padded_view frame, core::unix_nanos recv_time) {
  ++counters_.frames;
  if (auto st = codec_.parse(frame, msg_); !st) return rejected(st);
  switch (msg_.kind) {
    case msg_kind::control:
      ++counters_.control;
      return {};
    case msg_kind::ignored:
      ++counters_.ignored;
      return {};
    case msg_kind::l2_book: break;
  }
  if (hl_book* b = book_message_for(books_, msg_.coin, opt_, recv_time)) on_l2_book(*b);
  return {};
}

void protocol::on_l2_book(hl_book& b) {
  if (msg_.has_time && b.have_time && msg_.time_ms < b.last_time_ms) {
    ++b.counters.dropped;  // older than the book we have: out of order
    return;
  }
  if (!load_book_snapshot(b, msg_.bids, msg_.asks)) return;
  if (msg_.has_time) {
    b.last_time_ms = msg_.time_ms;
    b.have_time = true;
    b.last_update_id = msg_.time_ms;
    b.last_event_time = core::from_millis(static_cast<std::int64_t>(msg_.time_ms));
  }
  for (core::side s : {core::side::bid, core::side::ask})
    b.book.set_coverage(s, book::coverage::top_n(settings_.levels));
  finish_message(b);
}

void protocol::on_book_restart(book::tracked_book& tb) {
  auto& b = static_cast<hl_book&>(tb);  // every book of this protocol is an hl_book
  b.have_time = false;
  b.last_time_ms = 0;
}

}  // namespace depthmon::venues::hyperliquid
