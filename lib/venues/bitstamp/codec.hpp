// venues/bitstamp/codec.hpp — bytes to Bitstamp websocket events and REST order_book bodies.
//
// A pure function with a reusable parser: no I/O, no clock, no book. Key order is never assumed
// (Bitstamp sends "data" before "event" and "channel"), so each object is read in one pass over
// its fields and classified afterwards. Prices and amounts are exact decimals from their token
// text; a price <= 0 or a negative amount is a bad number; microtimestamp must be an unsigned
// integer (string or number).
//
// Threads, errors: as every codec (venues/common/codec.hpp).
#pragma once

#include "core/frame.hpp"
#include "core/result.hpp"
#include "venues/bitstamp/messages.hpp"
#include "venues/common/codec.hpp"

namespace depthmon::venues::bitstamp {

class codec : public json_codec {
 public:
  // One websocket text frame.
  core::status parse(core::padded_view frame, message& out) noexcept;
  // A REST order_book body: msg_kind::snapshot, or msg_kind::error for an error body.
  core::status parse_snapshot(core::padded_view body, message& out) noexcept;
};

}  // namespace depthmon::venues::bitstamp
