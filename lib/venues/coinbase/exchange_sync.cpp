#include "venues/coinbase/exchange_sync.hpp"

#include "venues/coinbase/subscribe.hpp"

namespace depthmon::venues::coinbase {

using core::errc;

exchange_protocol::exchange_protocol(const protocol_options& opt) : opt_(opt) {
  for (const auto& s : opt_.symbols) {
    if (books_.find(s)) continue;
    register_book(books_.add(s));
  }
}

core::status exchange_protocol::check_options(const protocol_options& opt) noexcept {
  if (!opt.settings.empty())
    return {errc::invalid_argument, "coinbase-exchange: this venue has no settings (--set)"};
  return {};
}

coinbase_book* exchange_protocol::book_for(std::string_view product) {
  return venue_protocol::book_for(books_, product, opt_);
}

core::status exchange_protocol::on_frame(core::padded_view frame, core::unix_nanos recv_time) {
  ++counters_.frames;
  if (auto st = codec_.parse(frame, msg_); !st) return rejected(st);
  switch (msg_.kind) {
    case ex_kind::snapshot:
    case ex_kind::l2update: {
      coinbase_book* b = book_for(msg_.product_id);
      if (!b) {
        ++counters_.unknown_symbol;
        return {};  // understood; not ours
      }
      ++counters_.book_messages;
      ++b->counters.messages;
      b->last_receive_time = recv_time;
      if (msg_.kind == ex_kind::snapshot) on_snapshot_message(*b);
      else on_l2update(*b);
      return {};
    }
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

void exchange_protocol::on_snapshot_message(coinbase_book& b) {
  if (auto st = load_full_snapshot(b.book, msg_.bids, msg_.asks); !st) {
    resync(b, st.err());
    return;
  }
  b.have_snapshot = true;
  ++b.counters.snapshots;
  b.last_event_time = msg_.time;
  check_and_publish(b);
}

void exchange_protocol::on_l2update(coinbase_book& b) {
  if (!b.have_snapshot) {
    ++b.counters.dropped;  // before its snapshot (or after a failure): nothing to apply it to
    return;
  }
  for (const auto& c : msg_.changes) {
    if (auto st = b.book.set(c.side, c.level.price, c.level.qty); !st) {
      resync(b, st.err());
      return;
    }
  }
  ++b.counters.updates_applied;
  b.last_event_time = msg_.time;
  check_and_publish(b);
}

void exchange_protocol::check_and_publish(coinbase_book& b) {
  if (crossed_or_locked(b.book)) {
    ++b.counters.crossed;
    resync(b, {errc::crossed_book, "best bid >= best ask after level2 message"});
    return;
  }
  b.status = book::book_status::live;
  notify_updated(b);
}

void exchange_protocol::resync(coinbase_book& b, core::error why) {
  b.have_snapshot = false;
  fail_book(b, why, request::kind::resubscribe);
}

core::status exchange_protocol::on_snapshot(std::string_view, core::padded_view,
                                            core::unix_nanos) {
  return {errc::invalid_argument, "coinbase-exchange books start from websocket snapshots"};
}

std::vector<std::string> exchange_protocol::subscribe_messages() const {
  if (opt_.symbols.empty()) return {};
  return {exchange_level2_batch(opt_.symbols, true)};
}

std::vector<std::string> exchange_protocol::unsubscribe_messages(std::string_view symbol) const {
  const std::string s(symbol);
  return {exchange_level2_batch(std::span(&s, 1), false)};
}

void exchange_protocol::on_disconnect() {
  for (const auto& b : books_.all()) {
    b->have_snapshot = false;
    b->restart();
    notify_updated(*b);
  }
}

}  // namespace depthmon::venues::coinbase
