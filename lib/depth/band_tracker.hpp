// depth/band_tracker.hpp — cumulative ±x % depth of one book, kept as running sums.
//
// Rescanning thousands of levels per update is too slow for the hot path, so the tracker
// observes the book (book_observer) and keeps, per side, the sums of size and notional over the
// segments between consecutive band edges it last computed (segment b: inside band b, outside
// band b − 1); a band's figure is the sum of its segments. A level change adds its delta to the
// one segment that holds it, found by comparing with the edges (no per-band sum). When the mid
// moves, compute() slides each edge: the tracker
// also keeps the two levels on each side of every edge (keys and sizes), so an edge that moves
// across at most those costs O(1), and one that moves farther costs one ladder lookup plus the
// levels crossed. A change updates only the edge windows it can reach (beyond a window's
// farthest listed level it cannot alter it), so it costs the edges it is near, not all of
// them. Edges are tracked by key, not by ladder index, so no insert or delete anywhere in the
// book has to renumber them. A clear, bulk load or rescale (on_reset) makes the next compute()
// rebuild from scratch: one best-first walk of the ladder fills the sums and every window.
//
// Threads: lives with its book on the book's writer thread; not thread-safe.
// Errors: int128 overflow of a sum (unreachable for real books) sets depth_view::overflow.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "book/l2_book.hpp"
#include "depth/bands.hpp"
#include "depth/depth_view.hpp"

namespace depthmon::depth {

class band_tracker final : public book::book_observer {
 public:
  // Attaches itself as the book's observer; detaches on destruction.
  band_tracker(book::l2_book& book, band_set bands);
  ~band_tracker();
  band_tracker(const band_tracker&) = delete;
  band_tracker& operator=(const band_tracker&) = delete;

  const band_set& bands() const noexcept { return bands_; }

  // Brings the sums up to date with the book and returns the figures. Cheap when the mid has
  // not moved; O(levels crossed by the edges) when it has.
  depth_view compute() noexcept;

  void on_level(core::side s, std::int64_t price, std::int64_t old_qty,
                std::int64_t new_qty) noexcept override;
  void on_reset() noexcept override { valid_ = false; }

 private:
  struct sums {
    core::int128 qty = 0;
    core::int128 notional = 0;
  };
  // The levels nearest an edge on one side of it, as far as known exactly: l[0..n) in order
  // of distance from the edge (the first is the nearest level on that side, the second the
  // next), `end` = no level lies beyond the last one listed. Inserts and deletes near the edge
  // keep it exact; a slide moves levels from one half to the other, so an edge that crosses
  // one or two levels (a mid moving back and forth over a level) needs no ladder lookup.
  struct half_window {
    book::keyed_level l[2];
    std::uint8_t n = 0;
    bool end = false;
  };
  struct edge_window {
    half_window in;   // keys >= edge, ascending
    half_window out;  // keys < edge, descending
  };
  // How far from the edge a change can alter a half window: beyond its last listed level
  // nothing changes unless `end` (any new level is then listed). Changes outside that reach
  // skip the window, so a change costs the bands it is near, not all of them.
  static std::int64_t reach(const half_window& h, bool up) noexcept {
    constexpr std::int64_t lo = INT64_MIN, hi = INT64_MAX;
    if (h.end) return up ? hi : lo;
    if (h.n == 0) return up ? lo : hi;
    return h.l[h.n - 1].key;
  }
  void update_reach(std::size_t si, std::size_t b) noexcept {
    reach_in_[si][b] = reach(near_[si][b].in, true);
    reach_out_[si][b] = reach(near_[si][b].out, false);
  }
  // Reads the window around the level `first_in` (the first level inside) from the ladder.
  void refill(edge_window& w, const book::ladder_view& lv,
              book::ladder_view::iterator first_in) noexcept;
  void rebuild(core::int128 mid2) noexcept;
  template <core::side S>
  void rebuild_side(core::int128 mid2) noexcept;
  void slide(core::side s, std::size_t b, std::int64_t new_edge) noexcept;
  void add(sums& into, std::int64_t price, std::int64_t dq) noexcept;
  void add(sums& into, const sums& d, bool negate) noexcept;

  book::l2_book& book_;
  band_set bands_;
  bool valid_ = false;
  bool overflow_ = false;
  core::int128 mid2_ = 0;
  // Per side, per band: edge key (a level with key >= edge is inside), window, segment sums
  // (seg_[s][b]: levels with edge_[s][b] <= key < edge_[s][b - 1]).
  std::array<std::array<std::int64_t, max_bands>, 2> edge_{};
  std::array<std::array<edge_window, max_bands>, 2> near_{};
  // reach() of each window's halves, contiguous for on_level's filter: a change at key k
  // touches the inside half of band b only if k <= reach_in_, the outside one if k >= reach_out_.
  std::array<std::array<std::int64_t, max_bands>, 2> reach_in_{};
  std::array<std::array<std::int64_t, max_bands>, 2> reach_out_{};
  std::array<std::array<sums, max_bands>, 2> seg_{};
  // Band sums as of the last compute(), and per side the first segment changed since (bands
  // from it on are summed again; max_bands = none).
  std::array<std::array<sums, max_bands>, 2> band_{};
  std::array<std::size_t, 2> dirty_from_{0, 0};
};

}  // namespace depthmon::depth
