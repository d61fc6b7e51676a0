#include "venues/okx/sync.hpp"

#include "venues/okx/checksum.hpp"

namespace depthmon::venues::okx {

using core::errc;

// Incremental channels need a fresh snapshot; snapshot-only ones get one 10-100 ms later.
protocol::protocol(settings s, const protocol_options& opt)
    : venue_protocol(is_incremental(s.book_channel) ? std::optional(request::kind::resubscribe)
                                                    : std::nullopt,
                     crossed_policy::hold),
      settings_(std::move(s)),
      opt_(opt) {
  add_configured(books_, opt_);
}

core::status protocol::on_frame(core::padded_view frame, core::unix_nanos recv_time) {
  if (auto st = parse_frame(codec_, frame, msg_); !st) return st;
  switch (msg_.kind) {
    case msg_kind::pong:
    case msg_kind::subscribed:
    case msg_kind::error:
    case msg_kind::other_event:
      return control_frame();
    case msg_kind::notice:
      ++counters_.control;
      // 64008: "The connection will soon be closed for a service upgrade. Please reconnect."
      if (msg_.code == "64008") request_reconnect(errc::ok);
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
      okx_book* b = book_message_for(books_, msg_.inst_id, opt_, recv_time);
      if (!b) return {};  // understood; not ours
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
  b.has_seq = false;
  if (!load_book_snapshot(b, e.bids, e.asks)) return;
  const auto cov = book::coverage::top_n(view_depth(settings_.book_channel));
  b.book.set_coverage(core::side::bid, cov);
  b.book.set_coverage(core::side::ask, cov);
  b.last_update_id.reset();
  set_seq(b, e);
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
      fail_book(b, {errc::sequence_gap, "update without seqId/prevSeqId on a sequenced book"});
      return;
    }
    // seqId == prevSeqId (keep-alive) and seqId < prevSeqId (reset) pass this test too.
    if (e.prev_seq_id != b.seq) {
      fail_book(b, {errc::sequence_gap, "prevSeqId != last seqId"});
      return;
    }
  }
  // Without seqIds (historical data) the legacy checksum is the only check.
  if (!apply_book_levels(b, e.bids, e.asks)) return;
  set_seq(b, e);
  ++b.counters.updates_applied;
  finish(b, e);
}

void protocol::finish(okx_book& b, const book_entry& e) {
  if (e.checksum != 0) {
    if (legacy_checksum(b.book) != static_cast<std::int32_t>(e.checksum)) {
      ++b.counters.checksums_failed;
      fail_book(b, {errc::checksum_mismatch, "legacy CRC32 of the top 25 levels differs"});
      return;
    }
    ++b.counters.checksums_passed;
  }
  finish_message(b);
}

}  // namespace depthmon::venues::okx
