// venues/common/wire.hpp — venue-neutral pieces every codec and sync machine shares.
//
// Threads: values and single-thread helpers. Errors: core::status from book mutations.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "book/book_state.hpp"
#include "core/decimal.hpp"
#include "core/result.hpp"

namespace depthmon::venues {

// One price level as parsed from the wire: absolute size, 0 = delete.
struct wire_level {
  core::decimal price;
  core::decimal qty;
};

// The preconditions l2_book::set enforces (price > 0, size >= 0), checked where a frame is
// parsed, so a frame that parses never fails halfway through a book: a bad level is a
// drop_message error (bad_number) and the book stays untouched.
inline core::status check_level(const wire_level& l) noexcept {
  if (l.price.mantissa <= 0) return {core::errc::bad_number, "level price must be positive"};
  if (l.qty.mantissa < 0) return {core::errc::bad_number, "level size must not be negative"};
  return {};
}

// Applies levels in order (later entries for the same price win, as venues intend).
inline core::status apply_levels(book::l2_book& b, core::side s,
                                 std::span<const wire_level> levels) noexcept {
  for (const auto& l : levels)
    if (auto st = b.set(s, l.price, l.qty); !st) return st;
  return {};
}

// Replaces the whole book with `bids` and `asks` (a snapshot).
inline core::status load_snapshot(book::l2_book& b, std::span<const wire_level> bids,
                                  std::span<const wire_level> asks) noexcept {
  b.begin_bulk();
  core::status st = apply_levels(b, core::side::bid, bids);
  if (st) st = apply_levels(b, core::side::ask, asks);
  b.end_bulk();
  if (!st) b.clear();
  return st;
}

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// Owns a venue's per-book state objects (types deriving from book::tracked_book) and finds
// them by venue-native symbol without allocating.
template <class Book>
class book_registry {
 public:
  Book* find(std::string_view symbol) const noexcept {
    auto it = index_.find(symbol);
    return it == index_.end() ? nullptr : it->second;
  }
  Book* add(std::string symbol) {
    auto owned = std::make_unique<Book>(symbol);
    Book* raw = owned.get();
    index_.emplace(std::move(symbol), raw);
    books_.push_back(std::move(owned));
    return raw;
  }
  const std::vector<std::unique_ptr<Book>>& all() const noexcept { return books_; }

 private:
  std::vector<std::unique_ptr<Book>> books_;
  std::unordered_map<std::string, Book*, string_hash, std::equal_to<>> index_;
};

}  // namespace depthmon::venues
