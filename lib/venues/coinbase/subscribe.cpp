#include "venues/coinbase/subscribe.hpp"

#include <cstdio>

namespace depthmon::venues::coinbase {
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

std::string head(bool subscribe) {
  return subscribe ? "{\"type\":\"subscribe\"" : "{\"type\":\"unsubscribe\"";
}

void append_products(std::string& out, std::span<const std::string> products) {
  out.append(",\"product_ids\":[");
  for (std::size_t i = 0; i < products.size(); ++i) {
    if (i) out.push_back(',');
    append_string(out, products[i]);
  }
  out.push_back(']');
}

}  // namespace

std::string advanced_trade_level2(std::span<const std::string> products, bool subscribe) {
  std::string out = head(subscribe);
  append_products(out, products);
  out.append(",\"channel\":\"level2\"}");
  return out;
}

std::string advanced_trade_heartbeats(bool subscribe) {
  return head(subscribe) + ",\"channel\":\"heartbeats\"}";
}

std::string exchange_level2_batch(std::span<const std::string> products, bool subscribe) {
  std::string out = head(subscribe);
  append_products(out, products);
  out.append(",\"channels\":[\"level2_batch\",\"heartbeat\"]}");
  return out;
}

}  // namespace depthmon::venues::coinbase
