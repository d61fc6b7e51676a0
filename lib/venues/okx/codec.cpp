#include "venues/okx/codec.hpp"

#include <charconv>
#include <cstdint>
#include <limits>

#include "venues/common/json.hpp"

namespace depthmon::venues::okx {

namespace od = simdjson::ondemand;
using core::errc;

namespace {

struct fields {
  bool has_arg = false, has_data = false, has_event = false, has_action = false;
  bool has_op = false;
  std::string_view action_text;
};

core::status read_string(od::value v, std::string_view& out, const char* what) noexcept {
  if (auto e = v.get_string().get(out)) return {json::map_error(e), what};
  return {};
}

core::status read_i64(od::value v, std::int64_t& out, const char* what) noexcept {
  if (auto e = v.get_int64().get(out)) return {json::map_error(e), what};
  return {};
}

void reset_entry(book_entry& e) noexcept {
  e.bids.clear();
  e.asks.clear();
  e.has_bids = e.has_asks = false;
  e.checksum = 0;
  e.seq_id = e.prev_seq_id = 0;
  e.has_seq_id = e.has_prev_seq_id = false;
  e.ts_ms = 0;
  e.inst_id = {};
}

core::status parse_entry(od::object obj, book_entry& out) noexcept {
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    core::status st;
    if (key == "asks") {
      st = json::parse_levels(v, out.asks, "asks must be an array");
      out.has_asks = true;
    } else if (key == "bids") {
      st = json::parse_levels(v, out.bids, "bids must be an array");
      out.has_bids = true;
    } else if (key == "checksum") {
      st = read_i64(v, out.checksum, "checksum");
      if (st && (out.checksum < std::numeric_limits<std::int32_t>::min() ||
                 out.checksum > std::numeric_limits<std::int32_t>::max()))
        return {errc::number_overflow, "checksum outside signed 32-bit range"};
    } else if (key == "seqId") {
      st = read_i64(v, out.seq_id, "seqId");
      if (st && out.seq_id < 0) return {errc::bad_number, "seqId must not be negative"};
      out.has_seq_id = true;
    } else if (key == "prevSeqId") {
      st = read_i64(v, out.prev_seq_id, "prevSeqId");
      if (st && out.prev_seq_id < -1) return {errc::bad_number, "prevSeqId below -1"};
      out.has_prev_seq_id = true;
    } else if (key == "ts") {
      auto t = json::token_text(v);
      if (!t) return t.err();
      const auto [p, ec] = std::from_chars(t->data(), t->data() + t->size(), out.ts_ms);
      if (ec != std::errc() || p != t->data() + t->size()) return {errc::bad_number, "ts"};
      // Milliseconds that fit core::unix_nanos (int64 ns) once converted.
      if (out.ts_ms < 0 || out.ts_ms > std::numeric_limits<std::int64_t>::max() / 1'000'000)
        return {errc::number_overflow, "ts out of range"};
    } else if (key == "instId") {
      st = read_string(v, out.inst_id, "data instId");
    }
    if (!st) return st;
  }
  return {};
}

core::status parse_data(od::value v, message& m) noexcept {
  od::array arr;
  if (auto e = v.get_array().get(arr)) return {json::map_error(e), "data must be an array"};
  for (auto elem : arr) {
    od::object obj;
    if (auto e = elem.get_object().get(obj)) return {json::map_error(e), "data entry"};
    if (m.entry_count == m.entries.size()) m.entries.emplace_back();
    book_entry& be = m.entries[m.entry_count++];
    reset_entry(be);
    if (auto st = parse_entry(obj, be); !st) return st;
  }
  return {};
}

core::status parse_arg(od::value v, message& m) noexcept {
  od::object obj;
  if (auto e = v.get_object().get(obj)) return {json::map_error(e), "arg must be an object"};
  for (auto field : obj) {
    std::string_view key;
    od::value val;
    if (auto st = json::key_value(field, key, val); !st) return st;
    core::status st;
    if (key == "channel") {
      st = read_string(val, m.channel_name, "arg.channel");
      if (st) m.book_channel = channel_from_name(m.channel_name);
    } else if (key == "instId") {
      st = read_string(val, m.inst_id, "arg.instId");
    }
    if (!st) return st;
  }
  return {};
}

core::status parse_top(od::object obj, message& m, fields& f) noexcept {
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (auto st = json::key_value(field, key, v); !st) return st;
    core::status st;
    if (key == "arg") {
      st = parse_arg(v, m);
      f.has_arg = true;
    } else if (key == "data") {
      f.has_data = true;
      // OKX sends "arg" first: another channel's payload is skipped unread. If "data" came
      // first, it is read as book data (only the book keys are looked at).
      if (!(f.has_arg && !m.book_channel)) st = parse_data(v, m);
    } else if (key == "action") {
      st = read_string(v, f.action_text, "action");
      f.has_action = true;
    } else if (key == "event") {
      st = read_string(v, m.event, "event");
      f.has_event = true;
    } else if (key == "code") {
      auto t = json::token_text(v);
      if (!t) return {errc::wrong_type, "code"};
      m.code = *t;
    } else if (key == "op") {
      f.has_op = true;
    }
    // "id", "msg", "connId" ... are not needed.
    if (!st) return st;
  }
  return {};
}

