#include "venues/okx/subscribe.hpp"

namespace depthmon::venues::okx {
namespace {

void append_escaped(std::string& out, std::string_view s) {
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) >= 0x20) out.push_back(c);
  }
}

std::string op_message(std::string_view op, channel c, std::span<const std::string> inst_ids,
                       std::string_view id) {
  std::string out = "{";
  if (!id.empty()) {
    out += "\"id\":\"";
    append_escaped(out, id);
    out += "\",";
  }
  out += "\"op\":\"";
  out += op;
  out += "\",\"args\":[";
  bool first = true;
  for (const auto& inst : inst_ids) {
    if (!first) out += ',';
    first = false;
    out += "{\"channel\":\"";
    out += to_string(c);
    out += "\",\"instId\":\"";
    append_escaped(out, inst);
    out += "\"}";
  }
  out += "]}";
  return out;
}

}  // namespace

std::string subscribe_message(channel c, std::span<const std::string> inst_ids,
                              std::string_view id) {
  return op_message("subscribe", c, inst_ids, id);
}

std::string unsubscribe_message(channel c, std::span<const std::string> inst_ids,
                                std::string_view id) {
  return op_message("unsubscribe", c, inst_ids, id);
}

}  // namespace depthmon::venues::okx
