// venues/coinbase/exchange_sync.hpp — legacy Coinbase Exchange feed books (`level2_batch`,
// venue name "coinbase-exchange").
//
// Integrity model: level2 carries no sequence numbers, so a book is trusted from its websocket
// `snapshot` (the whole book: coverage full on both sides) plus the `l2update`s after it, and
// checked after every complete message: crossed or locked -> invalid, request::kind::resubscribe
// for that product; a later snapshot makes it live again. An l2update for a product without a
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
#include "venues/coinbase/full_book.hpp"
#include "venues/common/wire.hpp"
#include "venues/protocol.hpp"

namespace depthmon::venues::coinbase {

class exchange_protocol final : public venue_protocol {
 public:
  explicit exchange_protocol(const protocol_options& opt);

  // The options this venue accepts: any symbols, no settings.
  static core::status check_options(const protocol_options& opt) noexcept;

  core::venue venue() const noexcept override { return core::venue::coinbase_exchange; }
  core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) override;
  core::status on_snapshot(std::string_view symbol, core::padded_view body,
                           core::unix_nanos recv_time) override;
  std::vector<std::string> subscribe_messages() const override;
  std::vector<std::string> unsubscribe_messages(std::string_view symbol) const override;
  void on_disconnect() override;

 private:
  coinbase_book* book_for(std::string_view product);
  void on_snapshot_message(coinbase_book& b);
  void on_l2update(coinbase_book& b);
  void check_and_publish(coinbase_book& b);
  void resync(coinbase_book& b, core::error why);

  protocol_options opt_;
  exchange_codec codec_;
  exchange_message msg_;
  book_registry<coinbase_book> books_;
};

}  // namespace depthmon::venues::coinbase
