// venues/coinbase/advanced_trade_codec.hpp — bytes to Advanced Trade messages.
//
// A pure function with a reusable parser: no I/O, no clock, no book. Key order is never assumed:
// when `events` precedes `channel`, the document is rewound once and the events are read in a
// second pass. Prices and sizes are exact decimals from their token text; sizes must be >= 0 and
// prices > 0, so nothing a book would reject midway reaches the sync layer. `client_id` is not
// relied on (production frames omit it); `heartbeat_counter` may be an integer or a string, and
// a heartbeat whose counter cannot be read is still understood (has_heartbeat_counter = false).
//
// Threads, errors: as every codec (venues/common/codec.hpp). For a well-formed message on an
// unknown channel the envelope (`channel` = unknown, `has_sequence`, `sequence_num`) is still
// filled in, so the connection's sequence can account for the frame.
#pragma once

#include "venues/common/codec.hpp"
#include "venues/coinbase/advanced_trade_messages.hpp"

DEPTHMON_VENUE_CODEC(coinbase, advanced_trade_codec, at_message)
