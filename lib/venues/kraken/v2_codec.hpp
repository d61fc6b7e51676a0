// venues/kraken/v2_codec.hpp — bytes to Kraken WebSocket v2 messages.
//
// Understands the `book` channel (snapshot / update, prices and sizes as JSON numbers or
// strings, decoded exactly from their token text), the `instrument` channel (per-pair
// price_precision / qty_precision), heartbeat and status, and method replies (subscribe /
// unsubscribe acks, pong). Other known channels (ticker, trade, ohlc, level3, ...) are
// `ignored`. Key order is never assumed. No I/O, no clock, no book.
//
// Threads, errors: as every codec (venues/common/codec.hpp).
#pragma once

#include "venues/common/codec.hpp"
#include "venues/kraken/messages.hpp"

DEPTHMON_VENUE_CODEC(kraken, v2_codec, message, v2_tag)
