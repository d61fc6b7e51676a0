// book/paged_ladder.hpp — one side of an L2 book: levels sorted by key in small pages.
//
// A flat sorted vector shifts its whole tail on every deep insert or delete (~1.4-2.9 µs at rank
// 2 500 of 5 000), and real deep books (Binance BTCUSDT: 43 % of changes > 100 levels from the
// touch) do that constantly. Here the levels live in pages of at most `Cap` entries, each page
// sorted and contiguous, the pages in key order; a directory holds each page's first key
// contiguously, so a lookup is one bisection of the directory (~200 keys for 5 000 levels at
// 32 per page) plus a count inside one page, and an insert or delete moves at most one page's
// tail. The best level is the last entry of the last page,
// so top-of-book traffic (most of it) touches one page and never searches the directory.
// benchmarks/README.md ("Book updates") records the comparison that chose this layout and `Cap`.
//
// Invariants: no page in the directory is empty; keys strictly ascend across pages. A page that
// falls below Cap/4 merges with a neighbour when both fit in 3/4 of a page (hysteresis: a split
// leaves two half pages, so a split never triggers a merge). Pages are recycled through a free
// list: after warm-up, updates do not allocate (see take_page()).
//
// Threads: single writer, no locks (owned by its l2_book). Errors: none; callers validate.
// Iterators are invalidated by any mutation.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <type_traits>
#include <vector>

namespace depthmon::book {

struct keyed_level {
  std::int64_t key = 0;  // price for bids, −price for asks
  std::int64_t qty = 0;
};

// The `pointer` of the ladders' iterators, which yield levels by value: `it->key` works on it.
struct keyed_level_arrow {
  keyed_level l;
  const keyed_level* operator->() const noexcept { return &l; }
};

namespace detail {

// Number of keys[0..n) below `key`: independent compares, no chain of dependent loads as in a
// bisection, so all the cache lines are fetched in parallel.
inline std::uint32_t count_below_portable(const std::int64_t* keys, std::uint32_t n,
                                          std::int64_t key) noexcept {
  std::uint32_t c0 = 0, c1 = 0, c2 = 0, c3 = 0, i = 0;
  for (; i + 4 <= n; i += 4) {
    c0 += keys[i] < key;
    c1 += keys[i + 1] < key;
    c2 += keys[i + 2] < key;
    c3 += keys[i + 3] < key;
  }
  for (; i < n; ++i) c0 += keys[i] < key;
  return c0 + c1 + c2 + c3;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DEPTHMON_COUNT_BELOW_AVX2 1
// The same four keys per instruction (AVX2 64-bit compares, ~2.5x faster on a 64-key page).
// GNU vector extensions rather than <immintrin.h>, so nothing x86-only leaks into the build.
__attribute__((target("avx2"))) inline std::uint32_t count_below_avx2(
    const std::int64_t* keys, std::uint32_t n, std::int64_t key) noexcept {
  using v4 = long long __attribute__((vector_size(32)));
  const v4 k = {key, key, key, key};
  v4 acc = {0, 0, 0, 0};
  std::uint32_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v4 x;
    std::memcpy(&x, keys + i, sizeof x);
    acc += x < k;  // -1 per key below
  }
  std::uint32_t c = static_cast<std::uint32_t>(-(acc[0] + acc[1] + acc[2] + acc[3]));
  for (; i < n; ++i) c += keys[i] < key;
  return c;
}
#endif

inline std::uint32_t count_below(const std::int64_t* keys, std::uint32_t n,
                                 std::int64_t key) noexcept {
#if defined(__AVX2__)
  return count_below_avx2(keys, n, key);
#elif defined(DEPTHMON_COUNT_BELOW_AVX2)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) return count_below_avx2(keys, n, key);
  return count_below_portable(keys, n, key);
#else
  return count_below_portable(keys, n, key);
#endif
}

}  // namespace detail

template <std::uint32_t Cap>
class paged_ladder {
  static_assert(Cap >= 8, "pages must hold a few levels");
  static_assert(Cap % 4 == 0, "the page search counts four keys per step");

