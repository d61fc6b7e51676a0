#include "venues/hyperliquid/sync.hpp"

namespace depthmon::venues::hyperliquid {

using core::errc;

protocol::protocol(const settings& s, const protocol_options& opt) : settings_(s), opt_(opt) {
  for (const auto& coin : opt_.symbols) register_book(books_.add(coin));
}

hl_book* protocol::book_for(std::string_view coin) {
  return venue_protocol::book_for(books_, coin, opt_);
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
  hl_book* b = book_for(msg_.coin);
  if (!b) {
    ++counters_.unknown_symbol;
    return {};
  }
  ++counters_.book_messages;
  ++b->counters.messages;
  b->last_receive_time = recv_time;
  on_l2_book(*b);
  return {};
}

void protocol::on_l2_book(hl_book& b) {
  if (msg_.has_time && b.have_time && msg_.time_ms < b.last_time_ms) {
    ++b.counters.dropped;  // older than the book we have: out of order
    return;
  }
  if (auto st = load_snapshot(b.book, msg_.bids, msg_.asks); !st) {
    fail_book(b, {errc::precision_loss, st.err().detail}, request::kind::resubscribe);
    return;
  }
  ++b.counters.snapshots;
  if (msg_.has_time) {
    b.last_time_ms = msg_.time_ms;
    b.have_time = true;
    b.last_update_id = msg_.time_ms;
    b.last_event_time = core::from_millis(static_cast<std::int64_t>(msg_.time_ms));
  }
  for (core::side s : {core::side::bid, core::side::ask})
    b.book.set_coverage(s, book::coverage::top_n(settings_.levels));
  if (b.book.crossed() || b.book.locked()) {
    ++b.counters.crossed;
    fail_book(b, {errc::crossed_book, "best bid >= best ask in a full l2Book message"},
              request::kind::resubscribe);
    return;
  }
  b.status = book::book_status::live;
  notify_updated(b);
}

core::status protocol::on_snapshot(std::string_view, core::padded_view, core::unix_nanos) {
  return {errc::invalid_argument, "hyperliquid books come from the websocket (l2Book)"};
}

l2book_params protocol::params() const noexcept {
  return {settings_.n_sig_figs, settings_.mantissa, settings_.fast};
}

std::vector<std::string> protocol::subscribe_messages() const {
  std::vector<std::string> out;
  out.reserve(opt_.symbols.size());
  for (const auto& coin : opt_.symbols) out.push_back(subscribe_message(coin, params()));
  return out;
}

std::vector<std::string> protocol::unsubscribe_messages(std::string_view symbol) const {
  return {unsubscribe_message(symbol, params())};
}

void protocol::on_disconnect() {
  for (const auto& b : books_.all()) {
    b->have_time = false;
    b->last_time_ms = 0;
    b->restart();
    notify_updated(*b);
  }
}

core::result<std::unique_ptr<venue_protocol>> create_protocol(const protocol_options& opt) {
  auto s = parse_settings(opt.settings);
  if (!s) return s.err();
  for (const auto& coin : opt.symbols)
    if (coin.empty()) return {errc::invalid_argument, "hyperliquid: empty coin name"};
  return std::unique_ptr<venue_protocol>(std::make_unique<protocol>(*s, opt));
}

}  // namespace depthmon::venues::hyperliquid
