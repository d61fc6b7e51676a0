// venues/okx/channel.hpp — OKX v5 order-book channels and what each one shows.
//
// `books` (400 levels, snapshot then incremental every 100 ms) is the default. `books5` and
// `bbo-tbt` push a complete 5- / 1-level book in every message (no `action`, no `prevSeqId`).
// `books-l2-tbt` / `books50-l2-tbt` (VIP only) speak exactly the `books` protocol at 400 / 50
// levels. OKX maintains each incremental view itself (it sends deletes for levels that leave
// the view), so a book is complete only down to its current N-th level
// (book::coverage::top_n(N)), and never needs local truncation.
//
// Threads: immutable values. Errors: channel_from_name returns std::nullopt for other names.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace depthmon::venues::okx {

enum class channel : std::uint8_t { books, books5, bbo_tbt, books_l2_tbt, books50_l2_tbt };

constexpr std::string_view to_string(channel c) noexcept {
  switch (c) {
    case channel::books: return "books";
    case channel::books5: return "books5";
    case channel::bbo_tbt: return "bbo-tbt";
    case channel::books_l2_tbt: return "books-l2-tbt";
    case channel::books50_l2_tbt: return "books50-l2-tbt";
  }
  return "?";
}

constexpr std::optional<channel> channel_from_name(std::string_view name) noexcept {
  for (channel c : {channel::books, channel::books5, channel::bbo_tbt, channel::books_l2_tbt,
                    channel::books50_l2_tbt})
    if (to_string(c) == name) return c;
  return std::nullopt;
}

// true: snapshot + incremental updates chained by seqId/prevSeqId. false: every message is a
// complete book that replaces the previous one.
constexpr bool is_incremental(channel c) noexcept {
  return c == channel::books || c == channel::books_l2_tbt || c == channel::books50_l2_tbt;
}

// Levels per side the venue shows on this channel.
constexpr std::uint32_t view_depth(channel c) noexcept {
  switch (c) {
    case channel::books: return 400;
    case channel::books5: return 5;
    case channel::bbo_tbt: return 1;
    case channel::books_l2_tbt: return 400;
    case channel::books50_l2_tbt: return 50;
  }
  return 0;
}

}  // namespace depthmon::venues::okx
