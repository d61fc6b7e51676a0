// daemon::runtime against two simulated venues over loopback: feed threads, slots on the
// board, reloads that add a symbol, remove a venue or are refused, the progress counters the
// watchdog reads, and a clean stop. A test listener stands in for the book publisher: it
// stores each book's status into its slot, which is all these checks read.
#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <thread>

#include "daemon/runtime.hpp"
#include "integration/feed/feed_harness.hpp"

using namespace depthmon;
using namespace depthmon::test;

namespace {

struct status_listener final : daemon::venue_listener {
  explicit status_listener(daemon::venue_binding& b) : binding(b) {}
  daemon::venue_binding& binding;
  std::map<std::string, bool, std::less<>> ever;
  void on_book_updated(const feed::feed_book& b) override {
    feed::book_slot* slot = binding.find(b.symbol);
    if (!slot) return;
    depth::book_snapshot s;
    s.status = b.publishable() ? book::book_status::live : book::book_status::syncing;
    s.ever_live = ever[b.symbol] = ever[b.symbol] || b.publishable();
    slot->snapshot.store(s);
  }
  void on_tick(const feed::feed& f) override {
    feed::feed_status st;
    st.books_configured = static_cast<std::uint32_t>(f.books().size());
    st.connections_open = static_cast<std::uint32_t>(f.open_connections());
    binding.feed->status.store(st);
  }
};

bool all_live(const feed::board& b, std::size_t want) {
  const auto c = b.current();
  if (c->books.size() != want) return false;
  for (const auto& s : c->books) {
    depth::book_snapshot snap;
    if (!s->snapshot.try_load(snap) || !snap.live()) return false;
  }
  return true;
}

bool wait_for(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling a condition
  }
  return pred();
}

std::uint64_t connections_opened(daemon::runtime& rt, std::string_view venue) {
  std::uint64_t n = 0;
  rt.with_feed(venue, [&](const feed::feed& f) { n = f.stats().connections_opened; });
  return n;
}

}  // namespace

TEST_CASE("runtime: reloads touch only what they name", "[daemon][integration]") {
  sim_server bin({.venue = core::venue::binance, .symbols = 3});
  sim_server okx({.venue = core::venue::okx, .symbols = 2});
  feed::venue_config bc = config_for(bin), oc = config_for(okx);
  const std::string bin_extra = bc.symbols.back();
  bc.symbols.pop_back();
  daemon::runtime_options o;
  o.io_threads = 2;
  o.tick = std::chrono::milliseconds(20);
  o.connections = std::make_shared<net::reconnect_limiter>(20, std::chrono::seconds(1));
  o.make_listener = [](daemon::venue_binding& b) { return std::make_unique<status_listener>(b); };
  daemon::runtime rt(o);
  std::string err;
  REQUIRE(rt.start({bc, oc}, &err));
  CHECK(rt.threads() == 2);
  REQUIRE(wait_for([&] { return all_live(rt.board(), 4); }, std::chrono::seconds(10)));

  const auto okx_slot = rt.board().find(core::venue::okx, oc.symbols[0]);
  const auto bin_slot = rt.board().find(core::venue::binance, bc.symbols[0]);
  REQUIRE(okx_slot);
  REQUIRE(bin_slot);
  REQUIRE(connections_opened(rt, "okx") == 1);
  REQUIRE(connections_opened(rt, "binance") == 1);

  // The watchdog's view: every feed thread's loop progresses.
  const auto p0 = rt.progress();
  REQUIRE(wait_for([&] {
    const auto p = rt.progress();
    return p[0] > p0[0] && p[1] > p0[1];
  }, std::chrono::seconds(2)));

  SECTION("an added symbol leaves the other venue and books alone") {
    auto bc2 = bc;
    bc2.symbols.push_back(bin_extra);
    config::config_diff d;
    d.symbols_added["binance"] = {bin_extra};
    REQUIRE(rt.apply({bc2, oc}, d, &err));
    REQUIRE(wait_for([&] { return all_live(rt.board(), 5); }, std::chrono::seconds(10)));
    CHECK(rt.board().find(core::venue::okx, oc.symbols[0]) == okx_slot);
    CHECK(rt.board().find(core::venue::binance, bc.symbols[0]) == bin_slot);
    CHECK(connections_opened(rt, "okx") == 1);
    CHECK(connections_opened(rt, "binance") == 2);  // the new symbol's own shard
  }
  SECTION("a removed venue leaves the other alone") {
    config::config_diff d;
    d.venues_removed = {"okx"};
    REQUIRE(rt.apply({bc}, d, &err));
    CHECK(rt.venues() == 1);
    CHECK(rt.board().find(core::venue::okx, oc.symbols[0]) == nullptr);
    CHECK(rt.board().current()->books.size() == 2);
    CHECK(rt.board().find(core::venue::binance, bc.symbols[0]) == bin_slot);
    CHECK(connections_opened(rt, "binance") == 1);
    CHECK(all_live(rt.board(), 2));
    // Readers holding the old slot keep a valid object.
    depth::book_snapshot s;
    CHECK(okx_slot->snapshot.try_load(s));
  }
  SECTION("a venue the feed refuses is refused as a whole") {
    auto bad = oc;
    bad.name = "kraken";
    bad.ca_file = "/nonexistent/ca.pem";  // feed::create refuses an unreadable CA file
    config::config_diff d;
    d.venues_added = {"kraken"};
    d.venues_removed = {"okx"};
    CHECK(!rt.apply({bc, bad}, d, &err));
    CHECK(!err.empty());
    CHECK(rt.venues() == 2);
    CHECK(rt.board().find(core::venue::okx, oc.symbols[0]) == okx_slot);
    CHECK(connections_opened(rt, "okx") == 1);
  }
  SECTION("a restarted venue keeps its slots and reconnects") {
    auto oc2 = oc;
    oc2.timings.stale_after = std::chrono::milliseconds(6000);
    config::config_diff d;
    d.venues_restarted = {"okx"};
    REQUIRE(rt.apply({bc, oc2}, d, &err));
    CHECK(rt.board().find(core::venue::okx, oc.symbols[0]) == okx_slot);
    auto new_feed_live = [&] {
      bool live = false;
      rt.with_feed("okx", [&](const feed::feed& f) {
        live = f.stats().connections_opened == 1;
        for (const auto& b : f.books()) live = live && b->publishable();
      });
      return live;
    };
    REQUIRE(wait_for(new_feed_live, std::chrono::seconds(10)));
    CHECK(connections_opened(rt, "binance") == 1);
  }
  const auto t0 = std::chrono::steady_clock::now();
  rt.stop();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));
}
