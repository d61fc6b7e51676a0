// book/tick_window_ladder.hpp — one side of an L2 book: a direct-mapped window of ticks at the
// touch over a paged ladder for the rest.
//
// Most level changes of a deep book land within a few thousand ticks of the touch (real 2026
// BTCUSDT: ~80 % within 500 levels, ~2 ticks apart). Here those keys index an array directly,
// one size and one occupancy bit per tick, so a change there is a store and a bit flip: no
// directory search, no in-page count, no shift. Levels below the window live in a
// paged_ladder (book/paged_ladder.hpp), which keeps deep inserts and deletes at O(page).
// benchmarks/README.md ("Book layout end to end") records the measurements behind this.
//
// The window spans W ticks, keys (hi − W, hi], stored best first: offset r = hi − key. So a
// best-first walk (price impact, published top levels, band rebuilds, checksums) reads the
// sizes forwards and the bits lowest first (tzcnt, blsr: a one-cycle chain per level); the
// ascending direction, stepped only by iterators over a few levels, pays a clz per step.
// The window is placed with the best at r = W/4 − 1 (W/4 of headroom for a rising best). A new
// best above it slides it up (the levels that leave its far end are appended to the paged
// part, which holds only lower keys); a best that falls past r = 3W/4, or a window emptied
// while paged levels remain, slides it down (the paged part's best levels move in). Slides
// cost the levels they move plus one memmove of the occupied range, and need the best to move
// W/4 or W/2 ticks. A side gets its window (W × 8 bytes plus W bits, allocated once) when it
// grows past `Threshold` levels: shallow books — most venues' subscriptions — never allocate.
//
// Invariants: every window key lies in (hi − W, hi] and is above every paged key; the window
// holds a level exactly where its bit is set and its size is non-zero; `best_` is the lowest
// occupied offset and `far_` the highest; an anchored window is non-empty unless the whole side
// is empty. The same API as paged_ladder (iterators ascend worst -> best, best at the back).
//
// Threads: single writer, no locks (owned by its l2_book). Errors: none; callers validate
// (keys below INT64_MAX). Iterators are invalidated by any mutation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>

#include "book/paged_ladder.hpp"

namespace depthmon::book {

namespace detail {
// Zero-filled memory for a window: a returned one from a small process-wide pool (up to 64),
// else fresh pages from the kernel (anonymous mmap; calloc where there is none), faulted in as
// they are touched, so a window costs resident memory only for the pages near its levels.
// unmap_zeroed() takes memory back only all-zero (the ladder empties its window first).
// Measured: allocating and zeroing a window per book made replaying fresh sessions of
// 1 000-level books 24-29 % slower; with the pool they cost what the paged book did.
// Throws std::bad_alloc when the kernel refuses. Thread-safe (one lock per window's life).
void* map_zeroed(std::size_t bytes);
void unmap_zeroed(void* p, std::size_t bytes) noexcept;
}  // namespace detail

template <std::uint32_t Cap, std::uint32_t W, std::uint32_t Threshold = 2 * Cap>
class tick_window_ladder {
  static_assert(W >= 128 && (W & (W - 1)) == 0, "the window is a power of two ticks");
  using deep_ladder = paged_ladder<Cap>;
  static constexpr std::uint32_t k_words = W / 64;
  static constexpr std::uint32_t k_head = W / 4 - 1;     // where a slide puts the best
  static constexpr std::uint32_t k_far = W - W / 4;      // best at or past this: slide down
  static constexpr std::uint32_t k_end = W;              // iterator: past the best
  static constexpr std::uint32_t k_in_deep = std::numeric_limits<std::uint32_t>::max();

  struct window {
    std::int64_t qty[W];  // 0 = no level; qty[r] is the size at key hi − r
    std::uint64_t bits[k_words];
  };
  struct window_unmap {
    void operator()(window* w) const noexcept { detail::unmap_zeroed(w, sizeof(window)); }
  };

 public:
  static constexpr std::uint32_t window_ticks = W;

  // Bidirectional, ascending key (worst -> best): the paged levels, then the window's.
  class iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = keyed_level;
    using difference_type = std::ptrdiff_t;
    using pointer = keyed_level_arrow;  // sizes and keys are not stored together: values
    using reference = keyed_level;