core::status classify(message& m, const fields& f) noexcept {
  if (f.has_event) {
    if (m.event == "subscribe" || m.event == "unsubscribe") {
      m.kind = msg_kind::subscribed;
    } else if (m.event == "error") {
      m.kind = msg_kind::error;
    } else if (m.event == "notice") {
      m.kind = msg_kind::notice;
    } else if (m.event == "login" || m.event == "channel-conn-count" ||
               m.event == "channel-conn-count-error") {
      m.kind = msg_kind::other_event;
    } else {
      return {errc::unknown_message, "unknown event"};
    }
    return {};
  }
  if (f.has_op && !f.has_data)
    return {errc::unknown_message, "a client request (\"op\"), not something OKX sends"};
  if (!f.has_arg || !f.has_data) return {errc::unknown_message, "not an OKX v5 message"};
  if (m.channel_name.empty()) return {errc::missing_field, "arg.channel"};
  if (!m.book_channel) {
    m.kind = msg_kind::channel_data;
    return {};
  }
  if (m.entry_count == 0) return {errc::missing_field, "book data is empty"};
  if (m.inst_id.empty()) m.inst_id = m.entries[0].inst_id;
  if (m.inst_id.empty()) return {errc::missing_field, "instId"};
  for (std::size_t i = 0; i < m.entry_count; ++i)
    if (!m.entries[i].has_bids || !m.entries[i].has_asks)
      return {errc::missing_field, "book data needs asks and bids"};
  if (is_incremental(*m.book_channel)) {
    if (!f.has_action) return {errc::missing_field, "action"};
    if (f.action_text == "snapshot") m.act = action::snapshot;
    else if (f.action_text == "update") m.act = action::update;
    else return {errc::unknown_message, "unknown action"};
  }
  m.kind = msg_kind::book_data;
  return {};
}

void reset(message& m) noexcept {
  m.kind = msg_kind::other_event;
  m.channel_name = {};
  m.inst_id = {};
  m.book_channel.reset();
  m.act = action::none;
  m.event = {};
  m.code = {};
  m.entry_count = 0;
}

}  // namespace

}  // namespace depthmon::venues::okx

namespace depthmon::venues {

using namespace okx;

template <>
core::status codec_for<okx::message>::parse(core::padded_view frame, okx::message& out) noexcept {
  reset(out);
  if (frame.text() == "pong") {
    out.kind = msg_kind::pong;
    return {};
  }
  od::document doc;
  od::object obj;
  if (auto st = json::iterate_object(parser().parser, frame, doc, obj); !st) return st;
  fields f;
  if (auto st = parse_top(obj, out, f); !st) {
    out.entry_count = 0;
    return st;
  }
  return classify(out, f);
}

}  // namespace depthmon::venues