  // Keys and sizes apart: a search reads only keys (8 per cache line). Unused key slots hold
  // k_free, above every real key, so a search may run over the whole page.
  static constexpr std::int64_t k_free = std::numeric_limits<std::int64_t>::max();
  // key[Cap] is a permanent k_free, so a lookup compares key[search result] without reading n.
  struct page {
    alignas(64) std::int64_t key[Cap + 1];
    std::int64_t qty[Cap];
    std::uint32_t n = 0;
    page() noexcept { std::fill(key, key + Cap + 1, k_free); }
  };

 public:
  static constexpr std::uint32_t page_capacity = Cap;

  // Bidirectional, ascending key (worst -> best). end() is (one past the last page, 0).
  class iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = keyed_level;
    using difference_type = std::ptrdiff_t;
    // Levels are stored as two arrays, so dereferencing yields a value (as vector<bool> does).
    using pointer = keyed_level_arrow;
    using reference = keyed_level;

    iterator() = default;
    reference operator*() const noexcept { return {(*slot_)->key[off_], (*slot_)->qty[off_]}; }
    pointer operator->() const noexcept { return {**this}; }
    iterator& operator++() noexcept {
      if (++off_ == (*slot_)->n) {
        ++slot_;
        off_ = 0;
      }
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator t = *this;
      ++*this;
      return t;
    }
    iterator& operator--() noexcept {
      if (off_ == 0) off_ = (*--slot_)->n;
      --off_;
      return *this;
    }
    iterator operator--(int) noexcept {
      iterator t = *this;
      --*this;
      return t;
    }
    friend bool operator==(const iterator& a, const iterator& b) noexcept {
      return a.slot_ == b.slot_ && a.off_ == b.off_;
    }

   private:
    friend class paged_ladder;
    // Two words, so that walks keep an iterator in registers.
    iterator(page* const* slot, std::uint32_t off) noexcept : slot_(slot), off_(off) {}
    page* const* slot_ = nullptr;  // the page's entry in the directory
    std::uint32_t off_ = 0;
  };

  // The directory's first entries are reserved up front: a book is created once per
  // subscription, and its first snapshot should not pay for growing them.
  paged_ladder() {
    dir_.reserve(8);
    first_.reserve(8);
  }
  paged_ladder(const paged_ladder&) = delete;
  paged_ladder& operator=(const paged_ladder&) = delete;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::size_t page_count() const noexcept { return dir_.size(); }

  iterator begin() const noexcept { return {dir_.data(), 0}; }
  iterator end() const noexcept { return {dir_.data() + dir_.size(), 0}; }

  keyed_level back() const noexcept {
    const page* p = dir_.back();
    return {p->key[p->n - 1], p->qty[p->n - 1]};
  }
  keyed_level front() const noexcept { return {dir_.front()->key[0], dir_.front()->qty[0]}; }

  // The i-th level counted from the best (0 = back()); i < size(). Walks page counts from the
  // nearer end: O(1) for the top levels checksums read, O(pages) at worst.
  keyed_level nth_from_back(std::size_t i) const noexcept {
    std::size_t pi, j;
    if (i < size_ / 2) {
      pi = dir_.size() - 1;
      while (i >= dir_[pi]->n) i -= dir_[pi--]->n;
      j = dir_[pi]->n - 1 - i;
    } else {
      j = size_ - 1 - i;  // from the front
      pi = 0;
      while (j >= dir_[pi]->n) j -= dir_[pi++]->n;
    }
    return {dir_[pi]->key[j], dir_[pi]->qty[j]};
  }

  // Visits levels best first (descending key) a page at a time, each page's arrays read
  // directly: the walk price impact makes, without an iterator's page hop per level.
  // fn(std::int64_t key, std::int64_t qty) returns false to stop; walk_from_back returns false
  // when fn stopped it.
  // Always inlined (as the window ladder's walk that ends in it): a walk called out of line
  // takes its caller's lambda by address, and the lambda's state then lives in memory.
  template <class Fn>
  [[gnu::always_inline]] bool walk_from_back(Fn&& fn) const {
    for (std::size_t pi = dir_.size(); pi-- > 0;) {
      const page& p = *dir_[pi];
      for (std::uint32_t i = p.n; i-- > 0;)
        if (!fn(p.key[i], p.qty[i])) return false;
    }
    return true;
  }

