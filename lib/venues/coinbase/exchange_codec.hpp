// venues/coinbase/exchange_codec.hpp — bytes to legacy Coinbase Exchange feed messages.
//
// A pure function with a reusable parser: no I/O, no clock, no book. One pass over each object's
// fields whatever their order (the book arrays are read whatever `type` turns out to be, then
// the type decides). Prices and sizes are exact decimals from their token text; prices must be
// > 0 and sizes >= 0, so nothing a book would reject midway reaches the sync layer.
//
// Threads, errors: as every codec (venues/common/codec.hpp).
#pragma once

#include "venues/common/codec.hpp"
#include "venues/coinbase/exchange_messages.hpp"

DEPTHMON_VENUE_CODEC(coinbase, exchange_codec, exchange_message)
