// venues/common/json.hpp — simdjson on-demand helpers shared by the codecs (private to venues).
//
// Numbers are read from their token text, never through double: token_text() returns a value's
// raw token (a JSON string's content, or a bare number's digits), which core::parse_decimal
// turns into an exact decimal. Every helper uses simdjson's error-code interface; nothing throws.
//
// Threads: callers own their parser (one per codec, one codec per thread).
#pragma once

#include <simdjson.h>

#include <string_view>
#include <vector>

#include "core/decimal.hpp"
#include "core/frame.hpp"
#include "core/result.hpp"
#include "venues/common/codec.hpp"
#include "venues/common/wire.hpp"

namespace depthmon::venues::json {

namespace od = simdjson::ondemand;

static_assert(core::frame_padding >= simdjson::SIMDJSON_PADDING,
              "frames must carry at least simdjson's padding");

inline simdjson::padded_string_view padded(core::padded_view v) noexcept {
  return simdjson::padded_string_view(v.data(), v.size(), v.capacity());
}

// Maps a simdjson error to the project's codes.
inline core::errc map_error(simdjson::error_code e) noexcept {
  switch (e) {
    case simdjson::SUCCESS: return core::errc::ok;
    case simdjson::INCORRECT_TYPE: return core::errc::wrong_type;
    case simdjson::NO_SUCH_FIELD: return core::errc::missing_field;
    case simdjson::NUMBER_OUT_OF_RANGE: return core::errc::number_overflow;
    case simdjson::NUMBER_ERROR: return core::errc::bad_number;
    default: return core::errc::malformed_json;
  }
}

// Starts parsing `frame` as a JSON object (both outputs live until the parser's next use).
inline core::status iterate_object(od::parser& parser, core::padded_view frame, od::document& doc,
                                   od::object& obj) noexcept {
  if (auto e = parser.iterate(padded(frame)).get(doc)) return {map_error(e), "document"};
  if (doc.get_object().get(obj)) return {core::errc::malformed_json, "not a JSON object"};
  return {};
}

// Reads one object field's key and value (the head of every codec's single-pass field loop).
// `Field` is what iterating an od::object yields. Forced inline: left to the compiler it
// cost the Binance replay ~10 % (measured), as the loop head runs once per JSON field.
template <class Field>
[[gnu::always_inline]] inline core::status key_value(Field& field, std::string_view& key,
                                                    od::value& value) noexcept {
  if (auto e = field.unescaped_key().get(key)) return {map_error(e), "key"};
  if (auto e = field.value().get(value)) return {map_error(e), "value"};
  return {};
}

// The text of a string or number token, without quotes or trailing whitespace.
inline core::result<std::string_view> token_text(od::value v) noexcept {
  std::string_view raw = v.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                          raw.back() == '\t'))
    raw.remove_suffix(1);
  if (raw.size() >= 2 && raw.front() == '"') {
    if (raw.back() != '"') return {core::errc::malformed_json, "unterminated string"};
    raw = raw.substr(1, raw.size() - 2);
  } else if (raw.empty() || raw.front() == '{' || raw.front() == '[' || raw.front() == 't' ||
             raw.front() == 'f' || raw.front() == 'n') {
    return {core::errc::wrong_type, "expected a number or numeric string"};
  }
  return raw;
}

inline core::result<core::decimal> decimal_of(od::value v) noexcept {
  auto t = token_text(v);
  if (!t) return t.err();
  return core::parse_decimal(*t);
}

// Parses [[price, size, ...ignored], ...] into `out` (cleared first); every level passes
// check_level().
inline core::status parse_level_array(od::array arr, std::vector<wire_level>& out) noexcept {
  out.clear();
  for (auto elem : arr) {
    od::array lvl;
    if (auto e = elem.get_array().get(lvl)) return {map_error(e), "level is not an array"};
    wire_level w{};
    int i = 0;
    for (auto field : lvl) {
      od::value v;
      if (auto e = field.get(v)) return {map_error(e), "level entry"};
      if (i == 0 || i == 1) {
        auto d = decimal_of(v);
        if (!d) return d.err();
        (i == 0 ? w.price : w.qty) = *d;
      }
      ++i;
    }
    if (i < 2) return {core::errc::missing_field, "level needs price and size"};
    if (auto st = check_level(w); !st) return st;
    out.push_back(w);
  }
  return {};
}

// The same for a value that must be such an array ("bids", "asks", "b", "a").
inline core::status parse_levels(od::value v, std::vector<wire_level>& out,
                                 const char* what) noexcept {
  od::array arr;
  if (auto e = v.get_array().get(arr)) return {map_error(e), what};
  return parse_level_array(arr, out);
}

// A field whose meaning depends on keys that may come after it (Bybit, Hyperliquid and Bitstamp
// may send "data" before "topic"/"channel"/"event"): an object value is parsed now with
// `parse(od::object)`, its status kept in `status` for the caller to judge once it knows the
// message; a non-object value leaves `is_object` false. Only a structural JSON error (the
// iterator may be mid-value) is returned at once.
template <class Parse>
core::status deferred_object(od::value v, bool& is_object, core::status& status,
                             Parse&& parse) noexcept {
  od::json_type t;
  if (auto e = v.type().get(t)) return {map_error(e), "data"};
  if (t != od::json_type::object) return {};
  od::object inner;
  if (auto e = v.get_object().get(inner)) return {map_error(e), "data"};
  is_object = true;
  status = parse(inner);
  if (status.code() == core::errc::malformed_json) return status;
  return {};
}

}  // namespace depthmon::venues::json

namespace depthmon::venues {
// The parser every json_codec owns (venues/common/codec.hpp).
struct json_codec::parser_box {
  simdjson::ondemand::parser parser;
};
}  // namespace depthmon::venues
