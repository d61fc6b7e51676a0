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

namespace depthmon::venues::okx {

// The ctVal (base units per contract, > 0) of `inst_id` in a GET /api/v5/public/instruments
// body {"code":"0","msg":"","data":[{"instId":..,"ctVal":"0.01",..}]}. Errors: unknown_message
// for a non-zero code, missing_field when the instrument or its ctVal is absent, bad_number
// for a ctVal that is not a positive decimal. Startup only (it owns a parser per call).
core::result<core::decimal> instrument_ct_val(core::padded_view body, std::string_view inst_id);

}  // namespace depthmon::venues::okx
