// venues/coinbase/exchange_sync.hpp — legacy Coinbase Exchange feed books (`level2_batch`,
// venue name "coinbase-exchange").
//
// Integrity model: level2 carries no sequence numbers, so a book is trusted from its websocket
// `snapshot` (the whole book: coverage full on both sides) plus the `l2update`s after it, and
// checked after every complete message: crossed or locked -> invalid, request::kind::resubscribe
// for that product (under the base's recovery policy); a later snapshot makes it live again. An l2update for a product without a
// snapshot (never had one, or invalidated) is dropped (`dropped`), never applied to a partial
// book. `subscriptions`, `heartbeat` (per product: sequence, last_trade_id) and `error` are
// control; ticker, match and the other channels are understood and ignored.
//
// No REST snapshots (on_snapshot returns invalid_argument). Settings: none.
//
// Threads: the owning connection's thread. Errors: see venues/protocol.hpp.
#pragma once

#include <vector>

#include "venues/coinbase/exchange_codec.hpp"
#include "venues/common/wire.hpp"
#include "venues/protocol.hpp"

namespace depthmon::venues::coinbase {

class exchange_protocol final : public venue_protocol {
 public:
  explicit exchange_protocol(const protocol_options& opt);

  core::venue venue() const noexcept override { return core::venue::coinbase_exchange; }
  core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) override;

 private:
  void on_snapshot_message(book::tracked_book& b);
  void on_l2update(book::tracked_book& b);

  protocol_options opt_;
  exchange_codec codec_;
  exchange_message msg_;
  book_registry<book::tracked_book> books_;
};

}  // namespace depthmon::venues::coinbase
