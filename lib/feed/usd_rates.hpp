// feed/usd_rates.hpp — USD per unit of a quote currency, resolved from configured rules and the
// mids other books publish (DESIGN.md "Quote notional -> USD").
//
// Resolution of currency C:
//   - "USD" is 1.
//   - A configured rule for C (config::rate_source) is authoritative: a fixed rate, or a
//     reference book's published mid, usable only while that book is live, has a mid and its
//     last receive is at most `max_age` old. Not inverted, the book quotes C in its quote
//     currency (rate = mid × rate(quote)); inverted, it quotes its base in C (rate =
//     rate(base) / mid). When the rule's book is unusable, C has no rate: no fallback.
//   - Otherwise (a crypto quote: BTC for ETH/BTC) the first usable book whose base is C and whose
//     quote is USD, else the first whose quote has a configured rule that resolves (BTCUSDT ×
//     the USDT rule), in board order.
//   - Anything else is std::nullopt, never a guess. Chains are at most 3 hops (no cycles).
//
// Threads: const member functions are safe from any thread at once: they only read seqlocks
// and an index of the board built on first use after each board::replace() (published through
// an atomic shared_ptr). Errors: missing rates are std::nullopt.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "core/time.hpp"
#include "depth/book_snapshot.hpp"
#include "feed/published.hpp"

namespace depthmon::feed {

// The mid of a published snapshot as a double when it may value other books: live, has a mid,
// received at most `max_age` before `now`.
std::optional<double> usable_mid(const depth::book_snapshot& s, core::unix_nanos now,
                                 std::chrono::nanoseconds max_age) noexcept;

// Where resolution reads books from: the live board (usd_rates itself) or a set of snapshots
// already copied (the read model, so every figure of one scrape uses the same copies).
class mid_source {
 public:
  virtual ~mid_source() = default;
  struct reading {
    const book_identity* id = nullptr;  // nullptr: no such book
    std::optional<double> mid;          // its usable mid
  };
  virtual reading find(core::venue v, std::string_view symbol) const = 0;
  // Calls fn for each book whose base is `base`, in board order, until fn returns true.
  virtual void each_with_base(
      std::string_view base,
      const std::function<bool(const book_identity&, std::optional<double> mid)>& fn) const = 0;
};

class usd_rates {
 public:
  static constexpr std::chrono::nanoseconds default_max_age = std::chrono::seconds(60);

  usd_rates(std::vector<config::rate_source> rules, const board& b,
            std::chrono::nanoseconds max_age = default_max_age);
  ~usd_rates();
  usd_rates(const usd_rates&) = delete;
  usd_rates& operator=(const usd_rates&) = delete;

  // USD per unit of `currency`, read from the board now.
  std::optional<double> rate(std::string_view currency, core::unix_nanos now) const;
  // USD per unit of the book's quote notional: quote rate × contract value (what a level's
  // price × size is multiplied by). The feed-thread publisher uses it for price-impact targets.
  std::optional<double> usd_per_quote(const book_identity& id, core::unix_nanos now) const;
  std::optional<double> usd_per_quote(const book_identity& id) const;  // wall clock now

  // The same resolution over `src`.
  std::optional<double> rate(std::string_view currency, const mid_source& src) const;
  std::optional<double> usd_per_quote(const book_identity& id, const mid_source& src) const;

  std::chrono::nanoseconds max_age() const noexcept { return max_age_; }
  const std::vector<config::rate_source>& rules() const noexcept { return rules_; }

 private:
  struct index;
  class board_source;
  std::shared_ptr<const index> index_for(std::shared_ptr<const board::contents> c) const;
  std::optional<double> resolve(std::string_view currency, const mid_source& src,
                                unsigned hops) const;
  const config::rate_source* rule_for(std::string_view currency) const noexcept;

  std::vector<config::rate_source> rules_;
  const board& board_;
  std::chrono::nanoseconds max_age_;
  mutable std::atomic<std::shared_ptr<const index>> index_;
};

}  // namespace depthmon::feed
