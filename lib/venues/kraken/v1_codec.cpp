#include "venues/kraken/v1_codec.hpp"

#include <charconv>

#include "venues/common/json.hpp"
#include "venues/kraken/book_fields.hpp"

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
  auto extra = [&](int i, od::value fv, std::string_view text, core::decimal d) -> core::status {
    if (i == 0 || i == 1) {
      note_digits(text, d, i == 0 ? b.price_digits : b.qty_digits);
    } else if (i == 2) {
      // Level time: informational; a level without a readable one is still a level.
      if (auto t = json::token_text(fv)) {
        const core::unix_nanos ts = parse_epoch_seconds(*t);
        if (ts > b.event_time) b.event_time = ts;
      }
    }
    // i == 3: update type "r" (republished): applied like any update.
    return {};
  };
  return json::for_each_element(v, "levels must be arrays", [&](od::value lv) -> core::status {
    od::array lvl;
    if (auto e = lv.get_array().get(lvl)) return {json::map_error(e), "level is not an array"};
    wire_level w{};
    if (auto st = json::parse_positional_level(lvl, json::level_layout{}, w, extra); !st) return st;
    out.push_back(w);
    return {};
  });
}

struct book_keys {
  bool snapshot = false;  // "as" / "bs"
  bool update = false;    // "a" / "b"
};

core::status parse_book_object(od::object o, book_data& b, book_keys& keys) noexcept {
  return json::for_each_field(o, [&](std::string_view k, od::value v) -> core::status {
    if (k == "c") return read_checksum(v, b, "c must be a checksum string");
    const bool snapshot = k == "as" || k == "bs";
    if (!snapshot && k != "a" && k != "b") return {};
    (snapshot ? keys.snapshot : keys.update) = true;
    return parse_levels(v, k[0] == 'a' ? b.asks : b.bids, b);
  });
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
  auto st = json::for_each_field(obj, [&](std::string_view k, od::value v) -> core::status {
    if (k == "event") return json::read(v, event, has_event, "event");
    if (k == "status") {
      // systemStatus "online", subscriptionStatus "subscribed"
      optional(v.get_string().get(status));
    } else if (k == "channelName") {
      optional(v.get_string().get(channel_name));
    } else if (k == "pair") {
      optional(v.get_string().get(pair));  // a string in acks, an array in our own requests
    } else if (k == "subscription") {
      od::object so;
      if (v.get_object().get(so)) return {};
      return json::for_each_field(so, [&](std::string_view sk, od::value sv) -> core::status {
        if (sk == "name") optional(sv.get_string().get(sub_name));
        else if (sk == "depth") optional(sv.get_uint64().get(sub_depth));
        return {};
      });
    }
    return {};
  });
  if (!st) return st;
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
    if (status == "unsubscribed" && !pair.empty() && (book_channel || sub_name == "book")) {
      m.kind = msg_kind::unsubscribed;
      m.symbol = pair;
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

DEPTHMON_CODEC_PARSE(kraken::message, kraken::v1_tag) {
  kraken::message& m = out;
  m.reset();
  od::document doc;
  od::json_type t;
  if (auto st = json::iterate_document(parser().parser, frame, doc, t); !st) return st;
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
