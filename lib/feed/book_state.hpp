// feed/book_state.hpp — the feed's view of one book: syncing -> live -> stale or invalid ->
// syncing, with every transition counted by reason.
//
// The venue protocol's book::book_status says whether the content is consistent with the
// venue; the feed adds what only the owner of the clock and the socket can know: a book whose
// stream went quiet (`stale`: content kept but not publishable), a book whose recovery the
// feed has started (`syncing` again) and a book that lost its connection. Only `live` is
// publishable. Transitions are counted per reason (the owner exports them, the feed logs each
// one once); staying in a state is not a transition, so nothing is counted per message.
//
// Threads: owned by the feed's io thread. Errors: none (an illegal request is just a no-op
// returning false).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace depthmon::feed {

enum class book_state : std::uint8_t { syncing, live, stale, invalid };

constexpr std::string_view to_string(book_state s) noexcept {
  switch (s) {
    case book_state::syncing: return "syncing";
    case book_state::live: return "live";
    case book_state::stale: return "stale";
    case book_state::invalid: return "invalid";
  }
  return "?";
}

enum class transition_reason : std::uint8_t {
  synced,        // -> live: the venue's checks passed (snapshot aligned, first update applied)
  resumed,       // stale -> live: updates arrived again
  stale,         // live -> stale: no update for the venue's stale time
  failed,        // -> invalid: a venue check failed (book::resync_reason says which)
  crossed,       // -> invalid: the venue's own book is crossed (held, not published)
  resync,        // invalid or stale -> syncing: the feed started the book's recovery
  disconnected,  // -> syncing: the connection carrying the book was lost
  switched,      // planned reconnect: the book moved to the replacement connection live
};
inline constexpr std::size_t transition_reason_count =
    static_cast<std::size_t>(transition_reason::switched) + 1;

constexpr std::string_view label(transition_reason r) noexcept {
  switch (r) {
    case transition_reason::synced: return "synced";
    case transition_reason::resumed: return "resumed";
    case transition_reason::stale: return "stale";
    case transition_reason::failed: return "failed";
    case transition_reason::crossed: return "crossed";
    case transition_reason::resync: return "resync";
    case transition_reason::disconnected: return "disconnected";
    case transition_reason::switched: return "switched";
  }
  return "?";
}

class book_state_machine {
 public:
  book_state state() const noexcept { return state_; }
  bool publishable() const noexcept { return state_ == book_state::live; }
  bool ever_live() const noexcept { return ever_live_; }

  // Moves to `to` for `why`; false (nothing counted) when already there. `switched` is the
  // one reason counted without a state change (live stays live on another connection).
  bool move(book_state to, transition_reason why) noexcept {
    if (to == state_ && why != transition_reason::switched) return false;
    state_ = to;
    if (to == book_state::live) ever_live_ = true;
    ++counts_[static_cast<std::size_t>(why)];
    ++total_;
    return true;
  }

  std::uint64_t count(transition_reason r) const noexcept {
    return counts_[static_cast<std::size_t>(r)];
  }
  std::uint64_t transitions() const noexcept { return total_; }

 private:
  book_state state_ = book_state::syncing;
  bool ever_live_ = false;
  std::array<std::uint64_t, transition_reason_count> counts_{};
  std::uint64_t total_ = 0;
};

}  // namespace depthmon::feed