  // First level whose key is >= `key`, or end().
  iterator lower_bound(std::int64_t key) const noexcept {
    if (dir_.empty()) return end();
    const std::size_t pi = page_of(key);
    const page* p = dir_[pi];
    const std::uint32_t off = search(*p, key);
    if (off == p->n) return {dir_.data() + pi + 1, 0};
    return {dir_.data() + pi, off};
  }

  // Sets the size at `key` (0 deletes; deleting an absent key is a no-op) and returns the size
  // it had (0 if absent).
  std::int64_t set(std::int64_t key, std::int64_t qty) {
    if (dir_.empty()) {
      if (qty == 0) return 0;
      page* p = take_page();
      p->key[0] = key;
      p->qty[0] = qty;
      p->n = 1;
      dir_.push_back(p);
      first_.push_back(key);
      size_ = 1;
      return 0;
    }
    const std::size_t pi = page_of(key);
    page& p = *dir_[pi];
    const std::uint32_t off = pi + 1 == dir_.size() ? search_from_back(p, key) : search(p, key);
    if (p.key[off] == key) {  // slots from n on hold k_free, never a key
      const std::int64_t old = p.qty[off];
      if (qty == 0) erase_at(pi, off);
      else p.qty[off] = qty;
      return old;
    }
    if (qty != 0) insert_at(pi, off, key, qty);
    return 0;
  }

  // Removes and returns the best level (size() > 0): what a window over the touch takes back.
  keyed_level pop_back() noexcept {
    const std::size_t pi = dir_.size() - 1;
    const page* p = dir_[pi];
    const keyed_level l{p->key[p->n - 1], p->qty[p->n - 1]};
    erase_at(pi, p->n - 1);
    return l;
  }

  // Drops the `n` lowest-key levels (n <= size()); whole pages leave the directory at once.
  void drop_front(std::size_t n) {
    std::size_t whole = 0;
    while (whole < dir_.size() && n >= dir_[whole]->n) {
      n -= dir_[whole]->n;
      size_ -= dir_[whole]->n;
      give_page(dir_[whole]);
      ++whole;
    }
    dir_.erase(dir_.begin(), dir_.begin() + static_cast<std::ptrdiff_t>(whole));
    first_.erase(first_.begin(), first_.begin() + static_cast<std::ptrdiff_t>(whole));
    if (n == 0) return;
    page& p = *dir_[0];
    const auto m = static_cast<std::uint32_t>(n);
    move_within(p, m, 0, p.n - m);
    std::fill(p.key + p.n - m, p.key + p.n, k_free);
    p.n -= m;
    size_ -= n;
    first_[0] = p.key[0];
    maybe_merge(0);
  }

  // Replaces the content with `sorted` (strictly ascending keys, no zero sizes). Pages are
  // filled to 3/4 so the first inserts after a snapshot do not split.
  void assign_sorted(const keyed_level* sorted, std::size_t n) {
    clear();
    constexpr std::uint32_t fill = Cap - Cap / 4;
    for (std::size_t i = 0; i < n; i += fill) {
      const auto m = static_cast<std::uint32_t>(std::min<std::size_t>(fill, n - i));
      page* p = take_page();
      for (std::uint32_t j = 0; j < m; ++j) {
        p->key[j] = sorted[i + j].key;
        p->qty[j] = sorted[i + j].qty;
      }
      p->n = m;
      dir_.push_back(p);
      first_.push_back(p->key[0]);
    }
    size_ = n;
  }

  void clear() noexcept {
    for (page* p : dir_) give_page(p);
    dir_.clear();
    first_.clear();
    size_ = 0;
  }

