// venues/okx/sync.hpp — OKX v5 order-book sync: seqId chains, legacy checksums, snapshots.
//
// Incremental channels (`books`, default; `books-l2-tbt`, `books50-l2-tbt`): an
// `action:"snapshot"` replaces the book and starts the chain (prevSeqId = -1). Each
// `action:"update"` must carry prevSeqId == the last applied seqId; seqId == prevSeqId is a
// keep-alive (still chain-consistent) and seqId < prevSeqId a sequence reset after maintenance,
// both accepted. A break (including a duplicate or out-of-order message, or an update without
// seqId on a book whose snapshot had one) invalidates the book and queues
// request::kind::resubscribe; updates arriving before the next snapshot are dropped (counted).
// Historical data (2022) has no seqId: then the legacy checksum is the only check. Whenever a
// message carries a non-zero `checksum`, the book after the message must reproduce it
// (venues/okx/checksum.hpp), else the book is invalid and resubscribed.
//
// Snapshot-only channels (`books5`, `bbo-tbt`): every message replaces the book. A bad one
// (crossed, checksum) invalidates the book without a resubscribe request: the next message
// (100 ms / 10 ms later) is a complete book again and recovers it.
//
// After every complete message a crossed or locked book is invalid (OKX warns the book can
// cross during a call auction before the open; such a book is not published either way).
// Coverage: each side is complete down to its current N-th level (N = 400 for books, 5, 1 ...),
// so with fewer than N levels the side is complete; the book is never truncated locally
// because OKX deletes levels that leave its N-level view (verified on the 2022 capture: the
// book stays at exactly 400 levels per side).
//
// Control traffic (subscribe/unsubscribe acks, `event:error`, `pong`, other events) is counted
// as control; notice 64008 (service upgrade in 60 s) queues request::kind::reconnect. Pushes
// of other channels (or of an order-book channel other than the configured one) are ignored.
//
// Threads: the owning connection's thread. Errors: see venues/protocol.hpp.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "venues/common/wire.hpp"
#include "venues/okx/codec.hpp"
#include "venues/okx/settings.hpp"
#include "venues/protocol.hpp"

namespace depthmon::venues::okx {

struct okx_book : book::tracked_book {
  using tracked_book::tracked_book;
  bool have_snapshot = false;  // content = a snapshot (+ chained updates)
  bool has_seq = false;        // `seq` holds the last applied seqId
  std::int64_t seq = 0;
};

class protocol final : public venue_protocol {
 public:
  protocol(settings s, const protocol_options& opt);

  core::venue venue() const noexcept override { return core::venue::okx; }
  core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) override;
  // OKX books start from the websocket snapshot: always invalid_argument.
  core::status on_snapshot(std::string_view symbol, core::padded_view body,
                           core::unix_nanos recv_time) override;
  std::vector<std::string> subscribe_messages() const override;
  std::vector<std::string> unsubscribe_messages(std::string_view symbol) const override;
  void on_disconnect() override;
  // The subscribe request for one instrument: with unsubscribe_messages(symbol), what the owner
  // sends for a request::kind::resubscribe.
  std::vector<std::string> subscribe_messages_for(std::string_view symbol) const;

  channel book_channel() const noexcept { return settings_.book_channel; }
  const settings& config() const noexcept { return settings_; }
  // Base units per contract (see venues/okx/settings.hpp); nullopt = unknown derivative.
  std::optional<core::decimal> contract_value(std::string_view symbol) const {
    return okx::contract_value(settings_, symbol);
  }

 private:
  okx_book* book_for(std::string_view symbol);
  void on_entry(okx_book& b, const book_entry& e, action act);
  void on_snapshot_entry(okx_book& b, const book_entry& e);
  void on_update_entry(okx_book& b, const book_entry& e);
  // Checksum (when non-zero) and crossed-book checks after a complete message; on success the
  // book goes live and is published. Returns false when the book was invalidated.
  bool finish(okx_book& b, const book_entry& e);
  void fail(okx_book& b, core::error why);
  void set_seq(okx_book& b, const book_entry& e);

  settings settings_;
  protocol_options opt_;
  codec codec_;
  message msg_;
  book_registry<okx_book> books_;
};

// The factory behind venues::make_protocol(core::venue::okx, ...): validates opt.settings.
core::result<std::unique_ptr<venue_protocol>> make_protocol(const protocol_options& opt);

}  // namespace depthmon::venues::okx
