#include "venues/coinbase/full_book.hpp"

namespace depthmon::venues::coinbase {

core::status load_full_snapshot(book::l2_book& b, std::span<const wire_level> bids,
                                std::span<const wire_level> asks) noexcept {
  // A bulk load: the book sorts each side once, whatever the wire order (l2_book::end_bulk).
  if (auto st = load_snapshot(b, bids, asks); !st) return st;
  b.set_coverage(core::side::bid, book::coverage::full_book());
  b.set_coverage(core::side::ask, book::coverage::full_book());
  return {};
}

}  // namespace depthmon::venues::coinbase
