// depth/band_tracker.hpp — cumulative ±x % depth of one book, kept as running sums.
//
// Rescanning thousands of levels per update is too slow for the hot path, so the tracker
// observes the book (book_observer) and keeps, per band and side, the sums of size and notional
// over the levels inside the band edge it last computed. A level change adds its delta to the
// bands that contain it (O(bands)). When the mid moves, compute() slides each edge: the tracker
// also keeps the keys of the two levels bracketing each edge (first inside, first outside), so
// an edge that moves without crossing a level costs O(1) and one that crosses levels costs one
// ladder lookup plus the levels crossed. Edges are tracked by key, not by ladder index, so no
// insert or delete anywhere in the book has to renumber them. A clear, bulk load or rescale
// (on_reset) makes the next compute() rebuild from scratch.
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
  // No level has a key in (outer, edge) or [edge, inner): `inner` is the lowest key >= edge
  // and `outer` the highest key < edge when last looked up (INT64_MAX / INT64_MIN: none);
  // inserts narrow them, deletes leave them (the gap only grows).
  struct bracket {
    std::int64_t inner = 0;
    std::int64_t outer = 0;
  };
  void rebuild(core::int128 mid2) noexcept;
  void slide(core::side s, std::size_t b, std::int64_t new_edge) noexcept;
  void add(sums& into, std::int64_t price, std::int64_t dq) noexcept;

  book::l2_book& book_;
  band_set bands_;
  bool valid_ = false;
  bool overflow_ = false;
  core::int128 mid2_ = 0;
  // Per side, per band: edge key (a level with key >= edge is inside), bracket, sums.
  std::array<std::array<std::int64_t, max_bands>, 2> edge_{};
  std::array<std::array<bracket, max_bands>, 2> near_{};
  std::array<std::array<sums, max_bands>, 2> sums_{};
};

}  // namespace depthmon::depth
