#include "venues/hyperliquid/subscribe.hpp"

namespace depthmon::venues::hyperliquid {
namespace {

void append_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (static_cast<unsigned char>(c) >= 0x20) out.push_back(c);
  }
  out.push_back('"');
}

std::string method_message(std::string_view method, std::string_view coin, const l2book_params& p) {
  std::string out = "{\"method\":";
  append_string(out, method);
  out += ",\"subscription\":{\"type\":\"l2Book\",\"coin\":";
  append_string(out, coin);
  if (p.n_sig_figs) out += ",\"nSigFigs\":" + std::to_string(*p.n_sig_figs);
  if (p.mantissa) out += ",\"mantissa\":" + std::to_string(*p.mantissa);
  if (p.fast) out += ",\"fast\":true";
  out += "}}";
  return out;
}

}  // namespace

std::string subscribe_message(std::string_view coin, const l2book_params& p) {
  return method_message("subscribe", coin, p);
}

std::string unsubscribe_message(std::string_view coin, const l2book_params& p) {
  return method_message("unsubscribe", coin, p);
}

std::string ping_message() { return "{\"method\":\"ping\"}"; }

}  // namespace depthmon::venues::hyperliquid
