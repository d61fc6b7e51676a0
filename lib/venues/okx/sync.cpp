#include "venues/okx/sync.hpp"

#include <algorithm>
#include <span>

#include "venues/okx/checksum.hpp"
#include "venues/okx/subscribe.hpp"

namespace depthmon::venues::okx {

using core::errc;

protocol::protocol(settings s, const protocol_options& opt)
    : settings_(std::move(s)), opt_(opt) {
  for (const auto& sym : opt_.symbols) {
    if (books_.find(sym)) continue;
    auto* b = books_.add(sym);
    register_book(b);
  }
}

okx_book* protocol::book_for(std::string_view symbol) {
  return venue_protocol::book_for(books_, symbol, opt_);
}

core::status protocol::on_frame(core::padded_view frame, core::unix_nanos recv_time) {
  ++counters_.frames;
  if (auto st = codec_.parse(frame, msg_); !st) return rejected(st);
  switch (msg_.kind) {
    case msg_kind::pong:
    case msg_kind::subscribed:
    case msg_kind::error:
    case msg_kind::other_event:
      ++counters_.control;
      return {};
    case msg_kind::notice:
      ++counters_.control;
      // 64008: "The connection will soon be closed for a service upgrade. Please reconnect."
      if (msg_.code == "64008") requests_.push_back({request::kind::reconnect, {}, errc::ok, {}});
      return {};
    case msg_kind::channel_data:
      ++counters_.ignored;
      if (!msg_.inst_id.empty())
        if (auto* b = books_.find(msg_.inst_id)) ++b->counters.messages;
      return {};
    case msg_kind::book_data: {
      if (*msg_.book_channel != settings_.book_channel) {
        // Another depth view of the instrument: never mixed into this book.
        ++counters_.ignored;
        return {};
      }
      okx_book* b = book_for(msg_.inst_id);
      if (!b) {
        ++counters_.unknown_symbol;
        return {};  // understood; not ours
      }
      ++counters_.book_messages;
      ++b->counters.messages;
      b->last_receive_time = recv_time;
      for (std::size_t i = 0; i < msg_.entry_count; ++i) on_entry(*b, msg_.entries[i], msg_.act);
      return {};
    }
  }
  return {};
}

void protocol::on_entry(okx_book& b, const book_entry& e, action act) {
  if (!is_incremental(settings_.book_channel) || act == action::snapshot)
    on_snapshot_entry(b, e);
  else
    on_update_entry(b, e);
}

void protocol::set_seq(okx_book& b, const book_entry& e) {
  if (e.has_seq_id) {
    b.has_seq = true;
    b.seq = e.seq_id;
    b.last_update_id = static_cast<std::uint64_t>(e.seq_id);
  }
  if (e.ts_ms > 0) b.last_event_time = core::from_millis(e.ts_ms);
}

void protocol::on_snapshot_entry(okx_book& b, const book_entry& e) {
  if (auto st = load_snapshot(b.book, e.bids, e.asks); !st) {
    fail(b, st.err());
    return;
  }
  const auto cov = book::coverage::top_n(view_depth(settings_.book_channel));
  b.book.set_coverage(core::side::bid, cov);
  b.book.set_coverage(core::side::ask, cov);
  b.have_snapshot = true;
  b.has_seq = false;
  b.last_update_id.reset();
  set_seq(b, e);
  ++b.counters.snapshots;
  finish(b, e);
}

void protocol::on_update_entry(okx_book& b, const book_entry& e) {
  if (!b.have_snapshot) {
    // Invalid or not yet subscribed: the (re)subscription's snapshot restarts the book.
    ++b.counters.dropped;
    return;
  }
  if (b.has_seq) {
    if (!e.has_seq_id || !e.has_prev_seq_id) {
      fail(b, {errc::sequence_gap, "update without seqId/prevSeqId on a sequenced book"});
      return;
    }
    // seqId == prevSeqId (keep-alive) and seqId < prevSeqId (reset) pass this test too.
    if (e.prev_seq_id != b.seq) {
      fail(b, {errc::sequence_gap, "prevSeqId != last seqId"});
      return;
    }
  }
  // Without seqIds (historical data) the legacy checksum is the only check.
  core::status st = apply_levels(b.book, core::side::bid, e.bids);
  if (st) st = apply_levels(b.book, core::side::ask, e.asks);
  if (!st) {
    fail(b, st.err());
    return;
  }
  set_seq(b, e);
  ++b.counters.updates_applied;
  finish(b, e);
}

bool protocol::finish(okx_book& b, const book_entry& e) {
  if (e.checksum != 0) {
    if (legacy_checksum(b.book) != static_cast<std::int32_t>(e.checksum)) {
      ++b.counters.checksums_failed;
      fail(b, {errc::checksum_mismatch, "legacy CRC32 of the top 25 levels differs"});
      return false;
    }
    ++b.counters.checksums_passed;
  }
  if (b.book.crossed() || b.book.locked()) {
    ++b.counters.crossed;
    fail(b, {errc::crossed_book, "best bid >= best ask after a message"});
    return false;
  }
  b.status = book::book_status::live;
  notify_updated(b);
  return true;
}

void protocol::fail(okx_book& b, core::error why) {
  b.have_snapshot = false;
  b.has_seq = false;
  if (is_incremental(settings_.book_channel)) {
    fail_book(b, why, request::kind::resubscribe);
  } else {
    // Snapshot-only channel: the next message is a complete book; nothing to request.
    b.invalidate(why);
    notify_updated(b);
  }
}

core::status protocol::on_snapshot(std::string_view, core::padded_view, core::unix_nanos) {
  return {errc::invalid_argument, "okx books start from the websocket snapshot"};
}

std::vector<std::string> protocol::subscribe_messages() const {
  std::vector<std::string> out;
  const std::span<const std::string> all(opt_.symbols);
  for (std::size_t i = 0; i < all.size(); i += max_args_per_request) {
    const std::size_t n = std::min(max_args_per_request, all.size() - i);
    out.push_back(subscribe_message(settings_.book_channel, all.subspan(i, n),
                                    "s" + std::to_string(i / max_args_per_request + 1)));
  }
  return out;
}

std::vector<std::string> protocol::subscribe_messages_for(std::string_view symbol) const {
  const std::string s(symbol);
  return {subscribe_message(settings_.book_channel, std::span(&s, 1), "r1")};
}

std::vector<std::string> protocol::unsubscribe_messages(std::string_view symbol) const {
  const std::string s(symbol);
  return {unsubscribe_message(settings_.book_channel, std::span(&s, 1), "u1")};
}

void protocol::on_disconnect() {
  for (const auto& b : books_.all()) {
    b->have_snapshot = false;
    b->has_seq = false;
    b->restart();
    notify_updated(*b);
  }
}

core::result<std::unique_ptr<venue_protocol>> make_protocol(const protocol_options& opt) {
  for (const auto& sym : opt.symbols) {
    const bool ok = !sym.empty() && sym.size() <= 64 &&
                    std::all_of(sym.begin(), sym.end(), [](char c) {
                      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                             (c >= '0' && c <= '9') || c == '-' || c == '_';
                    });
    if (!ok)
      return {errc::invalid_argument, "okx symbols are instIds such as BTC-USDT or BTC-USDT-SWAP"};
  }
  auto s = parse_settings(opt.settings, opt.symbols);
  if (!s) return s.err();
  return std::unique_ptr<venue_protocol>(std::make_unique<protocol>(std::move(s).value(), opt));
}

}  // namespace depthmon::venues::okx
