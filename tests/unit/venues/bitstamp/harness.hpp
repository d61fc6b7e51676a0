// Test harness for the Bitstamp protocol: frames and REST bodies in, books and requests out.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "venues/protocol.hpp"

namespace bts_test {

using namespace depthmon;

inline const char* const k_pairs[] = {"sgbeur", "ethusd", "xrpeur", "bateur", "usdteur"};

struct harness {
  std::unique_ptr<venues::venue_protocol> p;
  core::padded_buffer buf;
  explicit harness(std::vector<std::string> syms = {"tstusd"}, std::size_t max_buffered = 20000,
                   std::uint32_t snapshot_limit = 0) {
    venues::protocol_options o;
    o.symbols = std::move(syms);
    o.max_buffered = max_buffered;
    o.snapshot_limit = snapshot_limit;
    auto r = venues::make_protocol(core::venue::bitstamp, o);
    if (!r) throw std::runtime_error(r.err().detail);
    p = std::move(r).value();
  }
  core::status frame(const std::string& s) { return p->on_frame(buf.assign(s), 0); }
  core::status snapshot(const std::string& s, const std::string& pair = "tstusd") {
    return p->on_snapshot(pair, buf.assign(s), 0);
  }
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

inline std::string diff(std::uint64_t mts, const std::string& bids, const std::string& asks,
                        const std::string& pair = "tstusd") {
  return R"({"data":{"timestamp":")" + std::to_string(mts / 1000000) + R"(","microtimestamp":")" +
         std::to_string(mts) + R"(","bids":)" + bids + R"(,"asks":)" + asks +
         R"(},"channel":"diff_order_book_)" + pair + R"(","event":"data"})";
}

inline std::string rest(std::uint64_t mts, const std::string& bids, const std::string& asks) {
  return R"({"timestamp": ")" + std::to_string(mts / 1000000) + R"(", "microtimestamp": ")" +
         std::to_string(mts) + R"(", "bids": )" + bids + R"(, "asks": )" + asks + "}";
}

}  // namespace bts_test
