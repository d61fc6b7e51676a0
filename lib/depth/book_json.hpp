// depth/book_json.hpp — the book JSON object of DESIGN.md ("depthmon replay", /api/v1/books).
//
// One writer for both the replay CLI and the HTTP API, so they cannot drift, and it reads a
// published snapshot (depth/book_snapshot.hpp), never a live book. Prices, sizes and notionals
// are canonical decimal strings; a band side the book does not fully cover has null qty and
// notional; a book that is not live has no BBO, mid, band values or levels.
//
// Threads: pure function. Errors: none.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "book/book_state.hpp"
#include "core/ids.hpp"
#include "depth/bands.hpp"
#include "depth/book_snapshot.hpp"
#include "depth/depth_view.hpp"

namespace depthmon::depth {

// Top levels of a book deeper than a snapshot holds, best first, [bid, ask].
using level_lists = std::array<std::vector<book::level>, 2>;

struct book_json_options {
  // Also emit "bids"/"asks" with this many top levels (0 = omit), at most the snapshot's
  // top_*_count (snapshot_top_levels) unless `deep` is given.
  std::size_t levels = 0;
  // Callers that own the book (replay, the simulator's truth, whole-book comparisons) pass its
  // top `levels` here (deep_levels()); emitted instead of the snapshot's, and only when the
  // snapshot is live, like the snapshot's own.
  const level_lists* deep = nullptr;
};

// Appends one JSON object, no trailing newline. `symbol` is the book's venue-native symbol.
void append_book_json(std::string& out, core::venue venue, std::string_view symbol,
                      const book_snapshot& snap, const band_set& bands,
                      const book_json_options& opt = {});

// The best `n` levels per side of a book (for book_json_options::deep). Writer thread only.
level_lists deep_levels(const book::l2_book& b, std::size_t n);

// Appends `s` as a JSON string literal with escaping.
void append_json_string(std::string& out, std::string_view s);

}  // namespace depthmon::depth
