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
// (checksum) invalidates the book without a resubscribe request: the next message
// (100 ms / 10 ms later) is a complete book again and recovers it.
//
// Crossed books are OKX's own (its documentation: during a call auction the best ask may be
// below the best bid before the open): crossed_policy::hold. A complete message that leaves the
// book crossed or locked is counted (`crossed`) and gives status `crossed`: the book keeps its
// content and its seqId chain, is never published, requests nothing, and is live again after
// the first complete message that leaves it uncrossed.
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
  bool has_seq = false;        // `seq` holds the last applied seqId
  std::int64_t seq = 0;
};

class protocol final : public venue_protocol {
 public:
  protocol(settings s, const protocol_options& opt);

  core::venue venue() const noexcept override { return core::venue::okx; }
  core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) override;

  channel book_channel() const noexcept { return settings_.book_channel; }
  const settings& config() const noexcept { return settings_; }
  // Base units per contract (see venues/okx/settings.hpp); nullopt = unknown derivative.
  std::optional<core::decimal> contract_value(std::string_view symbol) const {
    return okx::contract_value(settings_, symbol);
  }

 private:
  void on_entry(okx_book& b, const book_entry& e, action act);
  void on_snapshot_entry(okx_book& b, const book_entry& e);
  void on_update_entry(okx_book& b, const book_entry& e);
  // The legacy checksum (when non-zero), then the shared end-of-message step.
  void finish(okx_book& b, const book_entry& e);
  void set_seq(okx_book& b, const book_entry& e);

  settings settings_;
  protocol_options opt_;
  codec codec_;
  message msg_;
  book_registry<okx_book> books_;
};

}  // namespace depthmon::venues::okx
