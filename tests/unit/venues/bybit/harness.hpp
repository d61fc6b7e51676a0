// Test harness for the Bybit protocol: frames in, books and requests out.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "venues/protocol.hpp"

namespace bybit_test {

using namespace depthmon;

struct harness {
  std::unique_ptr<venues::venue_protocol> p;
  core::padded_buffer buf;
  explicit harness(std::vector<std::string> syms = {"BTCUSDT"},
                   std::map<std::string, std::string> settings = {}) {
    venues::protocol_options o;
    o.symbols = std::move(syms);
    o.settings = std::move(settings);
    auto r = venues::make_protocol(core::venue::bybit, o);
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

// Level i (0 = best) as "price/qty" canonical text, or "" past the end.
inline std::string lvl(const book::tracked_book& tb, core::side s, std::size_t i) {
  if (i >= tb.book.size(s)) return "";
  const auto l = tb.book.nth(s, i);
  return core::to_canonical_string(l.price, tb.book.price_scale()) + "/" +
         core::to_canonical_string(l.qty, tb.book.qty_scale());
}

// orderbook.{depth}.{sym} message; key order spot-like (ts before type).
inline std::string ob(const std::string& type, std::uint64_t u, const std::string& b,
                      const std::string& a, int depth = 50, const std::string& sym = "BTCUSDT") {
  return R"({"topic":"orderbook.)" + std::to_string(depth) + "." + sym + R"(","ts":1687940967466,"type":")" +
         type + R"(","data":{"s":")" + sym + R"(","b":)" + b + R"(,"a":)" + a + R"(,"u":)" +
         std::to_string(u) + R"(,"seq":66544703342},"cts":1687940967464})";
}
inline std::string snap(std::uint64_t u, const std::string& b, const std::string& a, int depth = 50,
                        const std::string& sym = "BTCUSDT") {
  return ob("snapshot", u, b, a, depth, sym);
}
inline std::string delta(std::uint64_t u, const std::string& b, const std::string& a, int depth = 50,
                         const std::string& sym = "BTCUSDT") {
  return ob("delta", u, b, a, depth, sym);
}

// A hand-made snapshot (u = 177400506) holding every price the Bybit documentation's delta
// example (u = 177400507, tests/data/bybit/v5_doc_examples.jsonl line 8) touches, so that its
// "0" sizes delete real levels.
inline const std::string k_doc_snapshot =
    R"({"topic":"orderbook.50.BTCUSDT","type":"snapshot","ts":1687940967400,"data":{"s":"BTCUSDT",)"
    R"("b":[["30247.20","1.000"],["30245.40","2.000"],["30240.00","3.000"],["30239.00","4.000"]],)"
    R"("a":[["30248.70","5.000"],["30249.30","6.000"],["30249.60","7.000"],["30253.00","8.000"]],)"
    R"("u":177400506,"seq":66544703300},"cts":1687940967398})";

}  // namespace bybit_test
