// core/time.hpp — timestamps as integer nanoseconds since the Unix epoch.
//
// Codecs and sync state machines never read a clock: times arrive as arguments (receive time)
// or from the wire (venue event time). Conversions never overflow: a wire time outside what
// int64 nanoseconds hold (1677..2262) becomes 0, "unknown", instead of wrapping.
//
// Threads: plain values and pure functions. Errors: parse_rfc3339 returns bad_number for text
// that is not YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM) (fraction cut at 9 digits) and
// number_overflow for instants int64 nanoseconds cannot hold.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace depthmon::core {

using unix_nanos = std::int64_t;  // 0 = unknown

constexpr unix_nanos from_millis(std::int64_t ms) noexcept {
  unix_nanos out = 0;
  return __builtin_mul_overflow(ms, std::int64_t{1'000'000}, &out) ? 0 : out;
}
constexpr unix_nanos from_micros(std::int64_t us) noexcept {
  unix_nanos out = 0;
  return __builtin_mul_overflow(us, std::int64_t{1'000}, &out) ? 0 : out;
}

// RFC 3339 / ISO 8601 UTC text ("2023-02-09T20:32:50.714964855Z", "...+01:00").
result<unix_nanos> parse_rfc3339(std::string_view text) noexcept;

// "2025-10-01T00:00:00.123456789Z" with `digits` fractional digits (0..9), UTC.
std::string format_rfc3339(unix_nanos t, unsigned digits = 0);

}  // namespace depthmon::core
