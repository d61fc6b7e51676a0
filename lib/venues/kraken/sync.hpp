// venues/kraken/sync.hpp — Kraken's book maintenance, v2 and v1: one state machine, one checksum.
//
// Per book (docs/protocols.md §3.3): a websocket snapshot replaces the book; updates (absolute
// sizes, 0 = delete, applied in order) need a snapshot first and are dropped (counted) without
// one. After every message the book is truncated to its depth N (Kraken sends no deletes for
// levels pushed out of scope), so each side's coverage is "known to the current N-th level";
// then the checksum is verified (v2: snapshots and updates; v1: updates, string "c"), then the
// book is checked for a crossed/locked top. A failure invalidates that book only and queues a
// `resubscribe` request (spec() builds the frames) under the base's recovery policy; the next
// snapshot for the symbol makes it live again.
//
// Depth N, one per book: the `depth` setting when given; otherwise the first depth the venue
// shows for the book (v2: the subscription ack's "depth"; v1: the "book-N" channel name of its
// first message), else 10. Once fixed it never changes: v1 book messages of another depth for
// the same pair (a second subscription on the connection) are ignored, never mixed in.
// Checksum precision, first match wins: the `precision.<SYMBOL>` setting; the v2 instrument
// channel's price_precision / qty_precision; else the most fractional digits the wire has
// written for the pair since its last snapshot. v1 sends fixed-precision strings, so that is
// exact; v2 JSON numbers drop trailing zeros, so there it is a lower bound and, on a mismatch,
// up to 10 more digits per value are tried (at most 120 CRCs, only on a mismatch) before the
// book is declared wrong — a 32-bit CRC matching by chance at one of them is ~3e-8 likely; a
// precision found that way is kept for the symbol (until the wire shows more digits).
//
// Threads: the owning connection's thread. Errors: see venues/protocol.hpp.
#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "venues/common/wire.hpp"
#include "venues/kraken/messages.hpp"
#include "venues/kraken/settings.hpp"
#include "venues/kraken/v1_codec.hpp"
#include "venues/kraken/v2_codec.hpp"
#include "venues/kraken/checksum.hpp"
#include "venues/protocol.hpp"

namespace depthmon::venues::kraken {

enum class precision_source : std::uint8_t {
  wire,        // digits written on the wire (a lower bound on v2)
  probed,      // a v2 checksum matched at a finer precision than the wire showed
  instrument,  // v2 instrument channel
  setting,     // precision.<SYMBOL>
};

struct kraken_book : book::tracked_book {
  using tracked_book::tracked_book;
  std::uint32_t depth = 10;            // levels kept per side
  bool depth_fixed = false;            // `depth` came from the setting or the venue
  precision_source source = precision_source::wire;
  pair_precisions known{};             // for source setting / instrument
  pair_precisions floor{};             // probed precision (kept across snapshots)
  pair_precisions wire_digits{};       // most digits written since the last snapshot
  checksum_cache checksums;            // formatted top levels of the last check

  // The precisions the next checksum uses.
  pair_precisions precision() const noexcept {
    if (source == precision_source::setting || source == precision_source::instrument) return known;
    return {std::max(floor.price, wire_digits.price), std::max(floor.qty, wire_digits.qty)};
  }
};

class protocol final : public venue_protocol {
 public:
  protocol(api a, const protocol_options& opt, settings s);

  core::venue venue() const noexcept override {
    return api_ == api::v2 ? core::venue::kraken : core::venue::kraken_v1;
  }
  core::status on_frame(core::padded_view frame, core::unix_nanos recv_time) override;

  api api_version() const noexcept { return api_; }
  const settings& config() const noexcept { return settings_; }
  kraken_book* kraken_book_for(std::string_view symbol) const noexcept { return books_.find(symbol); }

 private:
  kraken_book* book_for(std::string_view symbol);
  kraken_book* add_book(std::string_view symbol);
  void on_book_data(const book_data& d, core::unix_nanos recv_time);
  void apply_snapshot(kraken_book& b, const book_data& d);
  void apply_update(kraken_book& b, const book_data& d);
  void finish(kraken_book& b, const book_data& d);
  core::status verify(kraken_book& b, std::uint32_t expected) noexcept;
  void on_ack(std::string_view symbol, std::uint32_t depth);
  void on_instrument();

  api api_;
  protocol_options opt_;
  settings settings_;
  v1_codec v1_;
  v2_codec v2_;
  message msg_;
  book_registry<kraken_book> books_;
  std::map<std::string, pair_precisions, std::less<>> instrument_precisions_;
  std::map<std::string, std::uint32_t, std::less<>> acked_depths_;
};

}  // namespace depthmon::venues::kraken
