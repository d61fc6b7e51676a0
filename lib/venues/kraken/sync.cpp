#include "venues/kraken/sync.hpp"

#include "venues/kraken/checksum.hpp"

namespace depthmon::venues::kraken {

using core::errc;

namespace {
// Extra fractional digits tried per value when a v2 checksum fails at the wire's precision.
constexpr unsigned k_probe_digits = 10;
}  // namespace

protocol::protocol(api a, const protocol_options& opt, settings s)
    : venue_protocol(request::kind::resubscribe), api_(a), opt_(opt), settings_(std::move(s)) {
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
  b->depth_fixed = settings_.depth_given;
  if (auto it = acked_depths_.find(symbol); it != acked_depths_.end() && !b->depth_fixed) {
    b->depth = it->second;
    b->depth_fixed = true;
  }
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
  const core::status st =
      api_ == api::v2 ? parse_frame(v2_, frame, msg_) : parse_frame(v1_, frame, msg_);
  if (!st) return st;
  switch (msg_.kind) {
    case msg_kind::book:
      ++counters_.book_messages;
      for (std::size_t i = 0; i < msg_.book_count; ++i) on_book_data(msg_.books[i], recv_time);
      return {};
    case msg_kind::subscribed:
      ++counters_.control;
      on_ack(msg_.symbol, msg_.depth);
      return {};
    case msg_kind::unsubscribed:
      ++counters_.control;
      // Kraken sends nothing more for this book until a new subscription's snapshot: the
      // content is no longer maintained, so it must not stay live.
      if (auto* b = books_.find(msg_.symbol)) restart_book(*b);
      return {};
    case msg_kind::instrument:
      ++counters_.control;
      on_instrument();
      return {};
    case msg_kind::control: return control_frame();
    case msg_kind::ignored: return ignored_frame();
  }
  return {};
}

void protocol::on_book_data(const book_data& d, core::unix_nanos recv_time) {
  kraken_book* b = book_for(d.symbol);
  if (!b) {
    ++counters_.unknown_symbol;  // understood; not a book we keep
    return;
  }
  if (d.depth != 0) {  // v1 "book-N"
    if (!b->depth_fixed) {
      b->depth = d.depth;
      b->depth_fixed = true;
    } else if (d.depth != b->depth) {
      ++counters_.ignored;  // another depth's subscription of the pair: never mixed in
      return;
    }
  }
  ++b->counters.messages;
  b->last_receive_time = recv_time;
  if (d.snapshot) apply_snapshot(*b, d);
  else apply_update(*b, d);
}

void protocol::apply_snapshot(kraken_book& b, const book_data& d) {
  if (!load_book_snapshot(b, d.bids, d.asks)) return;
  b.wire_digits = {d.price_digits, d.qty_digits};
  finish(b, d);
}

void protocol::apply_update(kraken_book& b, const book_data& d) {
  if (!b.have_snapshot) {
    ++b.counters.dropped;  // no snapshot since the start / the last failure: nothing to update
    return;
  }
  if (!apply_book_levels(b, d.bids, d.asks)) return;
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
      fail_book(b, st.err());
      return;
    }
    ++b.counters.checksums_passed;
  }
  if (d.event_time != 0) b.last_event_time = d.event_time;
  finish_message(b);
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
  acked_depths_.try_emplace(std::string(symbol), depth);  // the first one fixes the depth
  if (auto* b = books_.find(symbol); b && !b->depth_fixed) {
    b->depth = depth;  // applies from its next message
    b->depth_fixed = true;
  }
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

}  // namespace depthmon::venues::kraken
