// book/book_state.hpp — a venue book's lifecycle status and integrity counters.
//
// `tracked_book` is what a venue's sync state machine owns per instrument: the L2 book, whether
// it may be published (`live`), and counters of every check it passed or failed. The counters are
// the ones the book JSON of DESIGN.md reports; failures are also counted per reason
// (`resync_reason`, the `reason` label of book_resyncs_total).
//
// Threads: owned by the venue connection's thread, like the book. Errors: invalidate() records
// why; nothing throws.
#pragma once

#include <array>
#include <cstddef>
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
  crossed,  // the venue's own book is crossed or locked (documented, e.g. OKX call auctions):
            // content kept and still maintained, never published; live again once uncrossed
};

constexpr std::string_view to_string(book_status s) noexcept {
  switch (s) {
    case book_status::syncing: return "syncing";
    case book_status::live: return "live";
    case book_status::invalid: return "invalid";
    case book_status::crossed: return "crossed";
  }
  return "?";
}

// Why a book was invalidated: the resync-class core::errc codes, number_overflow (a value too
// large for the book's scale) and `other`. The labels are a metrics contract
// (book_resyncs_total{reason}): stable snake_case, never renamed.
enum class resync_reason : std::uint8_t {
  sequence_gap,
  checksum_mismatch,
  crossed_book,
  stale_snapshot,
  precision_loss,
  buffer_overflow,
  number_overflow,
  other,
};
inline constexpr std::size_t resync_reason_count = static_cast<std::size_t>(resync_reason::other) + 1;

constexpr resync_reason resync_reason_of(core::errc e) noexcept {
  switch (e) {
    case core::errc::sequence_gap: return resync_reason::sequence_gap;
    case core::errc::checksum_mismatch: return resync_reason::checksum_mismatch;
    case core::errc::crossed_book: return resync_reason::crossed_book;
    case core::errc::stale_snapshot: return resync_reason::stale_snapshot;
    case core::errc::precision_loss: return resync_reason::precision_loss;
    case core::errc::buffer_overflow: return resync_reason::buffer_overflow;
    case core::errc::number_overflow: return resync_reason::number_overflow;
    default: return resync_reason::other;
  }
}

constexpr std::string_view label(resync_reason r) noexcept {
  switch (r) {
    case resync_reason::sequence_gap: return "sequence_gap";
    case resync_reason::checksum_mismatch: return "checksum_mismatch";
    case resync_reason::crossed_book: return "crossed_book";
    case resync_reason::stale_snapshot: return "stale_snapshot";
    case resync_reason::precision_loss: return "precision_loss";
    case resync_reason::buffer_overflow: return "buffer_overflow";
    case resync_reason::number_overflow: return "number_overflow";
    case resync_reason::other: return "other";
  }
  return "other";
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
  // `resyncs` split by reason, indexed by resync_reason (their sum equals `resyncs`).
  std::array<std::uint64_t, resync_reason_count> resyncs_by_reason{};

  std::uint64_t resyncs_for(resync_reason r) const noexcept {
    return resyncs_by_reason[static_cast<std::size_t>(r)];
  }
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
  // The content is a snapshot plus the changes applied since (false: waiting for one). Reset
  // by restart() and invalidate(); venues set it when a snapshot is loaded.
  bool have_snapshot = false;

  bool live() const noexcept { return status == book_status::live; }

  // The connection was lost or restarted: content unknown, back to waiting for a snapshot.
  void restart() noexcept {
    have_snapshot = false;
    status = book_status::syncing;
    last_update_id.reset();
    book.clear();
  }

  // Marks the book invalid: cleared, never published, counted as a resync. The owner then
  // requests a fresh snapshot / resubscription.
  void invalidate(core::error why) noexcept {
    have_snapshot = false;
    ++counters.resyncs_by_reason[static_cast<std::size_t>(resync_reason_of(why.code))];
    last_error = why;
    if (why.code == core::errc::sequence_gap) ++counters.gaps;
    ++counters.resyncs;
    status = book_status::invalid;
    last_update_id.reset();
    book.clear();
  }
};

}  // namespace depthmon::book
