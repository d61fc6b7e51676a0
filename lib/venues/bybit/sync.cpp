#include "venues/bybit/sync.hpp"

namespace depthmon::venues::bybit {

using core::errc;

protocol::protocol(const settings& s, const protocol_options& opt)
    : venue_protocol(request::kind::resubscribe), settings_(s), opt_(opt) {
  add_configured(books_, opt_);
  for (const auto& b : books_.all()) b->depth = settings_.depth;
}

bybit_book* protocol::book_for(std::string_view symbol) {
  const bool known = books_.find(symbol) != nullptr;
  bybit_book* b = venue_protocol::book_for(books_, symbol, opt_);
  if (b && !known) b->depth = settings_.depth;
  return b;
}

core::status protocol::on_frame(core::padded_view frame, core::unix_nanos recv_time) {
  if (auto st = parse_frame(codec_, frame, msg_); !st) return st;
  switch (msg_.kind) {
    case msg_kind::control: return control_frame();
    case msg_kind::ignored: return ignored_frame();
    case msg_kind::book_snapshot:
    case msg_kind::book_delta: break;
  }
  if (settings_.depth != 0 && msg_.depth != settings_.depth) {
    ++counters_.ignored;  // another depth's topic: not the one we keep
    return {};
  }
  bybit_book* b = book_for(msg_.symbol);
  if (!b) {
    ++counters_.unknown_symbol;
    return {};
  }
  if (b->depth == 0) b->depth = msg_.depth;
  if (msg_.depth != b->depth) {
    ++counters_.ignored;
    return {};
  }
  ++counters_.book_messages;
  ++b->counters.messages;
  b->last_receive_time = recv_time;
  on_book_message(*b);
  return {};
}

void protocol::on_book_message(bybit_book& b) {
  if (msg_.kind == msg_kind::book_snapshot || msg_.update_id == 1) {
    // A snapshot, or u == 1 (service restart): replaces the book, no continuity check.
    if (!load_book_snapshot(b, msg_.bids, msg_.asks)) return;
  } else {
    if (!b.have_snapshot || !b.last_update_id) {
      ++b.counters.dropped;  // no snapshot yet (or since the last failure)
      return;
    }
    const std::uint64_t last = *b.last_update_id;
    if (msg_.update_id != last + 1) {
      fail_book(b, {errc::sequence_gap, msg_.update_id > last
                                            ? "u skipped: gap after previous u"
                                            : "u not above previous u: duplicate or out of order"});
      return;
    }
    if (!apply_book_levels(b, msg_.bids, msg_.asks)) return;
    ++b.counters.updates_applied;
  }
  b.last_update_id = msg_.update_id;
  b.last_event_time = core::from_millis(msg_.cts_ms != 0 ? msg_.cts_ms : msg_.ts_ms);
  b.book.truncate(b.depth);
  for (core::side s : {core::side::bid, core::side::ask})
    b.book.set_coverage(s, book::coverage::top_n(b.depth));
  finish_message(b);
}

}  // namespace depthmon::venues::bybit
