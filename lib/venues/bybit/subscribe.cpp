#include "venues/bybit/subscribe.hpp"

#include <algorithm>

namespace depthmon::venues::bybit {
namespace {

void append_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) >= 0x20) out.push_back(c);
  }
  out.push_back('"');
}

std::string op_message(std::string_view op, std::span<const std::string> topics,
                       std::string_view req_id) {
  std::string out = "{\"req_id\":";
  append_string(out, req_id);
  out += ",\"op\":";
  append_string(out, op);
  out += ",\"args\":[";
  for (std::size_t i = 0; i < topics.size(); ++i) {
    if (i) out.push_back(',');
    append_string(out, topics[i]);
  }
  out += "]}";
  return out;
}

}  // namespace

std::string orderbook_topic(std::uint32_t depth, std::string_view symbol) {
  std::string t = "orderbook." + std::to_string(depth) + ".";
  t += symbol;
  return t;
}

std::string subscribe_message(std::span<const std::string> topics, std::string_view req_id) {
  return op_message("subscribe", topics, req_id);
}

std::string unsubscribe_message(std::span<const std::string> topics, std::string_view req_id) {
  return op_message("unsubscribe", topics, req_id);
}

std::string ping_message(std::string_view req_id) {
  std::string out = "{\"req_id\":";
  append_string(out, req_id);
  out += ",\"op\":\"ping\"}";
  return out;
}

std::size_t max_args_per_request(category c) noexcept { return c == category::spot ? 10 : 50; }

std::vector<std::string> subscribe_messages(category c, std::span<const std::string> topics) {
  std::vector<std::string> out;
  const std::size_t per = max_args_per_request(c);
  for (std::size_t i = 0; i < topics.size(); i += per) {
    const std::size_t n = std::min(per, topics.size() - i);
    out.push_back(subscribe_message(topics.subspan(i, n), std::to_string(i / per + 1)));
  }
  return out;
}

}  // namespace depthmon::venues::bybit
