// book/book_state.hpp — a venue book's lifecycle status and integrity counters.
//
// `tracked_book` is what a venue's sync state machine owns per instrument: the L2 book, whether
// it may be published (`live`), and counters of every check it passed or failed. The counters are
// the ones the book JSON of DESIGN.md reports.
//
// Threads: owned by the venue connection's thread, like the book. Errors: invalidate() records
// why; nothing throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "book/l2_book.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace depthmon::book {

enum class book_status : std::uint8_t {
  syncing,  // waiting for a snapshot / first aligned update; never published
  live,     // consistent with the venue; published
  invalid,  // failed a venue check; cleared, resync requested; never published
};

constexpr std::string_view to_string(book_status s) noexcept {
  switch (s) {
    case book_status::syncing: return "syncing";
    case book_status::live: return "live";
    case book_status::invalid: return "invalid";
  }
  return "?";
}

struct book_counters {
  std::uint64_t messages = 0;         // venue messages addressed to this book (any kind)
  std::uint64_t updates_applied = 0;  // incremental updates applied to a live book
  std::uint64_t snapshots = 0;        // snapshots applied
  std::uint64_t dropped = 0;          // updates discarded as older than the book (alignment)
  std::uint64_t gaps = 0;             // sequence breaks detected
  std::uint64_t resyncs = 0;          // times the book was invalidated and a resync requested
  std::uint64_t checksums_passed = 0;
  std::uint64_t checksums_failed = 0;
  std::uint64_t bbo_checks_passed = 0;
  std::uint64_t bbo_checks_failed = 0;
  std::uint64_t partial_checks_passed = 0;  // venue partial-depth frames (Binance @depth20)
  std::uint64_t partial_checks_failed = 0;
  std::uint64_t crossed = 0;          // complete messages that left the book crossed or locked
};

struct tracked_book {
  explicit tracked_book(std::string sym) : symbol(std::move(sym)) {}

  std::string symbol;  // venue-native
  l2_book book;
  book_status status = book_status::syncing;
  book_counters counters;
  std::optional<std::uint64_t> last_update_id;  // venue sequence of the last applied change
  core::unix_nanos last_event_time = 0;         // venue event time of the last applied change
  core::unix_nanos last_receive_time = 0;
  core::error last_error{};                     // why the book was last invalidated

  bool live() const noexcept { return status == book_status::live; }

  // The connection was lost or restarted: content unknown, back to waiting for a snapshot.
  void restart() noexcept {
    status = book_status::syncing;
    last_update_id.reset();
    book.clear();
  }

  // Marks the book invalid: cleared, never published, counted as a resync. The owner then
  // requests a fresh snapshot / resubscription.
  void invalidate(core::error why) noexcept {
    last_error = why;
    if (why.code == core::errc::sequence_gap) ++counters.gaps;
    ++counters.resyncs;
    status = book_status::invalid;
    last_update_id.reset();
    book.clear();
  }
};

}  // namespace depthmon::book