  // Checks every structural invariant (tests): pages non-empty and within capacity, keys
  // strictly ascending within and across pages, free slots marked, the directory, the size.
  bool invariants_hold() const noexcept {
    if (dir_.size() != first_.size()) return false;
    std::size_t n = 0;
    for (std::size_t pi = 0; pi < dir_.size(); ++pi) {
      const page& p = *dir_[pi];
      if (p.n == 0 || p.n > Cap || first_[pi] != p.key[0]) return false;
      if (pi > 0 && dir_[pi - 1]->key[dir_[pi - 1]->n - 1] >= p.key[0]) return false;
      for (std::uint32_t i = 1; i < p.n; ++i)
        if (p.key[i - 1] >= p.key[i] || p.key[i] == k_free) return false;
      for (std::uint32_t i = p.n; i < Cap; ++i)
        if (p.key[i] != k_free) return false;
      n += p.n;
    }
    return n == size_;
  }

  // Visits every level mutably, in order; `fn` must keep keys strictly ascending and below
  // INT64_MAX (rescaling by a positive factor without overflow does).
  // fn(std::int64_t& key, std::int64_t& qty).
  template <class Fn>
  void for_each_mutable(Fn&& fn) noexcept {
    for (std::size_t pi = 0; pi < dir_.size(); ++pi) {
      page& p = *dir_[pi];
      for (std::uint32_t i = 0; i < p.n; ++i) fn(p.key[i], p.qty[i]);
      first_[pi] = p.key[0];
    }
  }

 private:
  // Index of the page that holds, or would receive, `key`: the last page whose first key is
  // <= key (page 0 for keys below every level). The last page is tried first: top-of-book.
  std::size_t page_of(std::int64_t key) const noexcept {
    const std::size_t np = first_.size();
    if (key >= first_[np - 1]) return np - 1;
    // Branch-free bisection over [0, np - 1). (Counting like a page search is slower here: the
    // directory is hot in L1, so a bisection's dependent loads are cheap, and it is longer.)
    const std::int64_t* base = first_.data();
    std::size_t len = np - 1;
    while (len > 1) {
      const std::size_t half = len / 2;
      base = base[half] <= key ? base + half : base;
      len -= half;
    }
    const std::size_t i = static_cast<std::size_t>(base - first_.data());
    return base[0] <= key ? i : 0;  // only page 0 can start above key
  }

  // First offset in `p` with key >= `key` (p.n if none): the number of keys below `key`,
  // counted over the whole page (free slots hold k_free, never below a key).
  static std::uint32_t search(const page& p, std::int64_t key) noexcept {
    return detail::count_below(p.key, Cap, key);
  }
  // The same, probing the last entries first: top-of-book changes land there.
  static std::uint32_t search_from_back(const page& p, std::int64_t key) noexcept {
    constexpr std::uint32_t probe = 4;
    std::uint32_t i = p.n;
    const std::uint32_t stop = p.n > probe ? p.n - probe : 0;
    while (i > stop && p.key[i - 1] >= key) --i;
    if (i > stop || stop == 0) return i;
    return search(p, key);
  }

  // Moves entries [from, from + n) of `p` to start at `to` (overlap allowed).
  static void move_within(page& p, std::uint32_t from, std::uint32_t to, std::uint32_t n) noexcept {
    std::memmove(p.key + to, p.key + from, n * sizeof(std::int64_t));
    std::memmove(p.qty + to, p.qty + from, n * sizeof(std::int64_t));
  }
  static void copy_to(page& dst, std::uint32_t to, const page& src, std::uint32_t from,
                      std::uint32_t n) noexcept {
    std::memcpy(dst.key + to, src.key + from, n * sizeof(std::int64_t));
    std::memcpy(dst.qty + to, src.qty + from, n * sizeof(std::int64_t));
  }

