// venues/coinbase/timestamp.hpp — Coinbase's RFC 3339 timestamps as Unix nanoseconds.
//
// Both Coinbase feeds stamp messages with UTC text such as "2021-04-17T16:43:37.075687Z" (Exchange
// `time`) or "2023-02-09T20:32:50.714964855Z" (Advanced Trade `timestamp`, nanoseconds). Only
// the event time of a book change comes from here; book integrity never depends on it.
//
// Threads: pure function. Errors: bad_number for text that is not
// YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM) (at most 9 fractional digits used, more are cut);
// number_overflow for instants int64 nanoseconds cannot hold (after 2262-04-11).
#pragma once

#include <string_view>

#include "core/result.hpp"
#include "core/time.hpp"

namespace depthmon::venues::coinbase {

core::result<core::unix_nanos> parse_rfc3339(std::string_view text) noexcept;

}  // namespace depthmon::venues::coinbase
