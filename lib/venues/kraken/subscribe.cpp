#include "venues/kraken/subscribe.hpp"

#include <cstdio>

namespace depthmon::venues::kraken {
namespace {

void append_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out.append(buf);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

void append_list(std::string& out, std::span<const std::string> items) {
  out.push_back('[');
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out.push_back(',');
    append_string(out, items[i]);
  }
  out.push_back(']');
}

std::string v2_book(const char* method, std::span<const std::string> symbols,
                    std::uint32_t depth, bool snapshot, std::uint64_t req_id) {
  std::string out = "{\"method\":\"";
  out += method;
  out += "\",\"params\":{\"channel\":\"book\",\"symbol\":";
  append_list(out, symbols);
  out += ",\"depth\":" + std::to_string(depth);
  if (snapshot) out += ",\"snapshot\":true";
  out += "},\"req_id\":" + std::to_string(req_id) + "}";
  return out;
}

std::string v1_book(const char* event, std::span<const std::string> pairs, std::uint32_t depth) {
  std::string out = "{\"event\":\"";
  out += event;
  out += "\",\"pair\":";
  append_list(out, pairs);
  out += ",\"subscription\":{\"name\":\"book\",\"depth\":" + std::to_string(depth) + "}}";
  return out;
}

}  // namespace

std::string v2_book_subscribe(std::span<const std::string> symbols, std::uint32_t depth,
                              std::uint64_t req_id) {
  return v2_book("subscribe", symbols, depth, true, req_id);
}

std::string v2_book_unsubscribe(std::span<const std::string> symbols, std::uint32_t depth,
                                std::uint64_t req_id) {
  return v2_book("unsubscribe", symbols, depth, false, req_id);
}

std::string v2_instrument_subscribe(std::uint64_t req_id) {
  return "{\"method\":\"subscribe\",\"params\":{\"channel\":\"instrument\",\"snapshot\":true},"
         "\"req_id\":" +
         std::to_string(req_id) + "}";
}

std::string v2_ping(std::uint64_t req_id) {
  return "{\"method\":\"ping\",\"req_id\":" + std::to_string(req_id) + "}";
}

std::string v1_book_subscribe(std::span<const std::string> pairs, std::uint32_t depth) {
  return v1_book("subscribe", pairs, depth);
}

std::string v1_book_unsubscribe(std::span<const std::string> pairs, std::uint32_t depth) {
  return v1_book("unsubscribe", pairs, depth);
}

std::string v1_ping(std::uint64_t req_id) {
  return "{\"event\":\"ping\",\"reqid\":" + std::to_string(req_id) + "}";
}

}  // namespace depthmon::venues::kraken
