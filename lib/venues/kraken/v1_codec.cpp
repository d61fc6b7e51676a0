#include "venues/kraken/v1_codec.hpp"

#include <charconv>

#include "venues/common/json.hpp"
#include "venues/kraken/wire_text.hpp"

namespace depthmon::venues::kraken {

namespace od = simdjson::ondemand;
using core::errc;

bool parse_book_channel(std::string_view name, std::uint32_t& depth) noexcept {
  constexpr std::string_view prefix = "book-";
  if (name.size() <= prefix.size() || name.substr(0, prefix.size()) != prefix) return false;
  const std::string_view n = name.substr(prefix.size());
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(n.data(), n.data() + n.size(), v);
  if (ec != std::errc() || p != n.data() + n.size()) return false;
  depth = v;
  return true;
}

namespace {

// ["price","volume","timestamp"(,"r")]
core::status parse_levels(od::value v, std::vector<wire_level>& out, book_data& b) noexcept {
  od::array arr;
  if (auto e = v.get_array().get(arr)) return {json::map_error(e), "levels must be arrays"};
  for (auto elem : arr) {
    od::array lvl;
    if (auto e = elem.get_array().get(lvl)) return {json::map_error(e), "level is not an array"};
    wire_level w{};
    int i = 0;
    for (auto field : lvl) {
      od::value fv;
      if (auto e = field.get(fv)) return {json::map_error(e), "level entry"};
      if (i == 0 || i == 1) {
        auto t = json::token_text(fv);
        if (!t) return t.err();
        auto d = core::parse_decimal(*t);
        if (!d) return d.err();
        const unsigned w_digits = written_digits(*t, *d);
        if (i == 0) {
          w.price = *d;
          if (w_digits > b.price_digits) b.price_digits = w_digits;
        } else {
          w.qty = *d;
          if (w_digits > b.qty_digits) b.qty_digits = w_digits;
        }
      } else if (i == 2) {
        // Level time: informational; a level without a readable one is still a level.
        auto t = json::token_text(fv);
        if (t) {
          const core::unix_nanos ts = parse_epoch_seconds(*t);
          if (ts > b.event_time) b.event_time = ts;
        }
      }
      // i == 3: update type "r" (republished): applied like any update.
      ++i;
    }
    if (i < 2) return {errc::missing_field, "level needs price and volume"};
    if (w.price.mantissa <= 0) return {errc::bad_number, "price must be positive"};
    if (w.qty.mantissa < 0) return {errc::bad_number, "volume must not be negative"};
    out.push_back(w);
  }
  return {};
}

struct book_keys {
  bool snapshot = false;  // "as" / "bs"
  bool update = false;    // "a" / "b"
};

core::status parse_book_object(od::object o, book_data& b, book_keys& keys) noexcept {
  for (auto f : o) {
    std::string_view k;
    od::value v;
    if (auto st = json::key_value(f, k, v); !st) return st;
    core::status st;
    if (k == "as" || k == "bs") {
      st = parse_levels(v, k[0] == 'a' ? b.asks : b.bids, b);
      keys.snapshot = true;
    } else if (k == "a" || k == "b") {
      st = parse_levels(v, k[0] == 'a' ? b.asks : b.bids, b);
      keys.update = true;
    } else if (k == "c") {
      auto t = json::token_text(v);
      if (!t) return {t.code(), "c must be a checksum string"};
      if (!parse_checksum(*t, b.checksum))
        return {errc::bad_number, "c must be an unsigned 32-bit integer"};
      b.has_checksum = true;
    }
    if (!st) return st;
  }
  return {};
}

bool is_ignored_channel(std::string_view c) noexcept {
  return c == "trade" || c == "spread" || c == "ticker" || c.substr(0, 5) == "ohlc-";
}

core::status parse_array(od::array arr, message& m) noexcept {
  // Pass 1: the frame's shape and its trailing channel name and pair. Payload objects are
  // skipped here: how to read them depends on the channel, which comes after them.
  std::size_t n = 0;
  bool id_is_number = false;
  std::string_view strings[2];
  std::size_t string_at[2] = {0, 0};
  for (auto elem : arr) {
    od::value v;
    if (auto e = elem.get(v)) return {json::map_error(e), "array element"};
    od::json_type t;
    if (auto e = v.type().get(t)) return {json::map_error(e), "array element"};
    if (n == 0) {
      id_is_number = t == od::json_type::number;
    } else if (t == od::json_type::string) {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return {json::map_error(e), "string"};
      strings[0] = strings[1];
      string_at[0] = string_at[1];
      strings[1] = s;
      string_at[1] = n;
    }
    ++n;
  }
  if (n < 4 || !id_is_number || string_at[1] != n - 1 || string_at[0] != n - 2)
    return {errc::unknown_message, "not a Kraken v1 channel message"};
  const std::string_view channel = strings[0];
  const std::string_view pair = strings[1];

  std::uint32_t depth = 0;
  if (!parse_book_channel(channel, depth)) {
    if (is_ignored_channel(channel)) {
      m.kind = msg_kind::ignored;
      return {};
    }
    return {errc::unknown_message, "unknown Kraken v1 channel"};
  }

  // Pass 2: the payload objects of a book message.
  book_data& b = m.add_book();
  b.symbol = pair;
  b.depth = valid_depth(depth) ? depth : 0;
  book_keys keys;
  bool non_empty = false;
  if (auto e = arr.reset().get(non_empty)) return {json::map_error(e), "array"};
  std::size_t i = 0;
  for (auto elem : arr) {
    if (i >= 1 && i + 2 < n) {
      od::object o;
      if (auto e = elem.get_object().get(o)) return {json::map_error(e), "book payload must be an object"};
      if (auto st = parse_book_object(o, b, keys); !st) return st;
    }
    ++i;
  }
  if (keys.snapshot && keys.update) return {errc::unknown_message, "snapshot and update keys mixed"};
  if (!keys.snapshot && !keys.update) return {errc::missing_field, "book message needs as/bs or a/b"};
  b.snapshot = keys.snapshot;
  m.kind = msg_kind::book;
  return {};
}

// Event fields that only refine the classification: a wrong type leaves them empty.
void optional(simdjson::error_code) noexcept {}

core::status parse_event(od::object obj, message& m) noexcept {
  std::string_view event, status, channel_name, pair, sub_name;
  std::uint64_t sub_depth = 0;
  bool has_event = false;
  for (auto field : obj) {
    std::string_view k;
    od::value v;
    if (auto st = json::key_value(field, k, v); !st) return st;
    if (k == "event") {
      if (auto e = v.get_string().get(event)) return {json::map_error(e), "event"};
      has_event = true;
    } else if (k == "status") {
      optional(v.get_string().get(status));  // systemStatus "online", subscriptionStatus "subscribed"
    } else if (k == "channelName") {
      optional(v.get_string().get(channel_name));
    } else if (k == "pair") {
      optional(v.get_string().get(pair));  // a string in acks, an array in our own requests
    } else if (k == "subscription") {
      od::object so;
      if (!v.get_object().get(so)) {
        for (auto sf : so) {
          std::string_view sk;
          od::value sv;
          if (auto st = json::key_value(sf, sk, sv); !st) return st;
          if (sk == "name") optional(sv.get_string().get(sub_name));
          else if (sk == "depth") optional(sv.get_uint64().get(sub_depth));
        }
      }
    }
  }
  if (!has_event) return {errc::unknown_message, "not a Kraken v1 message"};
  if (event == "subscriptionStatus") {
    std::uint32_t depth = 0;
    const bool book_channel = parse_book_channel(channel_name, depth);
    if (status == "subscribed" && !pair.empty() && (book_channel || sub_name == "book")) {
      m.kind = msg_kind::subscribed;
      m.symbol = pair;
      m.depth = valid_depth(depth)       ? depth
                : valid_depth(sub_depth) ? static_cast<std::uint32_t>(sub_depth)
                                         : 0;
      return {};
    }
    m.kind = msg_kind::control;
    return {};
  }
  if (event == "heartbeat" || event == "systemStatus" || event == "pong" || event == "ping" ||
      event == "error" || event == "subscribe" || event == "unsubscribe") {
    m.kind = msg_kind::control;
    return {};
  }
  return {errc::unknown_message, "unknown Kraken v1 event"};
}

}  // namespace

}  // namespace depthmon::venues::kraken

namespace depthmon::venues {

using namespace kraken;

template <>
core::status codec_for<kraken::message, kraken::v1_tag>::parse(core::padded_view frame, kraken::message& m) noexcept {
  m.reset();
  od::document doc;
  if (auto e = parser().parser.iterate(json::padded(frame)).get(doc))
    return {json::map_error(e), "document"};
  od::json_type t;
  if (doc.type().get(t)) return {errc::malformed_json, "not JSON"};
  if (t == od::json_type::array) {
    od::array arr;
    if (auto e = doc.get_array().get(arr)) return {json::map_error(e), "document"};
    return parse_array(arr, m);
  }
  if (t == od::json_type::object) {
    od::object obj;
    if (auto e = doc.get_object().get(obj)) return {json::map_error(e), "document"};
    return parse_event(obj, m);
  }
  return {errc::unknown_message, "not a Kraken v1 message"};
}

}  // namespace depthmon::venues
