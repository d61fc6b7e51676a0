// The raw-frame recording tap's cost on the feed thread (docs/ARCHITECTURE.md "Raw-frame
// recording"): daemon::venue_tap::on_frame formats the record header and copies header + frame
// into the venue's SPSC queue. A second thread drains the queue the whole time, as the
// recorder's writer does, so the producer pays for the shared cache lines too.
// BM_tap_frame/N (manual time per batch of frames; ns_per_frame is the figure): one frame of N bytes (N = 150: a Binance diff; 2 000: an OKX 400-level update;
// 25 000: an OKX snapshot). BM_memcpy_floor/N: copying the frame alone, the least any tap could cost.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <thread>

#include "daemon/recording.hpp"
#include "replay/recording.hpp"

using namespace depthmon;

namespace {

// Drains continuously, like the recorder's writer, and counts what it took.
struct drainer {
  explicit drainer(core::spsc_bytes& q) : th([this, &q] {
    std::string sink;
    while (!stop.load(std::memory_order_relaxed)) {
      sink.clear();
      const std::size_t n = q.drain(sink);
      if (n == 0) std::this_thread::yield();
      else drained.fetch_add(n, std::memory_order_release);
    }
  }) {}
  ~drainer() {
    stop = true;
    th.join();
  }
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> drained{0};
  std::thread th;
};

// Batches of frames that fit the queue (so every push succeeds: a dropped record costs less
// and would flatter the figure), timed per batch. Between batches, untimed, the queue is
// emptied: by the drainer thread that runs the whole time (`with_writer`, as the recorder's
// writer does), else on this thread (no second core touching the queue while it is written,
// so the difference is the cost of sharing it with a running writer).
void run_tap(benchmark::State& st, bool with_writer) {
  constexpr std::size_t queue = 8u << 20;  // the default queue_bytes
  daemon::venue_tap tap("binance", queue);
  const std::uint64_t s = tap.on_stream({"BTCUSDT"}, {}, 1);
  const std::string frame(static_cast<std::size_t>(st.range(0)), 'x');
  const std::size_t batch = std::min<std::size_t>(4096, (queue / 2) / (frame.size() + 64));
  std::optional<drainer> d;
  std::string sink;
  std::uint64_t expected = 0;
  if (with_writer) {
    d.emplace(tap.queue());
    while (d->drained.load() == 0) std::this_thread::yield();  // the P record
    expected = d->drained.load();
  } else {
    sink.reserve(queue);
  }
  core::unix_nanos t = 1'759'276'800'000'000'000;
  std::int64_t frames = 0;
  double timed = 0;
  char hdr[256];
  for (auto _ : st) {
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < batch; ++i) tap.on_frame(s, frame, t + static_cast<core::unix_nanos>(i));
    const auto t1 = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(t1 - t0).count();
    st.SetIterationTime(secs);
    timed += secs;
    frames += static_cast<std::int64_t>(batch);
    if (with_writer) {
      for (std::size_t i = 0; i < batch; ++i)
        expected += replay::format_header(hdr, t + static_cast<core::unix_nanos>(i), "binance", s, 'F', {},
                                          frame.size()) +
                    frame.size() + 1;
      while (d->drained.load(std::memory_order_acquire) < expected) std::this_thread::yield();
    } else {
      sink.clear();
      tap.queue().drain(sink);
    }
    t += static_cast<core::unix_nanos>(batch);
  }
  if (tap.dropped() != 0) st.SkipWithError("records dropped: the batch did not fit");
  st.SetItemsProcessed(frames);
  st.counters["ns_per_frame"] = frames ? timed * 1e9 / static_cast<double>(frames) : 0;
}

void BM_tap_frame(benchmark::State& st) { run_tap(st, true); }
void BM_tap_frame_alone(benchmark::State& st) { run_tap(st, false); }
BENCHMARK(BM_tap_frame)->Arg(150)->Arg(2000)->Arg(25000)->UseManualTime();
BENCHMARK(BM_tap_frame_alone)->Arg(150)->Arg(2000)->Arg(25000)->UseManualTime();

void BM_memcpy_floor(benchmark::State& st) {
  const std::string frame(static_cast<std::size_t>(st.range(0)), 'x');
  std::string dst(frame.size() + 64, '\0');
  for (auto _ : st) {
    std::memcpy(dst.data(), frame.data(), frame.size());
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) * st.range(0));
}
BENCHMARK(BM_memcpy_floor)->Arg(150)->Arg(2000)->Arg(25000);

}  // namespace

BENCHMARK_MAIN();
