#include "venues/kraken/sync.hpp"

#include <span>

#include "venues/kraken/checksum.hpp"
#include "venues/kraken/subscribe.hpp"

namespace depthmon::venues::kraken {

using core::errc;

namespace {
// Extra fractional digits tried per value when a v2 checksum fails at the wire's precision.
constexpr unsigned k_probe_digits = 10;
// Symbols per subscribe frame.
constexpr std::size_t k_per_message = 100;
}  // namespace

core::result<std::unique_ptr<venue_protocol>> create(api a, const protocol_options& opt) {
  auto s = parse_settings(opt.settings);
  if (!s) return s.err();
  return std::unique_ptr<venue_protocol>(std::make_unique<protocol>(a, opt, std::move(s).value()));
}

protocol::protocol(api a, const protocol_options& opt, settings s)
    : api_(a), opt_(opt), settings_(std::move(s)) {
  for (const auto& sym : opt_.symbols)
    if (!books_.find(sym)) add_book(sym);
}

kraken_book* protocol::book_for(std::string_view symbol) {
  if (auto* b = books_.find(symbol)) return b;
  if (!opt_.symbols.empty()) return nullptr;  // configured symbols only
  return add_book(symbol);
}

kraken_book* protocol::add_book(std::string_view symbol) {
  auto* b = books_.add(std::string(symbol));
  b->depth = settings_.depth;
  if (auto it = acked_depths_.find(symbol); it != acked_depths_.end()) b->depth = it->second;
  if (auto it = settings_.precisions.find(symbol); it != settings_.precisions.end()) {
    b->source = precision_source::setting;
    b->known = it->second;
  } else if (auto jt = instrument_precisions_.find(symbol); jt != instrument_precisions_.end()) {
    b->source = precision_source::instrument;
    b->known = jt->second;
  }
  for (core::side sd : {core::side::bid, core::side::ask})
    b->book.set_coverage(sd, book::coverage::top_n(b->depth));
  register_book(b);
  return b;
}

core::status protocol::on_frame(core::padded_view frame, core::unix_nanos recv_time) {
  ++counters_.frames;
  const core::status st = api_ == api::v2 ? v2_.parse(frame, msg_) : v1_.parse(frame, msg_);
  if (!st) return rejected(st);
  switch (msg_.kind) {
    case msg_kind::book:
      ++counters_.book_messages;
      for (std::size_t i = 0; i < msg_.book_count; ++i) on_book_data(msg_.books[i], recv_time);
      return {};
    case msg_kind::subscribed:
      ++counters_.control;
      on_ack(msg_.symbol, msg_.depth);
      return {};
    case msg_kind::instrument:
      ++counters_.control;
      on_instrument();
      return {};
    case msg_kind::control:
      ++counters_.control;
      return {};
    case msg_kind::ignored:
      ++counters_.ignored;
      return {};
  }
  return {};
}

core::status protocol::on_snapshot(std::string_view, core::padded_view, core::unix_nanos) {
  return {errc::invalid_argument, "kraken books start from websocket snapshots, not REST"};
}

void protocol::on_book_data(const book_data& d, core::unix_nanos recv_time) {
  kraken_book* b = book_for(d.symbol);
  if (!b) {
    ++counters_.unknown_symbol;  // understood; not a book we keep
    return;
  }
  ++b->counters.messages;
  b->last_receive_time = recv_time;
  if (d.depth != 0) b->depth = d.depth;  // v1 "book-N"
  if (d.snapshot) apply_snapshot(*b, d);
  else apply_update(*b, d);
}

void protocol::apply_snapshot(kraken_book& b, const book_data& d) {
  if (auto st = load_snapshot(b.book, d.bids, d.asks); !st) {
    resubscribe(b, st.err());
    return;
  }
  ++b.counters.snapshots;
  b.have_snapshot = true;
  b.wire_digits = {d.price_digits, d.qty_digits};
  finish(b, d);
}

void protocol::apply_update(kraken_book& b, const book_data& d) {
  if (!b.have_snapshot) {
    ++b.counters.dropped;  // no snapshot since the start / the last failure: nothing to update
    return;
  }
  core::status st = apply_levels(b.book, core::side::bid, d.bids);
  if (st) st = apply_levels(b.book, core::side::ask, d.asks);
  if (!st) {
    resubscribe(b, st.err());
    return;
  }
  ++b.counters.updates_applied;
  b.wire_digits.price = std::max(b.wire_digits.price, d.price_digits);
  b.wire_digits.qty = std::max(b.wire_digits.qty, d.qty_digits);
  finish(b, d);
}

void protocol::finish(kraken_book& b, const book_data& d) {
  // Kraken keeps N levels a side and sends no deletes for levels pushed beyond the N-th.
  b.book.truncate(b.depth);
  for (core::side sd : {core::side::bid, core::side::ask})
    b.book.set_coverage(sd, book::coverage::top_n(b.depth));
  if (d.has_checksum) {
    if (auto st = verify(b, d.checksum); !st) {
      ++b.counters.checksums_failed;
      resubscribe(b, st.err());
      return;
    }
    ++b.counters.checksums_passed;
  }
  if (b.book.crossed() || b.book.locked()) {
    ++b.counters.crossed;
    resubscribe(b, {errc::crossed_book, "best bid >= best ask after a message"});
    return;
  }
  if (d.event_time != 0) b.last_event_time = d.event_time;
  b.status = book::book_status::live;
  notify_updated(b);
}

core::status protocol::verify(kraken_book& b, std::uint32_t expected) noexcept {
  const pair_precisions p = b.precision();
  const auto got = b.checksums.checksum(b.book, p.price, p.qty);
  if (got && *got == expected) return {};
  if (api_ == api::v2 &&
      (b.source == precision_source::wire || b.source == precision_source::probed)) {
    // JSON numbers drop trailing zeros: the pair's precision may be finer than the wire shows.
    for (unsigned dp = 0; dp <= k_probe_digits; ++dp)
      for (unsigned dq = 0; dq <= k_probe_digits; ++dq) {
        if ((dp == 0 && dq == 0) || p.price + dp > core::max_scale ||
            p.qty + dq > core::max_scale)
          continue;
        const auto c = book_checksum(b.book, p.price + dp, p.qty + dq);
        if (c && *c == expected) {
          b.floor = {p.price + dp, p.qty + dq};
          b.source = precision_source::probed;
          return {};
        }
      }
  }
  if (!got) return {got.code(), "a level has more digits than the pair's precision"};
  return {errc::checksum_mismatch, "checksum differs from the book's top 10"};
}

void protocol::on_ack(std::string_view symbol, std::uint32_t depth) {
  if (depth == 0) return;
  if (!opt_.symbols.empty() && !books_.find(symbol)) return;
  if (auto it = acked_depths_.find(symbol); it != acked_depths_.end()) it->second = depth;
  else acked_depths_.emplace(std::string(symbol), depth);
  if (auto* b = books_.find(symbol)) b->depth = depth;  // applies from its next message
}

void protocol::on_instrument() {
  for (const auto& p : msg_.precisions) {
    kraken_book* b = books_.find(p.symbol);
    if (!opt_.symbols.empty() && !b) continue;  // only the configured pairs matter
    const pair_precisions pp{p.price, p.qty};
    if (auto it = instrument_precisions_.find(p.symbol); it != instrument_precisions_.end())
      it->second = pp;
    else
      instrument_precisions_.emplace(std::string(p.symbol), pp);
    if (b && b->source != precision_source::setting) {
      b->source = precision_source::instrument;
      b->known = pp;
    }
  }
}

void protocol::resubscribe(kraken_book& b, core::error why) {
  b.have_snapshot = false;
  fail_book(b, why, request::kind::resubscribe);
  requests_.back().payload = subscribe_one(b.symbol);
}

std::string protocol::subscribe_one(const std::string& symbol) const {
  const std::span<const std::string> one(&symbol, 1);
  return api_ == api::v2 ? v2_book_subscribe(one, settings_.depth, 1000)
                         : v1_book_subscribe(one, settings_.depth);
}

std::vector<std::string> protocol::subscribe_messages() const {
  std::vector<std::string> out;
  if (opt_.symbols.empty()) return out;
  std::uint64_t req_id = 1;
  if (api_ == api::v2) {
    // Pairs without a configured precision learn it from the instrument channel; subscribe to
    // it first so that its snapshot arrives before the books'.
    bool need_instrument = false;
    for (const auto& s : opt_.symbols)
      if (!settings_.precisions.count(s)) need_instrument = true;
    if (need_instrument) out.push_back(v2_instrument_subscribe(req_id++));
  }
  const std::span<const std::string> all(opt_.symbols);
  for (std::size_t i = 0; i < all.size(); i += k_per_message) {
    const auto chunk = all.subspan(i, std::min(k_per_message, all.size() - i));
    out.push_back(api_ == api::v2 ? v2_book_subscribe(chunk, settings_.depth, req_id++)
                                  : v1_book_subscribe(chunk, settings_.depth));
  }
  return out;
}

std::vector<std::string> protocol::unsubscribe_messages(std::string_view symbol) const {
  const std::string s(symbol);
  const std::span<const std::string> one(&s, 1);
  return {api_ == api::v2 ? v2_book_unsubscribe(one, settings_.depth, 1001)
                          : v1_book_unsubscribe(one, settings_.depth)};
}

void protocol::on_disconnect() {
  for (const auto& b : books_.all()) {
    b->have_snapshot = false;
    b->restart();
    notify_updated(*b);
  }
}

}  // namespace depthmon::venues::kraken
