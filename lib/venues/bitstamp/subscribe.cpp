#include "venues/bitstamp/subscribe.hpp"

namespace depthmon::venues::bitstamp {
namespace {

void append_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) >= 0x20) out.push_back(c);
  }
  out.push_back('"');
}

std::string event_message(std::string_view event, std::string_view pair) {
  std::string out = "{\"event\":";
  append_string(out, event);
  out += ",\"data\":{\"channel\":";
  append_string(out, diff_channel(pair));
  out += "}}";
  return out;
}

}  // namespace

std::string diff_channel(std::string_view pair) {
  std::string c = "diff_order_book_";
  c += pair;
  return c;
}

std::string subscribe_message(std::string_view pair) { return event_message("bts:subscribe", pair); }

std::string unsubscribe_message(std::string_view pair) {
  return event_message("bts:unsubscribe", pair);
}

std::string heartbeat_message() { return "{\"event\":\"bts:heartbeat\"}"; }

std::string snapshot_target(std::string_view pair) {
  std::string t = "/api/v2/order_book/";
  t += pair;
  return t;
}

}  // namespace depthmon::venues::bitstamp
