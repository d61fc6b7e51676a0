// venues/okx/codec.hpp — bytes to OKX v5 public messages.
//
// A pure function with a reusable parser: no I/O, no clock, no book. Key order is never
// assumed (one pass over each object's fields); prices and sizes are exact decimals from their
// token text; the text frame "pong" is recognised before any JSON parsing. Levels are checked
// here (price > 0, size >= 0), so a message that parses is safe to apply.
//
// Threads, errors: as every codec (venues/common/codec.hpp); unknown_message includes an
// unknown event, neither event nor arg+data, an unknown action.
#pragma once

#include "venues/common/codec.hpp"
#include "venues/okx/messages.hpp"

DEPTHMON_VENUE_CODEC(okx, codec, message)
