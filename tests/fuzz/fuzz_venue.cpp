// libFuzzer harness for one venue's protocol (codec + sync state machine + book + depth),
// built once per venue with DEPTHMON_FUZZ_VENUE. The input is split into lines; each line is
// a websocket frame, except "@SYM <body>" which hands <body> to on_snapshot(SYM) so REST
// alignment is fuzzed too. After every line, every live book is checked against the naive
// reference (tests/support/naive_depth.hpp): it is neither crossed nor locked; its coverage
// boundary is the one its coverage kind and levels imply; every band's sums and completeness
// equal a rescan, and a sum that does not fit int128 is flagged (never wrapped, never
// complete); price impact equals a brute-force walk with checked sums. Any crash, sanitizer
// report or violated invariant (reported on stderr, then abort) is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string_view>

#include "core/frame.hpp"
#include "depth/band_tracker.hpp"
#include "depth/price_impact.hpp"
#include "support/naive_depth.hpp"
#include "venues/protocol.hpp"

using namespace depthmon;
using core::side;

namespace {

struct trackers final : venues::protocol_listener {
  std::map<book::tracked_book*, std::unique_ptr<depth::band_tracker>> by_book;
  void on_book_created(book::tracked_book& tb) override {
    by_book.emplace(&tb, std::make_unique<depth::band_tracker>(tb.book, depth::default_bands()));
  }
  void on_book_updated(book::tracked_book&) override {}
};

[[noreturn]] void finding(const book::tracked_book& tb, const char* what) {
  std::fprintf(stderr, "invariant violated for %s: %s\n", tb.symbol.c_str(), what);
  std::abort();
}

void check_coverage(const book::tracked_book& tb, side s) {
  const auto k = test::naive_coverage(tb.book, s);
  if (k.nothing) finding(tb, "coverage top_n(0): no level is known");
  const auto got = tb.book.coverage_key(s);
  if (got.has_value() == k.whole_side) finding(tb, "coverage_key() disagrees on whole side");
  if (got && *got != book::key_of(s, k.price)) finding(tb, "coverage_key() boundary differs");
}

void check_bands(const book::tracked_book& tb, depth::band_tracker& t) {
  const auto v = t.compute();
  const bool mid = tb.book.best(side::bid) && tb.book.best(side::ask);
  if (v.has_mid != mid) finding(tb, "has_mid differs from the book's sides");
  if (!mid) return;
  for (std::size_t b = 0; b < t.bands().size(); ++b)
    for (side s : {side::bid, side::ask}) {
      const auto n = test::naive(tb.book, s, t.bands()[b]);
      const depth::band_side& got = v.bands[b][s];
      if (n.overflow && !v.overflow) finding(tb, "a band sum passed int128 unflagged (wrapped)");
      if (v.overflow) {
        // Sticky until the next rebuild, so it may outlive the sum that caused it; but an
        // unusable figure must never be published as complete.
        if (got.complete) finding(tb, "overflowed band reported complete");
        continue;
      }
      if (got.qty != n.qty || got.notional != n.notional) finding(tb, "band sums differ from a rescan");
      if (got.complete != n.complete) finding(tb, "band completeness differs from the reference");
    }
}

// One tick more than the whole side holds, or than its notional can sum to before int128
// overflows: a walk that wraps would find it "filled" somewhere deeper.
core::int128 just_beyond_side(const book::l2_book& bk, side s) {
  core::int128 sum = 0;
  for (std::size_t i = 0; i < bk.size(s); ++i) {
    const auto l = bk.nth(s, i);
    if (__builtin_add_overflow(sum, static_cast<core::int128>(l.price) * l.qty, &sum)) break;
  }
  return sum == ~(static_cast<core::int128>(1) << 127) ? sum : sum + 1;
}

void check_impact(const book::tracked_book& tb) {
  if (!tb.book.best(side::bid) || !tb.book.best(side::ask)) return;
  for (side s : {side::bid, side::ask}) {
    // Small, level-sized, huge, and just beyond what the side can fill.
    const book::level top = *tb.book.best(s);
    const core::int128 targets[] = {1,
                                    static_cast<core::int128>(top.price) * top.qty,
                                    static_cast<core::int128>(top.price) * top.qty + 1,
                                    core::pow10_i128(12),
                                    core::pow10_i128(24),
                                    core::pow10_i128(36),
                                    ~(static_cast<core::int128>(1) << 127),
                                    just_beyond_side(tb.book, s)};
    for (const core::int128 target : targets) {
      const auto want = test::naive_impact_price(tb.book, s, target);
      const auto got = depth::price_impact(tb.book, s, target);
      if (got.has_value() != want.has_value()) finding(tb, "price impact availability differs");
      if (got && (got->last_price != *want || got->filled_notional < target))
        finding(tb, "price impact differs from a brute-force walk");
    }
  }
}

void check_invariants(const venues::venue_protocol& p, trackers& t) {
  for (auto* tb : p.books()) {
    if (!tb->live()) continue;
    // Published books are never crossed or locked (best bid >= best ask).
    if (tb->book.crossed()) finding(*tb, "live book crossed");
    if (tb->book.locked()) finding(*tb, "live book locked");
    auto it = t.by_book.find(tb);
    if (it == t.by_book.end()) finding(*tb, "book created without on_book_created");
    for (side s : {side::bid, side::ask}) check_coverage(*tb, s);
    check_bands(*tb, *it->second);
    check_impact(*tb);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const core::venue venue = *core::venue_from_string(DEPTHMON_FUZZ_VENUE);
  venues::protocol_options opt;
  opt.max_buffered = 64;
  auto made = venues::make_protocol(venue, opt);
  if (!made) std::abort();
  auto proto = std::move(made).value();
  trackers t;
  proto->set_listener(&t);
  core::padded_buffer buf;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  while (!in.empty()) {
    const auto nl = in.find('\n');
    std::string_view line = in.substr(0, nl);
    in = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
    if (!line.empty() && line.front() == '@') {
      const auto sp = line.find(' ');
      if (sp == std::string_view::npos) continue;
      (void)proto->on_snapshot(line.substr(1, sp - 1), buf.assign(line.substr(sp + 1)), 0);
    } else {
      (void)proto->on_frame(buf.assign(line), 0);
    }
    proto->requests().clear();
    check_invariants(*proto, t);
  }
  return 0;
}
