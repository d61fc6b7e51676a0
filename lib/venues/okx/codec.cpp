#include "venues/okx/codec.hpp"

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>

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

core::status read_ts_ms(od::value v, std::int64_t& out) noexcept {
  auto t = json::token_text(v);
  if (!t) return t.err();
  const auto [p, ec] = std::from_chars(t->data(), t->data() + t->size(), out);
  if (ec != std::errc() || p != t->data() + t->size()) return {errc::bad_number, "ts"};
  // Milliseconds that fit core::unix_nanos (int64 ns) once converted.
  if (out < 0 || out > std::numeric_limits<std::int64_t>::max() / 1'000'000)
    return {errc::number_overflow, "ts out of range"};
  return {};
}

core::status parse_entry(od::object obj, book_entry& out) noexcept {
  return json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "asks") return json::parse_levels(v, out.asks, out.has_asks, "asks not an array");
    if (key == "bids") return json::parse_levels(v, out.bids, out.has_bids, "bids not an array");
    if (key == "ts") return read_ts_ms(v, out.ts_ms);
    if (key == "instId") return json::read(v, out.inst_id, "data instId");
    core::status st;
    if (key == "checksum") {
      st = json::read(v, out.checksum, "checksum");
      if (st && (out.checksum < std::numeric_limits<std::int32_t>::min() ||
                 out.checksum > std::numeric_limits<std::int32_t>::max()))
        return {errc::number_overflow, "checksum outside signed 32-bit range"};
    } else if (key == "seqId") {
      st = json::read(v, out.seq_id, out.has_seq_id, "seqId");
      if (st && out.seq_id < 0) return {errc::bad_number, "seqId must not be negative"};
    } else if (key == "prevSeqId") {
      st = json::read(v, out.prev_seq_id, out.has_prev_seq_id, "prevSeqId");
      if (st && out.prev_seq_id < -1) return {errc::bad_number, "prevSeqId below -1"};
    }
    return st;
  });
}

core::status parse_data(od::value v, message& m) noexcept {
  return json::for_each_object(v, "data must be an array of objects", [&](od::object obj) {
    if (m.entry_count == m.entries.size()) m.entries.emplace_back();
    book_entry& be = m.entries[m.entry_count++];
    reset_entry(be);
    return parse_entry(obj, be);
  });
}

core::status parse_arg(od::value v, message& m) noexcept {
  od::object obj;
  if (auto e = v.get_object().get(obj)) return {json::map_error(e), "arg must be an object"};
  return json::for_each_field(obj, [&](std::string_view key, od::value val) -> core::status {
    if (key == "instId") return json::read(val, m.inst_id, "arg.instId");
    if (key != "channel") return {};
    auto st = json::read(val, m.channel_name, "arg.channel");
    if (st) m.book_channel = channel_from_name(m.channel_name);
    return st;
  });
}

core::status parse_top(od::object obj, message& m, fields& f) noexcept {
  // "id", "msg", "connId" ... are not needed.
  return json::for_each_field(obj, [&](std::string_view key, od::value v) -> core::status {
    if (key == "arg") {
      f.has_arg = true;
      return parse_arg(v, m);
    }
    if (key == "action") return json::read(v, f.action_text, f.has_action, "action");
    if (key == "event") return json::read(v, m.event, f.has_event, "event");
    if (key == "op") f.has_op = true;
    if (key == "code") {
      auto t = json::token_text(v);
      if (!t) return {errc::wrong_type, "code"};
      m.code = *t;
    }
    if (key != "data") return {};
    f.has_data = true;
    // OKX sends "arg" first: another channel's payload is skipped unread. If "data" came
    // first, it is read as book data (only the book keys are looked at).
    return f.has_arg && !m.book_channel ? core::status{} : parse_data(v, m);
  });
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

core::result<core::decimal> instrument_ct_val(core::padded_view body, std::string_view inst_id) {
  od::parser parser;
  od::document doc;
  od::object obj;
  if (auto st = json::iterate_object(parser, body, doc, obj); !st) return st.err();
  std::string_view code;
  std::optional<core::decimal> ct_val;
  auto entry = [&](od::object o) -> core::status {
    std::string_view id, text;
    auto st = json::for_each_field(o, [&](std::string_view k, od::value v) -> core::status {
      if (k == "instId") return json::read(v, id, "instId");
      if (k == "ctVal") return json::read(v, text, "ctVal");
      return {};
    });
    if (!st || id != inst_id) return st;
    if (text.empty()) return {errc::missing_field, "instrument has no ctVal"};
    auto d = core::parse_decimal(text);
    if (!d || d->mantissa <= 0) return {errc::bad_number, "ctVal must be a positive decimal"};
    ct_val = *d;
    return {};
  };
  auto st = json::for_each_field(obj, [&](std::string_view k, od::value v) -> core::status {
    if (k == "code") {
      auto t = json::token_text(v);
      if (!t) return t.err();
      code = *t;
    } else if (k == "data") {
      return json::for_each_object(v, "data must be an array of objects", entry);
    }
    return {};
  });
  if (!st) return st.err();
  if (code != "0") return {errc::unknown_message, "instruments answer with a non-zero code"};
  if (!ct_val) return {errc::missing_field, "the instrument is not in the answer"};
  return *ct_val;
}

}  // namespace depthmon::venues::okx

namespace depthmon::venues {

DEPTHMON_CODEC_PARSE(okx::message) {
  okx::reset(out);
  if (frame.text() == "pong") {
    out.kind = okx::msg_kind::pong;
    return {};
  }
  auto st = json::read_then_classify<okx::fields>(
      parser().parser, frame, out, [](okx::message&) {}, okx::parse_top, okx::classify);
  if (!st) out.entry_count = 0;
  return st;
}

}  // namespace depthmon::venues
