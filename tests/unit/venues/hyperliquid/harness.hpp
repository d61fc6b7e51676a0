// Test harness for the Hyperliquid protocol: frames in, books and requests out.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "venues/protocol.hpp"

namespace hl_test {

using namespace depthmon;

struct harness {
  std::unique_ptr<venues::venue_protocol> p;
  core::padded_buffer buf;
  explicit harness(std::vector<std::string> syms = {}, std::map<std::string, std::string> settings = {}) {
    venues::protocol_options o;
    o.symbols = std::move(syms);
    o.settings = std::move(settings);
    auto r = venues::make_protocol(core::venue::hyperliquid, o);
    if (!r) throw std::runtime_error(r.err().detail);
    p = std::move(r).value();
  }
  core::status frame(const std::string& s) { return p->on_frame(buf.assign(s), 0); }
  book::tracked_book& tb(std::size_t i = 0) { return *p->books().at(i); }
  std::vector<venues::request> take() {
    auto r = std::move(p->requests());
    p->requests().clear();
    return r;
  }
};

inline std::string lvl(const book::tracked_book& tb, core::side s, std::size_t i) {
  if (i >= tb.book.size(s)) return "";
  const auto l = tb.book.nth(s, i);
  return core::to_canonical_string(l.price, tb.book.price_scale()) + "/" +
         core::to_canonical_string(l.qty, tb.book.qty_scale());
}

// [{"px":..,"sz":..,"n":1},...] from "px:sz" pairs.
inline std::string side_json(std::initializer_list<std::pair<const char*, const char*>> lv) {
  std::string out = "[";
  bool first = true;
  for (const auto& [px, sz] : lv) {
    if (!first) out += ",";
    first = false;
    out += std::string(R"({"px":")") + px + R"(","sz":")" + sz + R"(","n":1})";
  }
  return out + "]";
}

inline std::string l2(const std::string& coin, std::uint64_t time, const std::string& bids,
                      const std::string& asks) {
  return R"({"channel":"l2Book","data":{"coin":")" + coin + R"(","time":)" + std::to_string(time) +
         R"(,"levels":[)" + bids + "," + asks + "]}}";
}

}  // namespace hl_test
