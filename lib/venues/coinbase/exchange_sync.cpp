#include "venues/coinbase/exchange_sync.hpp"

namespace depthmon::venues::coinbase {

exchange_protocol::exchange_protocol(const protocol_options& opt)
    : venue_protocol(request::kind::resubscribe), opt_(opt) {
  add_configured(books_, opt_);
}

core::status exchange_protocol::on_frame(core::padded_view frame, core::unix_nanos recv_time) {
  if (auto st = parse_frame(codec_, frame, msg_); !st) return st;
  switch (msg_.kind) {
    case ex_kind::snapshot:
    case ex_kind::l2update:
      if (auto* b = book_message_for(books_, msg_.product_id, opt_, recv_time)) {
        if (msg_.kind == ex_kind::snapshot) on_snapshot_message(*b);
        else on_l2update(*b);
      }
      return {};
    case ex_kind::subscriptions:
    case ex_kind::heartbeat:
    case ex_kind::error:
      ++counters_.control;
      break;
    case ex_kind::ignored:
      ++counters_.ignored;
      break;
  }
  if (!msg_.product_id.empty())
    if (auto* b = books_.find(msg_.product_id)) ++b->counters.messages;
  return {};
}

void exchange_protocol::on_snapshot_message(book::tracked_book& b) {
  // The whole book, best first: coverage full on both sides.
  if (!load_book_snapshot(b, msg_.bids, msg_.asks)) return;
  b.book.set_coverage(core::side::bid, book::coverage::full_book());
  b.book.set_coverage(core::side::ask, book::coverage::full_book());
  b.last_event_time = msg_.time;
  finish_message(b);
}

void exchange_protocol::on_l2update(book::tracked_book& b) {
  if (!b.have_snapshot) {
    ++b.counters.dropped;  // before its snapshot (or after a failure): nothing to apply it to
    return;
  }
  for (const auto& c : msg_.changes) {
    if (auto st = b.book.set(c.side, c.level.price, c.level.qty); !st) {
      fail_book(b, st.err());
      return;
    }
  }
  ++b.counters.updates_applied;
  b.last_event_time = msg_.time;
  finish_message(b);
}

}  // namespace depthmon::venues::coinbase
