// libFuzzer harness for one venue's protocol (codec + sync state machine + book + depth),
// built once per venue with DEPTHMON_FUZZ_VENUE. The input is split into lines; each line is
// a websocket frame, except "@SYM <body>" which hands <body> to on_snapshot(SYM) so REST
// alignment is fuzzed too. After every line, every book is checked: a live book is never
// crossed and its depth figures never overflow unnoticed. Any crash, sanitizer report or
// violated invariant is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string_view>

#include "core/frame.hpp"
#include "depth/band_tracker.hpp"
#include "venues/protocol.hpp"

using namespace depthmon;

namespace {

struct trackers final : venues::protocol_listener {
  std::map<book::tracked_book*, std::unique_ptr<depth::band_tracker>> by_book;
  void on_book_created(book::tracked_book& tb) override {
    by_book.emplace(&tb, std::make_unique<depth::band_tracker>(tb.book, depth::default_bands()));
  }
  void on_book_updated(book::tracked_book&) override {}
};

void check_invariants(const venues::venue_protocol& p, trackers& t) {
  for (auto* tb : p.books()) {
    if (!tb->live()) continue;
    if (tb->book.crossed()) std::abort();  // published books are never crossed
    auto it = t.by_book.find(tb);
    if (it == t.by_book.end()) std::abort();
    const auto v = it->second->compute();
    if (v.has_mid && (v.best_bid.price <= 0 || v.best_ask.price <= 0)) std::abort();
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
