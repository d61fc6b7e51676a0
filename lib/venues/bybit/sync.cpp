#include "venues/bybit/sync.hpp"

#include "venues/bybit/subscribe.hpp"

namespace depthmon::venues::bybit {

using core::errc;

protocol::protocol(const settings& s, const protocol_options& opt) : settings_(s), opt_(opt) {
  for (const auto& sym : opt_.symbols) {
    auto* b = books_.add(sym);
    b->depth = settings_.depth;
    register_book(b);
  }
}

bybit_book* protocol::book_for(std::string_view symbol) {
  if (auto* b = books_.find(symbol)) return b;
  if (!opt_.symbols.empty()) return nullptr;
  auto* b = books_.add(std::string(symbol));
  b->depth = settings_.depth;
  register_book(b);
  return b;
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
  const bool restart = msg_.update_id == 1;
  if (msg_.kind == msg_kind::book_snapshot || restart) {
    if (auto st = load_snapshot(b.book, msg_.bids, msg_.asks); !st) {
      resync(b, {errc::precision_loss, st.err().detail});
      return;
    }
    ++b.counters.snapshots;
    b.have_snapshot = true;
  } else {
    if (!b.have_snapshot || !b.last_update_id) {
      ++b.counters.dropped;  // no snapshot yet (or since the last failure)
      return;
    }
    const std::uint64_t last = *b.last_update_id;
    if (msg_.update_id != last + 1) {
      resync(b, {errc::sequence_gap, msg_.update_id > last
                                         ? "u skipped: gap after previous u"
                                         : "u not above previous u: duplicate or out of order"});
      return;
    }
    core::status st = apply_levels(b.book, core::side::bid, msg_.bids);
    if (st) st = apply_levels(b.book, core::side::ask, msg_.asks);
    if (!st) {
      resync(b, {errc::precision_loss, st.err().detail});
      return;
    }
    ++b.counters.updates_applied;
  }
  b.last_update_id = msg_.update_id;
  b.last_event_time = core::from_millis(msg_.cts_ms != 0 ? msg_.cts_ms : msg_.ts_ms);
  b.book.truncate(b.depth);
  for (core::side s : {core::side::bid, core::side::ask})
    b.book.set_coverage(s, book::coverage::top_n(b.depth));
  if (b.book.crossed() || b.book.locked()) {
    ++b.counters.crossed;
    resync(b, {errc::crossed_book, "best bid >= best ask after a complete message"});
    return;
  }
  b.status = book::book_status::live;
  notify_updated(b);
}

void protocol::resync(bybit_book& b, core::error why) {
  b.have_snapshot = false;
  fail_book(b, why, request::kind::resubscribe);
}

core::status protocol::on_snapshot(std::string_view, core::padded_view, core::unix_nanos) {
  return {errc::invalid_argument, "bybit books start from their websocket snapshot"};
}

std::vector<std::string> protocol::subscribe_messages() const {
  std::vector<std::string> topics;
  topics.reserve(opt_.symbols.size());
  for (const auto& s : opt_.symbols) topics.push_back(orderbook_topic(settings_.subscribe_depth(), s));
  return bybit::subscribe_messages(settings_.cat, topics);
}

std::vector<std::string> protocol::unsubscribe_messages(std::string_view symbol) const {
  std::uint32_t depth = settings_.subscribe_depth();
  if (auto* b = books_.find(symbol); b && b->depth != 0) depth = b->depth;
  const std::string topic = orderbook_topic(depth, symbol);
  return {unsubscribe_message(std::span(&topic, 1), "unsub")};
}

void protocol::on_disconnect() {
  for (const auto& b : books_.all()) {
    b->have_snapshot = false;
    b->restart();
    notify_updated(*b);
  }
}

core::result<std::unique_ptr<venue_protocol>> create_protocol(const protocol_options& opt) {
  auto s = parse_settings(opt.settings);
  if (!s) return s.err();
  for (const auto& sym : opt.symbols)
    if (sym.empty()) return {errc::invalid_argument, "bybit: empty symbol"};
  return std::unique_ptr<venue_protocol>(std::make_unique<protocol>(*s, opt));
}

}  // namespace depthmon::venues::bybit
