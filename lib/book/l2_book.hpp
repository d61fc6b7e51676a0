// book/l2_book.hpp — one instrument's L2 order book with exact prices as keys.
//
// Each side is a direct-mapped window of ticks at the touch over a paged sorted array
// (book/tick_window_ladder.hpp, book/paged_ladder.hpp): levels ascend worst to best, the best
// at the back; a change near the touch is an array store, and a deep insert or delete moves at
// most one page's tail instead of the whole side; benchmarks/README.md records the comparisons
// (flat vector, std::map, page sizes, window widths) that chose this layout. Prices and sizes
// are held as int64 ticks at one price scale and one size scale per book; a wire value with
// finer digits grows the scale (rescaling every level exactly) instead of rounding, and
// clear() resets the scales with the content.
//
// Internally a level is keyed by `key` = price on the bid side and −price on the ask side, so
// both sides are ascending in key with the best level last, and "better" means "larger key".
//
// Threads: single writer, no locks. A book is touched only by the thread that owns its venue
// connection; other threads read published depth snapshots, never the book.
// Errors: mutations return core::status (bad_number for non-positive prices or negative sizes,
// precision_loss when a rescale would overflow a level or the coverage boundary); the book is
// unchanged on error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "book/tick_window_ladder.hpp"
#include "core/decimal.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

namespace depthmon::book {

using core::side;

struct level {
  std::int64_t price = 0;  // ticks at price_scale()
  std::int64_t qty = 0;    // ticks at qty_scale()
  friend bool operator==(const level&, const level&) = default;
};

constexpr std::int64_t key_of(side s, std::int64_t price) noexcept {
  return s == side::bid ? price : -price;
}
constexpr std::int64_t price_of(side s, std::int64_t key) noexcept {
  return s == side::bid ? key : -key;
}

// Receives every change to a book's levels after it is made. Implemented by depth trackers.
class book_observer {
 public:
  virtual void on_level(side s, std::int64_t price, std::int64_t old_qty,
                        std::int64_t new_qty) noexcept = 0;
  // The book was cleared, bulk-loaded or rescaled: recompute from scratch.
  virtual void on_reset() noexcept = 0;

 protected:
  ~book_observer() = default;
};

// How far one side is known completely (DESIGN.md "Coverage").
struct coverage {
  enum class kind : std::uint8_t {
    full,          // every level of the venue's book is known
    to_price,      // known down to `price` inclusive (deepest level of a limited snapshot)
    to_nth_level,  // the venue truncates to `n` levels: known to the current n-th level
  };
  kind k = kind::full;
  std::int64_t price = 0;  // ticks, for to_price
  std::uint32_t n = 0;     // for to_nth_level

  static coverage full_book() noexcept { return {}; }
  static coverage down_to(std::int64_t price_ticks) noexcept { return {kind::to_price, price_ticks, 0}; }
  static coverage top_n(std::uint32_t n) noexcept { return {kind::to_nth_level, 0, n}; }
};

// Levels per page: chosen by benchmark (benchmarks/README.md, "Book updates"). Ticks in the
// direct-mapped window at the touch (128 KB of sizes and 2 KB of bits per side, allocated when
// a side first passes 64 levels): chosen by benchmark against 4 096 and 8 192
// (benchmarks/README.md, "Book layout end to end").
inline constexpr std::uint32_t k_page_levels = 32;
inline constexpr std::uint32_t k_window_ticks = 16384;
using side_ladder = tick_window_ladder<k_page_levels, k_window_ticks>;

// Read-only view of one side, ascending key (worst -> best, best last). Range-for walks it
// worst to best; walks from the best level start at end() and step back.
// Invalidated by any change to the book.
struct ladder_view {
  using iterator = side_ladder::iterator;
  const side_ladder* levels = nullptr;
  iterator begin() const noexcept { return levels->begin(); }
  iterator end() const noexcept { return levels->end(); }
  std::size_t size() const noexcept { return levels->size(); }
  bool empty() const noexcept { return levels->empty(); }
  // First level with key >= `key` (end() if none): O(1) + a bit scan in the window, else
  // O(log pages + log page).
  iterator lower_bound(std::int64_t key) const noexcept { return levels->lower_bound(key); }
  // Best first: fn(key, qty) -> bool (false stops). See tick_window_ladder.
  template <class Fn>
  [[gnu::always_inline]] bool walk_from_best(Fn&& fn) const {
    return levels->walk_from_back(static_cast<Fn&&>(fn));
  }
};

class l2_book {
 public:
  l2_book() = default;
  l2_book(const l2_book&) = delete;
  l2_book& operator=(const l2_book&) = delete;