    iterator() = default;
    reference operator*() const noexcept {
      if (o_ == k_in_deep) return *d_;
      return {l_->hi_ - static_cast<std::int64_t>(o_), l_->win_->qty[o_]};
    }
    pointer operator->() const noexcept { return {**this}; }
    iterator& operator++() noexcept {
      if (o_ == k_in_deep) {
        if (++d_ == l_->deep_.end()) o_ = l_->far_window_offset();
      } else {
        o_ = l_->nearer_than(o_);
      }
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator t = *this;
      ++*this;
      return t;
    }
    iterator& operator--() noexcept {
      if (o_ != k_in_deep && l_->wn_ > 0) {
        const std::uint32_t r = o_ == k_end ? l_->best_ : l_->set_from(o_ + 1);
        if (r < W) {
          o_ = r;
          return *this;
        }
      }
      o_ = k_in_deep;
      --d_;
      return *this;
    }
    iterator operator--(int) noexcept {
      iterator t = *this;
      --*this;
      return t;
    }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.o_ == b.o_ && a.d_ == b.d_;
    }

   private:
    friend class tick_window_ladder;
    iterator(const tick_window_ladder* l, typename deep_ladder::iterator d,
             std::uint32_t o) noexcept
        : l_(l), d_(d), o_(o) {}
    const tick_window_ladder* l_ = nullptr;
    typename deep_ladder::iterator d_;  // deep_.end() while in the window
    std::uint32_t o_ = 0;               // window offset, k_end = end, k_in_deep = in d_
  };

  tick_window_ladder() = default;
  ~tick_window_ladder() { clear_window(); }  // the window goes back to the pool all-zero
  tick_window_ladder(const tick_window_ladder&) = delete;
  tick_window_ladder& operator=(const tick_window_ladder&) = delete;

  std::size_t size() const noexcept { return deep_.size() + wn_; }
  bool empty() const noexcept { return size() == 0; }
  // Levels held by the window (tests and benchmarks).
  std::size_t window_size() const noexcept { return wn_; }
  bool window_anchored() const noexcept { return anchored_; }

  iterator begin() const noexcept {
    if (!deep_.empty()) return {this, deep_.begin(), k_in_deep};
    return {this, deep_.end(), far_window_offset()};
  }
  iterator end() const noexcept { return {this, deep_.end(), k_end}; }

  keyed_level back() const noexcept {
    if (wn_ > 0) return {hi_ - static_cast<std::int64_t>(best_), win_->qty[best_]};
    return deep_.back();
  }
  keyed_level front() const noexcept {
    if (!deep_.empty()) return deep_.front();
    const std::uint32_t r = far_window_offset();
    return {hi_ - static_cast<std::int64_t>(r), win_->qty[r]};
  }

  // The i-th level counted from the best (0 = back()); i < size().
  keyed_level nth_from_back(std::size_t i) const noexcept {
    if (i >= wn_) return deep_.nth_from_back(i - wn_);
    // Select the i-th set bit from the lowest, a word at a time.
    std::size_t w = best_ / 64;
    std::uint64_t m = win_->bits[w];
    for (;;) {
      const auto c = static_cast<std::size_t>(__builtin_popcountll(m));
      if (i < c) break;
      i -= c;
      m = win_->bits[++w];
    }
    while (i-- > 0) m &= m - 1;
    const auto r = static_cast<std::uint32_t>(w * 64 + static_cast<unsigned>(__builtin_ctzll(m)));
    return {hi_ - static_cast<std::int64_t>(r), win_->qty[r]};
  }

  // Visits levels best first: fn(key, qty) -> bool (false stops); false when fn stopped it.
  // Always inlined: out of line, a caller's lambda state (a count, an accumulator) lives in
  // memory and each level waits on its store and reload (measured: copying the top 50 levels
  // of a side 25 % slower).
  template <class Fn>
  [[gnu::always_inline]] bool walk_from_back(Fn&& fn) const {
    if (wn_ > 0) {
      const std::int64_t* const qty = win_->qty;
      const std::uint64_t* const bits = win_->bits;
      const std::int64_t hi = hi_;
      std::size_t left = wn_;
      for (std::size_t w = best_ / 64;; ++w) {
        std::uint64_t m = bits[w];
        left -= static_cast<std::size_t>(__builtin_popcountll(m));
        const std::int64_t* const qw = qty + w * 64;
        const std::int64_t kw = hi - static_cast<std::int64_t>(w * 64);
        while (m != 0) {
          const auto j = static_cast<std::uint32_t>(__builtin_ctzll(m));
          m &= m - 1;
          if (!fn(kw - static_cast<std::int64_t>(j), qw[j])) return false;
        }
        if (left == 0) break;
      }
    }
    return deep_.walk_from_back(static_cast<Fn&&>(fn));
  }

  // First level whose key is >= `key`, or end().
  iterator lower_bound(std::int64_t key) const noexcept {
    if (anchored_ && key >= lo()) {
      if (key > hi_) return end();
      const std::int64_t r = set_at_or_below(static_cast<std::uint32_t>(hi_ - key));
      return {this, deep_.end(), r < 0 ? k_end : static_cast<std::uint32_t>(r)};
    }
    const auto d = deep_.lower_bound(key);
    if (d != deep_.end()) return {this, d, k_in_deep};
    return {this, d, far_window_offset()};
  }

  // Sets the size at `key` (0 deletes; deleting an absent key is a no-op) and returns the size
  // it had (0 if absent).
  std::int64_t set(std::int64_t key, std::int64_t qty) {
    if (anchored_) {
      const std::uint64_t r = static_cast<std::uint64_t>(hi_) - static_cast<std::uint64_t>(key);
      if (r < W) [[likely]]
        return set_in_window(static_cast<std::uint32_t>(r), qty);
      const bool above = key > hi_;
      if (qty == 0) return above ? 0 : deep_.set(key, 0);  // above every level: absent
      if (wn_ == 0) return restart_at(key, qty);  // an empty side: no level to keep in order
      if (!above) return deep_.set(key, qty);
      if (!slide_to(key)) return deep_.set(key, qty);  // unanchored: no room above key
      return set_in_window(static_cast<std::uint32_t>(hi_ - key), qty);
    }
    const std::int64_t old = deep_.set(key, qty);
    if (deep_.size() > Threshold) anchor();
    return old;
  }

  // Drops the `n` lowest-key levels (n <= size()).
  void drop_front(std::size_t n) {
    const std::size_t from_deep = n < deep_.size() ? n : deep_.size();
    deep_.drop_front(from_deep);
    for (n -= from_deep; n > 0; --n) erase_offset(far_);
  }

  // Replaces the content with `sorted` (strictly ascending keys, no zero sizes).
  void assign_sorted(const keyed_level* sorted, std::size_t n) {
    clear();
    if (n <= Threshold || !can_anchor_at(sorted[n - 1].key)) {
      deep_.assign_sorted(sorted, n);
      return;
    }
    hi_ = sorted[n - 1].key + k_head;
    std::size_t first = n;  // first level inside the window
    while (first > 0 && sorted[first - 1].key >= lo()) --first;
    deep_.assign_sorted(sorted, first);
    ensure_window();
    anchored_ = true;
    for (std::size_t i = first; i < n; ++i)
      put(static_cast<std::uint32_t>(hi_ - sorted[i].key), sorted[i].qty);
  }

  void clear() noexcept {
    deep_.clear();
    clear_window();
  }

  // Visits every level mutably, in order; `fn` must keep keys strictly ascending and below
  // INT64_MAX. The window's levels join the paged part first (a rescale changes what a tick
  // is); the next set() anchors a window again.
  template <class Fn>
  void for_each_mutable(Fn&& fn) {
    flush_window();
    deep_.for_each_mutable(static_cast<Fn&&>(fn));
  }

  // Checks every structural invariant (tests).
  bool invariants_hold() const noexcept {
    if (!deep_.invariants_hold()) return false;
    if (!anchored_) return wn_ == 0;
    if (!can_anchor_at(hi_ - k_head)) return false;
    if (wn_ == 0 && !deep_.empty()) return false;
    if (!deep_.empty() && deep_.back().key >= lo()) return false;
    std::uint32_t n = 0, best = W, far = 0;
    for (std::uint32_t r = 0; r < W; ++r) {
      const bool bit = (win_->bits[r / 64] >> (r % 64)) & 1;
      if (bit != (win_->qty[r] != 0)) return false;
      if (!bit) continue;
      if (n++ == 0) best = r;
      far = r;
    }
    return n == wn_ && (wn_ == 0 || (best == best_ && far == far_));
  }

 private:
  // Room for a window whose best sits at k_head: its lowest and highest keys representable.
  static constexpr bool can_anchor_at(std::int64_t best) noexcept {
    return best >= std::numeric_limits<std::int64_t>::min() + (W - 1 - k_head) &&
           best <= std::numeric_limits<std::int64_t>::max() - (k_head + 1);
  }
  std::int64_t lo() const noexcept { return hi_ - static_cast<std::int64_t>(W - 1); }

  // Lowest occupied offset >= r (the best level at or below key hi − r), or W.
  std::uint32_t set_from(std::uint32_t r) const noexcept {
    if (r >= W) return W;
    std::size_t w = r / 64;
    std::uint64_t m = win_->bits[w] & (~std::uint64_t{0} << (r % 64));
    while (m == 0) {
      if (++w == k_words) return W;
      m = win_->bits[w];
    }
    return static_cast<std::uint32_t>(w * 64 + static_cast<unsigned>(__builtin_ctzll(m)));
  }
  // Highest occupied offset <= r (the lowest level at or above key hi − r), or -1.
  std::int64_t set_at_or_below(std::uint32_t r) const noexcept {
    std::size_t w = r / 64;
    const unsigned b = r % 64;
    std::uint64_t m = win_->bits[w] & (b == 63 ? ~std::uint64_t{0} : (std::uint64_t{2} << b) - 1);
    while (m == 0) {
      if (w == 0) return -1;
      m = win_->bits[--w];
    }
    return static_cast<std::int64_t>(w * 64 + 63 - static_cast<unsigned>(__builtin_clzll(m)));
  }
  // The next level up in key from offset r (a lower offset), or k_end.
  std::uint32_t nearer_than(std::uint32_t r) const noexcept {
    const std::int64_t p = r == 0 ? -1 : set_at_or_below(r - 1);
    return p < 0 ? k_end : static_cast<std::uint32_t>(p);
  }
  // The window's lowest-key level, or k_end when it holds none.
  std::uint32_t far_window_offset() const noexcept { return wn_ == 0 ? k_end : far_; }

  void ensure_window() {
    // All-zero bytes are an empty window (a trivial aggregate of integers).
    if (!win_) win_.reset(static_cast<window*>(detail::map_zeroed(sizeof(window))));
  }
  // A level at an empty offset.
  void put(std::uint32_t r, std::int64_t qty) noexcept {
    win_->qty[r] = qty;
    win_->bits[r / 64] |= std::uint64_t{1} << (r % 64);
    if (wn_++ == 0) {
      best_ = far_ = r;
    } else if (r < best_) {
      best_ = r;
    } else if (r > far_) {
      far_ = r;
    }
  }
  void erase_offset(std::uint32_t r) noexcept {
    win_->qty[r] = 0;
    win_->bits[r / 64] &= ~(std::uint64_t{1} << (r % 64));
    if (--wn_ == 0) return;
    if (r == best_) best_ = set_from(r + 1);
    else if (r == far_) far_ = static_cast<std::uint32_t>(set_at_or_below(r - 1));
  }

  std::int64_t set_in_window(std::uint32_t r, std::int64_t qty) {
    std::int64_t& slot = win_->qty[r];
    const std::int64_t old = slot;
    if (qty != 0) {
      if (old == 0) put(r, qty);
      else slot = qty;
    } else if (old != 0) {
      erase_offset(r);
      // The best left the near part of the window: bring the touch back to the head.
      if (wn_ == 0 ? !deep_.empty() : best_ >= k_far) slide_down();
    }
    return old;
  }

  // The paged part grew past Threshold with no window: place one at its best.
  void anchor() {
    const std::int64_t best = deep_.back().key;
    if (!can_anchor_at(best)) return;
    ensure_window();
    hi_ = best + k_head;
    anchored_ = true;
    pull_from_deep();
  }
  // The first level of a side emptied while anchored (a drain or front drop): the window is
  // placed at it, as a slide would (or given up where no window fits).
  std::int64_t restart_at(std::int64_t key, std::int64_t qty) {
    if (!can_anchor_at(key)) {
      anchored_ = false;  // an empty window: nothing to clear
      return deep_.set(key, qty);
    }
    hi_ = key + k_head;
    put(k_head, qty);
    return 0;
  }
  // Moves the paged part's levels at or above the window's lowest key into it.
  void pull_from_deep() noexcept {
    const std::int64_t lo_key = lo();
    while (!deep_.empty() && deep_.back().key >= lo_key) {
      const keyed_level l = deep_.pop_back();
      put(static_cast<std::uint32_t>(hi_ - l.key), l.qty);
    }
  }

  // Moves the occupied offsets [best_, far_] by d toward the far end (up) or the head, with
  // their bits; the slots they leave are zeroed. Every moved offset stays in [0, W).
  void shift_occupied(std::uint32_t d, bool up) noexcept {
    std::int64_t* q = win_->qty;
    const std::uint32_t far = far_;
    const std::uint32_t len = far + 1 - best_;
    if (up) {
      std::memmove(q + best_ + d, q + best_, len * sizeof(std::int64_t));
      std::memset(q + best_, 0, (d < len ? d : len) * sizeof(std::int64_t));
      bits_up(d);
      best_ += d;
      far_ += d;
    } else {
      std::memmove(q + best_ - d, q + best_, len * sizeof(std::int64_t));
      const std::uint32_t keep = d < len ? far + 1 - d : best_;  // first slot to zero
      std::memset(q + keep, 0, (far + 1 - keep) * sizeof(std::int64_t));
      bits_down(d);
      best_ -= d;
      far_ -= d;
    }
  }

  // Slides the window so that `best` (above it) sits at k_head; the levels that leave the
  // window's far end join the paged part. False (and no window) when no window fits there.
  bool slide_to(std::int64_t best) {
    if (!can_anchor_at(best)) {
      flush_window();
      return false;
    }
    const std::int64_t new_hi = best + k_head;
    const std::uint64_t d = static_cast<std::uint64_t>(new_hi) - static_cast<std::uint64_t>(hi_);
    // Offsets r with r + d >= W leave, lowest key (highest offset) first: each is above every
    // paged key, so each is an append.
    while (wn_ > 0 && far_ + d >= W) {
      deep_.set(hi_ - static_cast<std::int64_t>(far_), win_->qty[far_]);
      erase_offset(far_);
    }
    if (wn_ > 0) shift_occupied(static_cast<std::uint32_t>(d), true);
    hi_ = new_hi;
    return true;
  }

  // The best fell past k_far, or the window emptied over paged levels: slide down so the best
  // sits at k_head again, taking the paged part's best levels in.
  void slide_down() {
    const std::int64_t best = wn_ > 0 ? hi_ - static_cast<std::int64_t>(best_) : deep_.back().key;
    if (!can_anchor_at(best)) {
      flush_window();
      return;
    }
    const std::int64_t new_hi = best + k_head;
    // d = best_ − k_head < W; nothing lies nearer than best_
    if (wn_ > 0) shift_occupied(static_cast<std::uint32_t>(hi_ - new_hi), false);
    hi_ = new_hi;
    pull_from_deep();
  }

  // Bit r moves to r + d (d < W); the highest d bits (empty) are dropped.
  void bits_up(std::uint32_t d) noexcept {
    std::uint64_t* b = win_->bits;
    const std::uint32_t dw = d / 64, db = d % 64;
    for (std::uint32_t i = k_words; i-- > 0;) {
      std::uint64_t v = 0;
      if (i >= dw) {
        const std::uint32_t s = i - dw;
        v = b[s] << db;
        if (db != 0 && s >= 1) v |= b[s - 1] >> (64 - db);
      }
      b[i] = v;
    }
  }
  // Bit r moves to r - d (d < W); the lowest d bits (empty) are dropped.
  void bits_down(std::uint32_t d) noexcept {
    std::uint64_t* b = win_->bits;
    const std::uint32_t dw = d / 64, db = d % 64;
    for (std::uint32_t i = 0; i < k_words; ++i) {
      const std::uint32_t s = i + dw;
      std::uint64_t v = 0;
      if (s < k_words) {
        v = b[s] >> db;
        if (db != 0 && s + 1 < k_words) v |= b[s + 1] << (64 - db);
      }
      b[i] = v;
    }
  }

  // Empties the window without keeping its levels.
  void clear_window() noexcept {
    if (anchored_ && wn_ > 0) {  // zero only the occupied slots: untouched pages stay so
      for (std::uint32_t r = best_;; r = set_from(r + 1)) {
        win_->qty[r] = 0;
        if (r == far_) break;
      }
      std::memset(win_->bits, 0, sizeof win_->bits);
    }
    wn_ = 0;
    anchored_ = false;
  }
  // Moves the window's levels into the paged part (appended lowest key first: all are above
  // its keys).
  void flush_window() {
    if (!anchored_) return;
    while (wn_ > 0) {
      deep_.set(hi_ - static_cast<std::int64_t>(far_), win_->qty[far_]);
      erase_offset(far_);
    }
    clear_window();
  }

  deep_ladder deep_;              // keys below the window (all of them while not anchored)
  std::unique_ptr<window, window_unmap> win_;  // mapped when the side first passes Threshold
  std::int64_t hi_ = 0;           // key at offset 0
  std::uint32_t wn_ = 0;          // levels in the window
  std::uint32_t best_ = 0;        // lowest occupied offset (the best level), when wn_ > 0
  std::uint32_t far_ = 0;         // highest occupied offset (the lowest key), when wn_ > 0
  bool anchored_ = false;         // the window is in use (win_ allocated, hi_ valid)
};

}  // namespace depthmon::book
