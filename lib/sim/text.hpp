// sim/text.hpp — the small text tools the simulator's encoders share: exact decimal output at a
// venue's precision, timestamps as venues write them, and a minimal JSON reader for the short
// control messages clients send (subscribe, ping). The reader is the simulator's own code, so
// a client bug in building requests is not hidden by sharing its parser.
//
// Threads: pure functions. Errors: parse_json returns std::nullopt on anything that is not a
// complete JSON value; formatting cannot fail for the values the models produce.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.hpp"

namespace depthmon::sim {

// ticks × 10^-scale with exactly `decimals` fractional digits (decimals >= scale), e.g.
// (35210, 5, 8) -> "0.35210000". No point when decimals == 0.
void append_fixed(std::string& out, std::int64_t ticks, unsigned scale, unsigned decimals);
// The canonical (shortest) text: no trailing fractional zeros, e.g. (35210, 5) -> "0.3521".
void append_canonical(std::string& out, std::int64_t ticks, unsigned scale);
std::string fixed(std::int64_t ticks, unsigned scale, unsigned decimals);
std::string canonical(std::int64_t ticks, unsigned scale);
void append_u64(std::string& out, std::uint64_t v);
void append_i64(std::string& out, std::int64_t v);
// JSON string literal (quotes and escapes).
void append_quoted(std::string& out, std::string_view s);

// "2025-10-01T00:00:00.123456789Z" with `digits` fractional digits (0..9).
std::string rfc3339(core::unix_nanos t, unsigned digits);

struct jmember;

// A parsed JSON value; numbers keep their token text.
struct jvalue {
  enum class type : std::uint8_t { null, boolean, number, string, array, object };
  type t = type::null;
  bool b = false;
  std::string text;  // string content (unescaped) or number token
  std::vector<jvalue> items;
  // A named struct, not std::pair<std::string, jvalue>: a pair of the type being defined is
  // rejected by clang/libc++ (and only tolerated by GCC), a vector of an incomplete struct is not.
  std::vector<jmember> members;

  const jvalue* get(std::string_view key) const noexcept;
  bool is_string() const noexcept { return t == type::string; }
  bool is_array() const noexcept { return t == type::array; }
  bool is_object() const noexcept { return t == type::object; }
  // The string content of member `key`, or "" when absent or not a string.
  std::string_view str(std::string_view key) const noexcept;
  // Member `key` as written (string content or number token), "" when absent.
  std::string_view scalar(std::string_view key) const noexcept;
};

// One object member, in document order (`first`/`second` as a pair would name them).
struct jmember {
  std::string first;
  jvalue second;
};

std::optional<jvalue> parse_json(std::string_view text);

}  // namespace depthmon::sim
