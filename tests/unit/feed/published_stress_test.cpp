// Concurrent readers of published snapshots (feed/published.hpp over core::seqlock): one
// writer stores book snapshots and feed statuses whose every field is derived from one counter,
// so a torn copy (words of two different stores) is detected; several readers check that every
// copy they get is self-consistent and that versions never go backwards. Runs for a bounded
// time (argv[1] milliseconds, default 1500).
//
// Headers only (no depthmon library, no Catch2), so scripts/tsan.sh can build it alone with
// -fsanitize=thread in seconds; CTest runs the normal build too. Exit 0 and "N passed, 0 failed"
// on success; any inconsistency is printed and fails the run.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "depth/book_snapshot.hpp"
#include "feed/published.hpp"

namespace {

using namespace depthmon;
using clock_type = std::chrono::steady_clock;

// Every field a function of `c`, spread over the whole payload (first and last words too).
void fill(depth::book_snapshot& s, std::uint64_t c) {
  const auto ci = static_cast<std::int64_t>(c);
  s.status = (c & 1) ? book::book_status::live : book::book_status::syncing;
  s.ever_live = true;
  s.counters.messages = c;
  s.counters.updates_applied = c * 3;
  s.counters.resyncs_by_reason.back() = c ^ 0x5555;
  s.has_update_id = true;
  s.last_update_id = c;
  s.event_time = ci * 7;
  s.receive_time = ci * 7 + 1;
  s.publish_time = ci * 7 + 2;
  s.bid_levels = static_cast<std::uint32_t>(c);
  s.ask_levels = static_cast<std::uint32_t>(c + 1);
  s.depth.has_mid = true;
  s.depth.mid2 = static_cast<core::int128>(ci) * 2 + 1;
  s.depth.band_count = depth::max_bands;
  for (std::size_t b = 0; b < depth::max_bands; ++b)
    for (std::size_t k = 0; k < 2; ++k) {
      s.depth.bands[b].sides[k].qty = static_cast<core::int128>(ci) + static_cast<core::int128>(b);
      s.depth.bands[b].sides[k].notional = static_cast<core::int128>(ci) * 1000 + static_cast<core::int128>(k);
      s.depth.bands[b].sides[k].edge_price = ci - static_cast<std::int64_t>(b);
    }
  s.top_bid_count = s.top_ask_count = static_cast<std::uint16_t>(depth::snapshot_top_levels);
  for (std::size_t i = 0; i < depth::snapshot_top_levels; ++i) {
    s.top_bids[i] = {ci - static_cast<std::int64_t>(i), ci + 1};
    s.top_asks[i] = {ci + static_cast<std::int64_t>(i), ci + 2};
  }
  s.has_usd_rate = true;
  s.usd_per_quote = static_cast<double>(c);
  s.impact_count = depth::max_impact_notionals;
  for (std::size_t i = 0; i < depth::max_impact_notionals; ++i) {
    s.impacts[i][1] = {true, static_cast<double>(c), ci + static_cast<std::int64_t>(i)};
    s.impact_usd[i] = ci;
  }
  s.held = false;
}

// Empty string: consistent; else what is wrong.
const char* check(const depth::book_snapshot& s) {
  const std::uint64_t c = s.last_update_id;
  const auto ci = static_cast<std::int64_t>(c);
  if (c == 0) return s.counters.messages == 0 && s.top_asks.back().qty == 0 ? "" : "torn at zero";
  if (s.status != ((c & 1) ? book::book_status::live : book::book_status::syncing)) return "status";
  if (s.counters.messages != c || s.counters.updates_applied != c * 3) return "counters";
  if (s.counters.resyncs_by_reason.back() != (c ^ 0x5555)) return "resyncs by reason";
  if (s.event_time != ci * 7 || s.publish_time != ci * 7 + 2) return "times";
  if (s.bid_levels != static_cast<std::uint32_t>(c)) return "level counts";
  if (s.depth.mid2 != static_cast<core::int128>(ci) * 2 + 1) return "mid";
  for (std::size_t b = 0; b < depth::max_bands; ++b)
    if (s.depth.bands[b].sides[1].notional != static_cast<core::int128>(ci) * 1000 + 1 ||
        s.depth.bands[b].sides[0].qty != static_cast<core::int128>(ci) + static_cast<core::int128>(b))
      return "bands";
  for (std::size_t i = 0; i < depth::snapshot_top_levels; ++i)
    if (s.top_bids[i].price != ci - static_cast<std::int64_t>(i) || s.top_asks[i].qty != ci + 2)
      return "top levels";
  if (s.usd_per_quote != static_cast<double>(c)) return "usd rate";
  if (s.impacts.back()[1].last_price != ci + static_cast<std::int64_t>(depth::max_impact_notionals - 1))
    return "impacts";
  return "";
}

const char* check(const feed::feed_status& st) {
  const std::uint64_t c = st.stats.frames;
  if (c == 0)  // nothing stored yet: the value-initialised status
    return st.stats.disconnects == 0 && st.last_frame_time == 0 && st.stats.metadata_failures == 0
               ? ""
               : "torn feed status at zero";
  if (st.stats.disconnects != c * 2 || st.last_frame_time != static_cast<std::int64_t>(c) + 5 ||
      st.books_live != static_cast<std::uint32_t>(c) || st.stats.metadata_failures != c + 9)
    return "feed status";
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  const long run_ms = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 1500;
  const unsigned readers = 3;

  auto book = std::make_shared<feed::book_slot>(feed::book_identity{core::venue::binance, "BTCUSDT", "BTC", "USDT", {1, 0}});
  auto feed_slot = std::make_shared<feed::feed_slot>(core::venue::binance);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> failures{0}, reads{0}, stores{0};

  std::thread writer([&] {
    depth::book_snapshot s;
    feed::feed_status st;
    for (std::uint64_t c = 1; !stop.load(std::memory_order_relaxed); ++c) {
      fill(s, c);
      book->snapshot.store(s);
      st.stats.frames = c;
      st.stats.disconnects = c * 2;
      st.stats.metadata_failures = c + 9;
      st.last_frame_time = static_cast<std::int64_t>(c) + 5;
      st.books_live = static_cast<std::uint32_t>(c);
      feed_slot->status.store(st);
      feed_slot->processing.observe(static_cast<std::int64_t>(c % 5000));
      stores.store(c, std::memory_order_relaxed);
    }
  });

  std::vector<std::thread> rs;
  for (unsigned r = 0; r < readers; ++r)
    rs.emplace_back([&] {
      std::uint64_t last_id = 0, last_version = 0, last_frames = 0, last_count = 0, n = 0;
      depth::book_snapshot s;
      while (!stop.load(std::memory_order_relaxed)) {
        const std::uint64_t v = book->snapshot.version();
        if (!book->snapshot.try_load(s)) continue;  // kept overlapping writes: try again
        const char* why = check(s);
        const bool backwards = s.last_update_id < last_id || v < last_version;
        const auto st = feed_slot->status.load();
        const char* why_feed = check(st);
        const bool feed_backwards = st.stats.frames < last_frames;
        const auto h = feed_slot->processing.read();
        const bool hist_backwards = h.count < last_count;
        if (*why || *why_feed || backwards || feed_backwards || hist_backwards) {
          if (failures.fetch_add(1) < 5)
            std::fprintf(stderr, "inconsistent copy at id %llu: %s%s%s%s%s\n",
                         static_cast<unsigned long long>(s.last_update_id), why, why_feed,
                         backwards ? " snapshot went backwards" : "",
                         feed_backwards ? " status went backwards" : "",
                         hist_backwards ? " histogram count went backwards" : "");
        }
        last_id = s.last_update_id;
        last_version = v;
        last_frames = st.stats.frames;
        last_count = h.count;
        ++n;
      }
      reads.fetch_add(n);
    });

  const auto until = clock_type::now() + std::chrono::milliseconds(run_ms);
  while (clock_type::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  stop.store(true);
  writer.join();
  for (auto& t : rs) t.join();

  const auto final_snap = book->snapshot.load();
  const bool final_ok = final_snap.last_update_id == stores.load() && !*check(final_snap);
  const bool enough = reads.load() > 0 && stores.load() > 0;
  std::printf("published_stress: %llu stores, %llu consistent reads by %u readers\n",
              static_cast<unsigned long long>(stores.load()),
              static_cast<unsigned long long>(reads.load()), readers);
  const bool ok = failures.load() == 0 && final_ok && enough;
  if (!final_ok) std::fprintf(stderr, "the last store is not what a reader gets afterwards\n");
  if (!enough) std::fprintf(stderr, "no reads or no stores happened in %ld ms\n", run_ms);
  std::printf("%d passed, %d failed\n", ok ? 1 : 0, ok ? 0 : 1);
  return ok ? 0 : 1;
}
