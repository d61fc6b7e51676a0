// core/time.hpp — timestamps as integer nanoseconds since the Unix epoch.
//
// Codecs and sync state machines never read a clock: times arrive as arguments (receive time)
// or from the wire (venue event time). Threads: plain values.
#pragma once

#include <cstdint>

namespace depthmon::core {

using unix_nanos = std::int64_t;  // 0 = unknown

constexpr unix_nanos from_millis(std::int64_t ms) noexcept { return ms * 1'000'000; }
constexpr unix_nanos from_micros(std::int64_t us) noexcept { return us * 1'000; }

}  // namespace depthmon::core
