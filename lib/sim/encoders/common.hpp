// sim/encoders/common.hpp — pieces every venue encoder shares: the top-N view a truncating
// venue's client holds, the crossing level of a `crossed` fault, stream-name helpers.
//
// Threads: per session, like the sessions that use them. Errors: none.
#pragma once

#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sim/market_model.hpp"
#include "sim/text.hpp"
#include "sim/venue_sim.hpp"

namespace depthmon::sim::enc {

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Better price first: bids descending, asks ascending.
inline bool better(core::side s, std::int64_t a, std::int64_t b) noexcept {
  return s == core::side::bid ? a > b : a < b;
}

// The levels a client of a venue that shows only the best `depth` levels per side holds, and
// the changes that venue sends to keep it there.
class book_view {
 public:
  explicit book_view(std::size_t depth = 10) : depth_(depth) {}
  std::size_t depth() const noexcept { return depth_; }
  const std::vector<price_level>& levels(core::side s) const noexcept {
    return sides_[static_cast<std::size_t>(s)];
  }
  void load(const truth_book& t) {
    for (core::side s : {core::side::bid, core::side::ask})
      sides_[static_cast<std::size_t>(s)] = t.top(s, depth_);
  }
  // Brings the view to the truth's top `depth` and appends the changes to send, best first per
  // side: changed and newly visible levels, deletions of levels gone from the truth, and, with
  // `send_dropouts`, deletions of levels pushed below the N-th (Kraken does not send those: its
  // clients truncate). Returns whether the best `watch` levels of either side changed.
  bool update(const truth_book& t, bool send_dropouts, std::size_t watch,
              std::vector<level_change>& out) {
    bool watched = false;
    for (core::side s : {core::side::bid, core::side::ask}) {
      auto& old = sides_[static_cast<std::size_t>(s)];
      std::vector<price_level> now = t.top(s, depth_);
      const std::size_t before = out.size();
      std::size_t i = 0, j = 0;
      while (i < old.size() || j < now.size()) {
        if (j == now.size() || (i < old.size() && better(s, old[i].price, now[j].price))) {
          if (send_dropouts || t.qty_at(s, old[i].price) == 0) out.push_back({s, old[i].price, 0});
          ++i;
        } else if (i == old.size() || better(s, now[j].price, old[i].price)) {
          out.push_back({s, now[j].price, now[j].qty});
          ++j;
        } else {
          if (old[i].qty != now[j].qty) out.push_back({s, now[j].price, now[j].qty});
          ++i;
          ++j;
        }
      }
      if (out.size() != before) {
        const std::size_t n = std::min(watch, std::max(old.size(), now.size()));
        for (std::size_t k = 0; k < n && !watched; ++k)
          watched = k >= old.size() || k >= now.size() || !(old[k] == now[k]);
      }
      old = std::move(now);
    }
    return watched;
  }
  // Applies a change the truth does not have (a crossed fault's level).
  void put(const level_change& c) {
    auto& v = sides_[static_cast<std::size_t>(c.side)];
    auto it = v.begin();
    while (it != v.end() && better(c.side, it->price, c.price)) ++it;
    if (it != v.end() && it->price == c.price) {
      if (c.qty == 0) v.erase(it);
      else it->qty = c.qty;
    } else if (c.qty != 0) {
      v.insert(it, {c.price, c.qty});
    }
  }

 private:
  std::size_t depth_;
  std::vector<price_level> sides_[2];
};

// A bid one tick above the best ask: the update that leaves the client's book crossed.
inline level_change crossing_level(const symbol_feed& f) {
  const auto& in = f.model.inst();
  auto ask = f.model.book().best(core::side::ask);
  const std::int64_t p = ask ? ask->price + in.tick : f.model.fair() + in.tick;
  return {core::side::bid, p, in.lot};
}

// "a/b/c" style splits.
inline std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = s.find(sep, start);
    const std::string_view part = s.substr(start, end == std::string_view::npos ? s.size() - start : end - start);
    if (!part.empty()) out.emplace_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

// The value of `key` in a URL query ("symbol=BTCUSDT&limit=100"), "" if absent.
inline std::string_view query_param(std::string_view target, std::string_view key) {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const std::size_t amp = rest.find('&');
    const std::string_view kv = rest.substr(0, amp);
    const std::size_t eq = kv.find('=');
    if (eq != std::string_view::npos && kv.substr(0, eq) == key) return kv.substr(eq + 1);
    if (amp == std::string_view::npos) break;
    rest = rest.substr(amp + 1);
  }
  return {};
}

inline std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// Kraken's checksum text of one value: formatted at `precision`, '.' dropped, leading zeros
// dropped (docs/protocols.md §3.4).
inline void append_kraken_digits(std::string& out, std::int64_t ticks, unsigned scale,
                                 unsigned precision) {
  const std::string s = fixed(ticks, scale, precision);
  bool leading = true;
  for (char c : s) {
    if (c == '.') continue;
    if (leading && c == '0') continue;
    leading = false;
    out.push_back(c);
  }
}

// One per venue (encoders/<venue>.cpp).
std::unique_ptr<venue_encoder> make_binance(bool usdm);
std::unique_ptr<venue_encoder> make_coinbase_advanced_trade();
std::unique_ptr<venue_encoder> make_coinbase_exchange();
std::unique_ptr<venue_encoder> make_kraken(bool v1);
std::unique_ptr<venue_encoder> make_okx();
std::unique_ptr<venue_encoder> make_bybit();
std::unique_ptr<venue_encoder> make_hyperliquid();
std::unique_ptr<venue_encoder> make_bitstamp();

}  // namespace depthmon::sim::enc
