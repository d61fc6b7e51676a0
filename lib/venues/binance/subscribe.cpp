#include "venues/binance/subscribe.hpp"

#include <cctype>

namespace depthmon::venues::binance {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string streams_json(std::span<const std::string> symbols) {
  std::string out;
  for (const auto& s : symbols) {
    const std::string l = lower(s);
    if (!out.empty()) out += ',';
    out += "\"" + l + "@depth@100ms\",\"" + l + "@bookTicker\"";
  }
  return out;
}

std::string method_message(const char* method, std::span<const std::string> symbols,
                           std::uint64_t id) {
  return std::string("{\"method\":\"") + method + "\",\"params\":[" + streams_json(symbols) +
         "],\"id\":" + std::to_string(id) + "}";
}

}  // namespace

std::string subscribe_message(std::span<const std::string> symbols, std::uint64_t id) {
  return method_message("SUBSCRIBE", symbols, id);
}

std::string unsubscribe_message(std::span<const std::string> symbols, std::uint64_t id) {
  return method_message("UNSUBSCRIBE", symbols, id);
}

std::string combined_stream_path(std::span<const std::string> symbols) {
  std::string out = "/stream?streams=";
  bool first = true;
  for (const auto& s : symbols) {
    const std::string l = lower(s);
    if (!first) out += '/';
    first = false;
    out += l + "@depth@100ms/" + l + "@bookTicker";
  }
  return out;
}

std::string snapshot_target(market m, std::string_view symbol, std::uint32_t limit) {
  std::string out = m == market::spot ? "/api/v3/depth?symbol=" : "/fapi/v1/depth?symbol=";
  out += symbol;
  out += "&limit=" + std::to_string(limit);
  return out;
}

}  // namespace depthmon::venues::binance
