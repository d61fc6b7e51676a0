// venues/common/json.hpp — simdjson on-demand helpers shared by the codecs (private to venues).
//
// Numbers are read from their token text, never through double: token_text() returns a value's
// raw token (a JSON string's content, or a bare number's digits), which core::parse_decimal
// turns into an exact decimal. Every helper uses simdjson's error-code interface; nothing throws.
//
// Threads: callers own their parser (one per codec, one codec per thread).
#pragma once

#include <simdjson.h>

#include <cstdint>
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

// Starts parsing `frame` as a JSON document whose top-level type is `type` (array or object,
// for venues that send both).
inline core::status iterate_document(od::parser& parser, core::padded_view frame,
                                     od::document& doc, od::json_type& type) noexcept {
  if (auto e = parser.iterate(padded(frame)).get(doc)) return {map_error(e), "document"};
  if (doc.type().get(type)) return {core::errc::malformed_json, "not JSON"};
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

// Calls `fn(key, value)` for each field of `obj` in wire order (the single-pass field loop every
// codec runs); the first failing status stops the loop and is returned.
template <class Fn>
[[gnu::always_inline]] inline core::status for_each_field(od::object obj, Fn&& fn) noexcept {
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = key_value(field, key, v); !st) return st;
    if (auto st = fn(key, v); !st) return st;
  }
  return {};
}

// Calls `fn(element)` for each element of `v`, which must be an array (`what` names it in
// errors).
template <class Fn>
[[gnu::always_inline]] inline core::status for_each_element(od::value v, const char* what,
                                                            Fn&& fn) noexcept {
  od::array arr;
  if (auto e = v.get_array().get(arr)) return {map_error(e), what};
  for (auto elem : arr) {
    od::value ev;
    if (auto e = elem.get(ev)) return {map_error(e), what};
    if (auto st = fn(ev); !st) return st;
  }
  return {};
}

// The same for an array whose elements must be objects: `fn(od::object)`.
template <class Fn>
inline core::status for_each_object(od::value v, const char* what, Fn&& fn) noexcept {
  return for_each_element(v, what, [&](od::value ev) -> core::status {
    od::object o;
    if (auto e = ev.get_object().get(o)) return {map_error(e), what};
    return fn(o);
  });
}

// Typed reads of one value, so a codec's field dispatch reads one line a field. `what` names
// the field in the error.
inline core::status read(od::value v, std::string_view& out, const char* what) noexcept {
  if (auto e = v.get_string().get(out)) return {map_error(e), what};
  return {};
}
inline core::status read(od::value v, std::uint64_t& out, const char* what) noexcept {
  if (auto e = v.get_uint64().get(out)) return {map_error(e), what};
  return {};
}
inline core::status read(od::value v, std::int64_t& out, const char* what) noexcept {
  if (auto e = v.get_int64().get(out)) return {map_error(e), what};
  return {};
}
inline core::status read(od::value v, bool& out, const char* what) noexcept {
  if (auto e = v.get_bool().get(out)) return {map_error(e), what};
  return {};
}
// ... and note that the field was present.
template <class T>
inline core::status read(od::value v, T& out, bool& seen, const char* what) noexcept {
  seen = true;
  return read(v, out, what);
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

// Where a positional level ([price, size, ...]) keeps its price and size; entries before
// `min_entries` must be present, others are ignored (Kraken v1's time and "r" are read by its
// own `extra` callback).
struct level_layout {
  int price = 0;
  int qty = 1;
  int min_entries = 2;
};

// Parses one positional level `lvl` into `w` per `layout`; `extra(index, value, text)` sees
// every other entry and each price/size token (digits-counting venues read them there).
template <class Extra>
[[gnu::always_inline]] inline core::status parse_positional_level(od::array lvl,
                                                                  const level_layout& layout,
                                                                  wire_level& w,
                                                                  Extra&& extra) noexcept {
  int i = 0;
  for (auto field : lvl) {
    od::value v;
    if (auto e = field.get(v)) return {map_error(e), "level entry"};
    if (i == layout.price || i == layout.qty) {
      auto t = token_text(v);
      if (!t) return t.err();
      auto d = core::parse_decimal(*t);
      if (!d) return d.err();
      (i == layout.price ? w.price : w.qty) = *d;
      if (auto st = extra(i, v, *t, *d); !st) return st;
    } else if (auto st = extra(i, v, std::string_view{}, core::decimal{}); !st) {
      return st;
    }
    ++i;
  }
  if (i < layout.min_entries) return {core::errc::missing_field, "level needs price and size"};
  return check_level(w);
}

inline constexpr auto no_extra = [](int, od::value, std::string_view, core::decimal) noexcept {
  return core::status{};
};

// Parses [[price, size, ...ignored], ...] into `out` (cleared first); every level passes
// check_level().
inline core::status parse_level_array(od::array arr, std::vector<wire_level>& out) noexcept {
  out.clear();
  for (auto elem : arr) {
    od::array lvl;
    if (auto e = elem.get_array().get(lvl)) return {map_error(e), "level is not an array"};
    wire_level w{};
    if (auto st = parse_positional_level(lvl, level_layout{}, w, no_extra); !st) return st;
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

// ... and note that the field was present.
inline core::status parse_levels(od::value v, std::vector<wire_level>& out, bool& seen,
                                 const char* what) noexcept {
  seen = true;
  return parse_levels(v, out, what);
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

// The usual codec parse(): `reset(out)`, one pass of `top` over the frame's object into a
// default `Fields`, then `classify(out, fields)` once every key has been seen.
template <class Fields, class Message, class Reset, class Top, class Classify>
inline core::status read_then_classify(od::parser& parser, core::padded_view frame, Message& out,
                                       Reset&& reset, Top&& top, Classify&& classify) noexcept {
  reset(out);
  od::document doc;
  od::object obj;
  if (auto st = iterate_object(parser, frame, doc, obj); !st) return st;
  Fields f;
  if (auto st = top(obj, out, f); !st) return st;
  return classify(out, f);
}

}  // namespace depthmon::venues::json

namespace depthmon::venues {
// The parser every json_codec owns (venues/common/codec.hpp).
struct json_codec::parser_box {
  simdjson::ondemand::parser parser;
};
}  // namespace depthmon::venues
