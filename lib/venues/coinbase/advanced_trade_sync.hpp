// venues/coinbase/advanced_trade_sync.hpp — Coinbase Advanced Trade `level2` books of one
// websocket connection (venue name "coinbase").
//
// Integrity model:
// - `sequence_num` counts every message on the connection, all channels and control messages
//   included (recorded traffic: ticker 0, subscriptions ack 1, ticker 2). It is checked per
//   connection, never per product: a per-product detector would see 0 -> 2 above as a gap.
//   next = last + 1: in order. Lower or equal: a duplicate / late frame, ignored (counted in
//   sequence().stale and, for l2_data, in each addressed book's `dropped`). Higher: messages
//   were lost on the connection, and any of them may have been book data for any product, so
//   every live book of the connection is invalidated (gaps + resyncs) and one
//   request::kind::reconnect is queued; the frame that showed the gap becomes the new baseline.
// - A frame that cannot be understood (malformed JSON, wrong types, huge numbers, unknown l2_data
//   event type) is dropped without touching any book and does not advance the sequence: if it
//   was a numbered message, the next frame shows the hole and the connection recovers as above.
//   A well-formed message on a channel we do not know advances the sequence (nothing for books
//   was lost) and is reported as unknown_message.
// - `snapshot` events replace that product's whole book (coverage full on both sides); `update`
//   events set absolute sizes ("0" deletes), in wire order (levels are not sorted). Updates for a
//   product without a snapshot (never had one, or invalidated) are dropped (`dropped`).
// - After every complete frame each book it touched is checked: crossed or locked -> invalid,
//   request::kind::resubscribe for that product under the base's recovery policy (Coinbase
//   does not document crossed books); a later snapshot makes it live again.
// - One frame may carry several events for several products; a book-level failure (precision
//   overflow, crossed) affects only that product's book.
//
// Owner contract: call on_disconnect() whenever the connection is replaced; it resets the
// sequence baseline (a new connection starts counting again) and sends every book back to
// syncing. No REST snapshots (on_snapshot returns invalid_argument). Settings: none.
// A snapshot `snapshot` event is the whole book: coverage full on both sides.
//
// Threads: the owning connection's thread. Errors: see venues/protocol.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "venues/coinbase/advanced_trade_codec.hpp"
#include "venues/common/wire.hpp"
#include "venues/protocol.hpp"

namespace depthmon::venues::coinbase {

// Connection-level sequence figures (the venue_protocol counters cover frames and kinds).
struct at_sequence_counters {
  std::uint64_t in_order = 0;    // numbered frames accepted (the first one included)
  std::uint64_t stale = 0;       // lower or duplicate sequence_num: ignored, not applied
  std::uint64_t gaps = 0;        // jumps forward: connection-level loss, recovery requested
  std::uint64_t lost = 0;        // sum of the jumps (messages missing from the connection)
};

class advanced_trade_protocol final : public venue_protocol {
 public:
  explicit advanced_trade_protocol(const protocol_options& opt);

  core::venue venue() const noexcept override { return core::venue::coinbase; }
  core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) override;

  const at_sequence_counters& sequence() const noexcept { return seq_counters_; }
  // sequence_num of the last accepted frame on this connection.
  std::optional<std::uint64_t> last_sequence() const noexcept { return last_seq_; }

 private:
  enum class seq_verdict : std::uint8_t { accepted, stale, gap };
  seq_verdict check_sequence(std::uint64_t seq);
  void connection_lost();
  void on_l2_data(core::unix_nanos recv_time);
  void count_stale_l2(core::unix_nanos recv_time);
  void apply_snapshot(book::tracked_book& b, const at_book_event& ev);
  void apply_update(book::tracked_book& b, const at_book_event& ev);
  book::tracked_book* touch(std::string_view product, core::unix_nanos recv_time);
  void on_connection_restart() override { last_seq_.reset(); }

  protocol_options opt_;
  advanced_trade_codec codec_;
  at_message msg_;
  book_registry<book::tracked_book> books_;
  std::optional<std::uint64_t> last_seq_;
  at_sequence_counters seq_counters_;
  std::vector<book::tracked_book*> touched_;  // books addressed by the current frame
  std::vector<wire_level> scratch_bids_, scratch_asks_;
};

}  // namespace depthmon::venues::coinbase
