// venues/coinbase/full_book.hpp — the per-product book both Coinbase feeds keep.
//
// Both feeds (Advanced Trade `level2`, Exchange `level2_batch`) start a product's book from a
// websocket snapshot of the *whole* book and then send absolute sizes per price ("0" deletes).
// So a book is live once a snapshot has been applied and it is not crossed, and each side is
// covered completely (coverage full). Until then, and after any failure, updates are dropped
// (counted in `dropped`), never applied to a partial book.
//
// load_full_snapshot() accepts levels in any order (Advanced Trade does not document an order;
// Exchange sends best first): it is a bulk load, which the book sorts once per side.
//
// Threads: owned by the connection's thread, like every book. Errors: core::status from the
// book (precision_loss on a rescale overflow); the book is cleared on error.
#pragma once

#include <span>

#include "book/book_state.hpp"
#include "core/result.hpp"
#include "venues/common/wire.hpp"

namespace depthmon::venues::coinbase {

struct coinbase_book : book::tracked_book {
  using tracked_book::tracked_book;
  bool have_snapshot = false;  // content = a snapshot (+ applied updates); cleared on failure
};

// Replaces `b` with the given sides. A price listed twice on one side keeps its last size, as if
// the levels had been applied in wire order. Sets full coverage on both sides.
core::status load_full_snapshot(book::l2_book& b, std::span<const wire_level> bids,
                                std::span<const wire_level> asks) noexcept;

// best bid >= best ask.
inline bool crossed_or_locked(const book::l2_book& b) noexcept {
  return b.crossed() || b.locked();
}

}  // namespace depthmon::venues::coinbase
