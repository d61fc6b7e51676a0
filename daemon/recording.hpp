// daemon/recording.hpp — optional raw-frame recording ([recording], docs/ARCHITECTURE.md
// "Raw-frame recording"): every frame each feed receives, with its receive time, and every
// REST snapshot body it applies, written to rotating gzip files under
// state_dir/<recording.dir>/ in the format of replay/recording.hpp, which `depthmon replay`
// and `depthmon baseline build --from raw` read back.
//
// Each venue gets a venue_tap (feed::frame_tap) that formats the record on the feed thread
// straight into that venue's bounded lock-free SPSC queue (core/spsc_bytes.hpp): no lock, no
// allocation, no I/O there. A full queue drops the record and counts it
// (depthmon_recording_dropped_frames_total{exchange}); the writer logs the drops at most once
// per 10 s per venue. One writer thread drains every queue, compresses (zlib), flushes once a
// second (a killed daemon leaves a readable file), rotates by size and age (each new file
// repeats the stream descriptions, `R` records, so it replays on its own) and deletes the
// oldest files beyond max_total_bytes.
//
// Threads: create/stop on the main thread; a venue's tap is called only from that venue's
// feed thread (one producer per queue; a restarted venue's new feed takes over after the old
// one stopped); dropped() from any thread. The taps outlive the feeds (stop the runtime
// first). Errors: create() fails with the directory and reason when the directory cannot be
// made; a write error later is logged and recording stops (the feeds carry on).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "core/spsc_bytes.hpp"
#include "feed/frame_tap.hpp"
#include "feed/log_sink.hpp"

namespace depthmon::daemon {

class venue_tap final : public feed::frame_tap {
 public:
  venue_tap(std::string venue, std::size_t queue_bytes) : venue_(std::move(venue)), q_(queue_bytes) {}

  std::uint64_t on_stream(const std::vector<std::string>& symbols, const std::map<std::string, std::string>& settings,
                          core::unix_nanos now) noexcept override;
  void on_frame(std::uint64_t stream, std::string_view frame, core::unix_nanos recv) noexcept override;
  void on_snapshot(std::uint64_t stream, std::string_view symbol, std::string_view body,
                   core::unix_nanos recv) noexcept override;
  void on_disconnect(std::uint64_t stream, core::unix_nanos now) noexcept override;

  const std::string& venue() const noexcept { return venue_; }
  std::uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }
  core::spsc_bytes& queue() noexcept { return q_; }

 private:
  void put(core::unix_nanos t, std::uint64_t stream, char kind, std::string_view arg,
           std::string_view payload) noexcept;

  const std::string venue_;
  core::spsc_bytes q_;
  std::atomic<std::uint64_t> dropped_{0};
  std::uint64_t next_stream_ = 1;
};

struct recording_drops {
  std::string venue;
  std::uint64_t dropped = 0;
};

class recorder {
 public:
  // Makes the directory state_dir/cfg.dir; `venues` are every venue the runtime may run
  // (the taps are made up front: a reload adding a venue gets no tap until restart).
  static std::unique_ptr<recorder> create(const config::recording_config& cfg, const std::string& state_dir,
                                          const std::vector<std::string>& venues, feed::log_sink* log,
                                          std::string& error);
  ~recorder();  // stop()
  recorder(const recorder&) = delete;
  recorder& operator=(const recorder&) = delete;

  venue_tap* tap(std::string_view venue) noexcept;
  // Drains what is queued, closes the file, joins the writer. Idempotent.
  void stop();
  std::vector<recording_drops> dropped() const;
  const std::string& dir() const noexcept { return dir_; }
  std::uint64_t files_written() const noexcept { return files_.load(); }

 private:
  recorder(const config::recording_config& cfg, std::string dir, feed::log_sink* log);
  void run();
  bool write_pending(bool final);
  bool open_file(core::unix_nanos now);
  void close_file();
  void enforce_total();
  void say(feed::log_level lv, const std::string& m);

  config::recording_config cfg_;
  std::string dir_;
  feed::log_sink* log_;
  std::vector<std::unique_ptr<venue_tap>> taps_;
  std::vector<std::uint64_t> drops_logged_;
  std::vector<std::map<std::uint64_t, std::string>> streams_;  // per tap: stream -> its P record as R
  std::string chunk_, out_;
  void* gz_ = nullptr;
  std::string path_;
  std::uint64_t file_bytes_ = 0, seq_ = 0;
  core::unix_nanos file_opened_ = 0;
  std::atomic<std::uint64_t> files_{0};
  bool failed_ = false;
  std::mutex m_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread th_;
};

}  // namespace depthmon::daemon
