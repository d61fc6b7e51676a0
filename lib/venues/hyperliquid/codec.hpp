// venues/hyperliquid/codec.hpp — bytes to Hyperliquid websocket messages.
//
// A pure function with a reusable parser: no I/O, no clock, no book. Key order is never assumed
// ("data" may precede "channel"; px/sz/n in any order), so each object is read in one pass over
// its fields and classified afterwards. px and sz are exact decimals from their token text; a
// px <= 0 or a negative sz is a bad number. `levels` must be exactly [bids, asks]; empty sides
// are valid.
//
// Threads, errors: as every codec (venues/common/codec.hpp).
#pragma once

#include "venues/common/codec.hpp"
#include "venues/hyperliquid/messages.hpp"

DEPTHMON_VENUE_CODEC(hyperliquid, codec, message)