  unsigned price_scale() const noexcept { return price_scale_; }
  unsigned qty_scale() const noexcept { return qty_scale_; }

  // Sets the size resting at `price` (absolute, as venues send it); qty 0 deletes the level,
  // and deleting an absent level is a no-op (venues do send those).
  core::status set(side s, core::decimal price, core::decimal qty) noexcept;
  // The same in ticks at the current scales (tests, benchmarks, internal use).
  void set_ticks(side s, std::int64_t price, std::int64_t qty) noexcept;

  // Replaces the whole book: clear(), then set() per level; observers see one on_reset().
  // Use begin_bulk()/end_bulk() around the set() calls.
  void begin_bulk() noexcept;
  void end_bulk() noexcept;
  // Empties both sides and resets the scales with the content (a to_price coverage boundary
  // keeps the price digits it needs); observers see on_reset().
  void clear() noexcept;

  // Grows the scales so values with these scales can be held; rescales every level exactly.
  core::status ensure_scales(unsigned price_scale, unsigned qty_scale) noexcept;

  std::optional<level> best(side s) const noexcept;
  std::size_t size(side s) const noexcept { return sides_[index(s)].size(); }
  bool empty() const noexcept { return sides_[0].empty() && sides_[1].empty(); }
  // The i-th level from the best (0 = best); i < size(s). O(1) near either end of the side,
  // O(pages) in the middle (page counts are walked from the nearer end).
  level nth(side s, std::size_t i) const noexcept;
  ladder_view ladder(side s) const noexcept { return {&sides_[index(s)]}; }
  // Copies the best `n` levels into `out` (best first).
  void top(side s, std::size_t n, std::vector<level>& out) const;
  // Copies the best `n` levels of a side (fewer if it is shorter) into `out`, best first, and
  // returns how many: the ladder's own best-first loop, no iterator step or rank lookup per
  // level (checksums and cross-checks read the top levels on every message).
  [[gnu::always_inline]] std::size_t copy_best(side s, level* out, std::size_t n) const noexcept {
    if (n == 0) return 0;
    return s == side::bid ? copy_best<side::bid>(out, n) : copy_best<side::ask>(out, n);
  }

  // Drops levels beyond the best `n` on each side (venues that truncate to a subscribed depth).
  void truncate(std::size_t n) noexcept;

  // best bid > best ask (crossed) or == (locked); false when a side is empty.
  bool crossed() const noexcept;
  bool locked() const noexcept;

  void set_coverage(side s, coverage c) noexcept { coverage_[index(s)] = c; }
  coverage get_coverage(side s) const noexcept { return coverage_[index(s)]; }
  // The key down to which the side is known completely (levels and band edges with a key >=
  // it are covered); nullopt = the whole side; k_nothing_known (above every key a level or a
  // band edge can have) = nothing, as for coverage::top_n(0).
  static constexpr std::int64_t k_nothing_known = INT64_MAX;
  std::optional<std::int64_t> coverage_key(side s) const noexcept;

  // At most one observer; pass nullptr to detach. The observer must outlive the book or detach.
  void set_observer(book_observer* o) noexcept { observer_ = o; }

 private:
  static constexpr std::size_t index(side s) noexcept { return static_cast<std::size_t>(s); }
  // The side fixed, price_of is free per level; inlined, so the walk is compiled for the
  // caller's ISA (the codecs' and depth's: BMI where the build machine has it).
  template <side S>
  [[gnu::always_inline]] std::size_t copy_best(level* out, std::size_t n) const noexcept {
    std::size_t k = 0;
    sides_[index(S)].walk_from_back([&](std::int64_t key, std::int64_t qty) noexcept {
      out[k++] = {price_of(S, key), qty};
      return k < n;
    });
    return k;
  }
  void set_key(side s, std::int64_t key, std::int64_t qty) noexcept;
  void reset_scales() noexcept;
  void notify_reset() noexcept {
    if (observer_ && !bulk_) observer_->on_reset();
  }

  side_ladder sides_[2];
  // Snapshot levels as set() delivers them during a bulk load (best first, the reverse of the
  // ladder order, repeats allowed): collected, sorted once and paged by end_bulk().
  std::vector<keyed_level> staged_[2];
  coverage coverage_[2];
  unsigned price_scale_ = 0;
  unsigned qty_scale_ = 0;
  bool bulk_ = false;
  book_observer* observer_ = nullptr;
};

}  // namespace depthmon::book
