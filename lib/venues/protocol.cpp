#include "venues/protocol.hpp"

namespace depthmon::venues {

book::tracked_book* venue_protocol::find_book(std::string_view symbol) const noexcept {
  for (auto* tb : book_ptrs_)
    if (tb->symbol == symbol) return tb;
  return nullptr;
}

void venue_protocol::register_book(book::tracked_book* tb) {
  book_ptrs_.push_back(tb);
  if (listener_) listener_->on_book_created(*tb);
}

void venue_protocol::fail_book(book::tracked_book& tb, core::error why, request::kind recovery) {
  tb.invalidate(why);
  requests_.push_back({recovery, tb.symbol, why.code, {}});
  notify_updated(tb);
}

}  // namespace depthmon::venues
