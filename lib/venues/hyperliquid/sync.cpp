#include "venues/hyperliquid/sync.hpp"

namespace depthmon::venues::hyperliquid {

// Nothing to request on a failure: every l2Book message is the whole book.
protocol::protocol(const settings& s, const protocol_options& opt)
    : venue_protocol(std::nullopt), settings_(s), opt_(opt) {
  add_configured(books_, opt_);
}

core::status protocol::on_frame(core::padded_view frame, core::unix_nanos recv_time) {
  if (auto st = parse_frame(codec_, frame, msg_); !st) return st;
  switch (msg_.kind) {
    case msg_kind::control: return control_frame();
    case msg_kind::ignored: return ignored_frame();
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