  void insert_at(std::size_t pi, std::uint32_t off, std::int64_t key, std::int64_t qty) {
    page* p = dir_[pi];
    if (p->n == Cap) {
      // Split. Appending past the last level (new best levels) leaves the old page nearly full
      // and starts a nearly empty one, as a B+-tree does for ascending inserts; else halves.
      const std::uint32_t keep = (pi + 1 == dir_.size() && off == Cap) ? Cap - Cap / 8 : Cap / 2;
      page* q = take_page();
      q->n = Cap - keep;
      copy_to(*q, 0, *p, keep, q->n);
      std::fill(p->key + keep, p->key + Cap, k_free);
      p->n = keep;
      dir_.insert(dir_.begin() + static_cast<std::ptrdiff_t>(pi + 1), q);
      first_.insert(first_.begin() + static_cast<std::ptrdiff_t>(pi + 1), q->key[0]);
      if (off > keep) {
        ++pi;
        off -= keep;
        p = q;
      }
    }
    move_within(*p, off, off + 1, p->n - off);
    p->key[off] = key;
    p->qty[off] = qty;
    ++p->n;
    if (off == 0) first_[pi] = key;
    ++size_;
  }

  void erase_at(std::size_t pi, std::uint32_t off) noexcept {
    page* p = dir_[pi];
    move_within(*p, off + 1, off, p->n - off - 1);
    --p->n;
    p->key[p->n] = k_free;
    --size_;
    if (p->n == 0) {
      give_page(p);
      dir_.erase(dir_.begin() + static_cast<std::ptrdiff_t>(pi));
      first_.erase(first_.begin() + static_cast<std::ptrdiff_t>(pi));
      return;
    }
    if (off == 0) first_[pi] = p->key[0];
    maybe_merge(pi);
  }

  // Merges a page that fell below Cap/4 into a neighbour when the two fit in 3/4 of a page.
  void maybe_merge(std::size_t pi) noexcept {
    constexpr std::uint32_t low = Cap / 4, fits = Cap - Cap / 4;
    if (dir_[pi]->n >= low) return;
    std::size_t left;
    if (pi > 0 && dir_[pi - 1]->n + dir_[pi]->n <= fits) left = pi - 1;
    else if (pi + 1 < dir_.size() && dir_[pi + 1]->n + dir_[pi]->n <= fits) left = pi;
    else return;
    page* a = dir_[left];
    page* b = dir_[left + 1];
    copy_to(*a, a->n, *b, 0, b->n);
    a->n += b->n;
    give_page(b);
    dir_.erase(dir_.begin() + static_cast<std::ptrdiff_t>(left + 1));
    first_.erase(first_.begin() + static_cast<std::ptrdiff_t>(left + 1));
  }

  // Pages come from the first page inside the ladder (most venue books are shallower than a
  // page: no heap at all), then from blocks of pages that double in size (a deep book costs a
  // handful of allocations, not one per page), recycled through the free list.
  page* take_page() {
    if (!first_page_used_) {
      first_page_used_ = true;
      return &first_page_;
    }
    if (free_.empty()) {
      const std::size_t n = owned_pages_ == 0 ? 4 : owned_pages_;
      blocks_.push_back(std::make_unique<page[]>(n));
      owned_pages_ += n;
      free_.reserve(owned_pages_);  // so that give_page never allocates
      for (std::size_t i = n; i-- > 1;) free_.push_back(&blocks_.back()[i]);
      return &blocks_.back()[0];
    }
    page* p = free_.back();
    free_.pop_back();
    return p;
  }
  void give_page(page* p) noexcept {
    std::fill(p->key, p->key + p->n, k_free);
    p->n = 0;
    if (p == &first_page_) first_page_used_ = false;
    else free_.push_back(p);  // within the capacity take_page reserved
  }

  std::vector<page*> dir_;           // pages in key order
  std::vector<std::int64_t> first_;  // dir_[i]->key[0], contiguous for the search
  std::size_t size_ = 0;
  page first_page_;
  bool first_page_used_ = false;
  std::vector<std::unique_ptr<page[]>> blocks_;
  std::size_t owned_pages_ = 0;  // in blocks_
  std::vector<page*> free_;
};

}  // namespace depthmon::book
