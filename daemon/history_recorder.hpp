// daemon/history_recorder.hpp — depthmond's recorder thread: the minute history and the effective
// baseline.
//
// Every `sample_every` (1 s) it takes one read model (api_state::view(), as the alert thread
// does) and accumulates per book for the current minute: how many samples found the book live
// (live_fraction = live samples × sample_every / minute, so a minute the daemon only saw part
// of counts only that part), and for each band side, impact and mid/spread the LAST complete
// figure seen in the minute. Last rather than mean or median: it is one real observation of
// the book at a known instant, like the minute samples `depthmon baseline build` takes from
// replayed feeds and like Coin Metrics' minute figures, and a band complete for part of the
// minute still yields a figure, never an average over its incomplete part. No complete figure
// in the minute: NULL.
// When the minute closes it writes one minute_row per book in one transaction (a failed write
// is kept and retried with the next minute, up to an hour of rows). Hourly it prunes rows
// older than the retention. A second thread, the resolver, at start, on configure() (reload)
// and every `resolve_every` resolves the effective baseline (baseline/resolve.hpp) over its own
// connection and installs it in api_state, which every reader then sees at once (one atomic
// pointer swap); reading days of history never delays a sample.
//
// The minute length is an option (tests use ~1 s), not a config key.
//
// Threads: two of its own (sampler/writer, resolver), each with its own SQLite connection;
// start()/configure()/stop() from the main thread; current() from any thread. It never touches a feed thread: it only reads published snapshots.
// Errors: nothing is fatal to the feeds. A store that cannot be opened or written is logged
// (rate-limited) and counted, and opening is retried each minute; the baseline then comes from
// the file alone.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "baseline/history_store.hpp"
#include "baseline/resolve.hpp"
#include "config/config.hpp"
#include "daemon/http_api.hpp"
#include "feed/log_sink.hpp"
#include "support/rate_limiter.hpp"

namespace depthmon::daemon {

struct history_recorder_options {
  std::chrono::milliseconds sample_every{1000};
  std::chrono::milliseconds minute{60'000};
  std::chrono::milliseconds prune_every{3'600'000};
  std::chrono::milliseconds resolve_every{300'000};
  std::function<core::unix_nanos()> now;  // wall clock; default system_clock
};

// What configure() takes from a config (reloadable).
struct history_settings {
  std::string state_dir;
  config::history_config history;
  config::baseline_config baseline;
  std::shared_ptr<const baseline::table> file;  // the loaded baseline file (may be empty)
};

class history_recorder {
 public:
  history_recorder(api_state& st, feed::log_sink& log, history_recorder_options o = {});
  ~history_recorder();  // stop()
  history_recorder(const history_recorder&) = delete;
  history_recorder& operator=(const history_recorder&) = delete;

  // Starts both threads; returns once the first baseline is resolved and installed.
  void start(history_settings s);
  // A reload: new settings take effect now (store reopened if its path or enabled changed),
  // and the baseline is resolved again before this returns.
  void configure(history_settings s);
  // Writes the open minute (what was seen of it), joins the thread. Idempotent.
  void stop();

  struct figures {
    std::uint64_t samples = 0;          // read models taken
    std::uint64_t minutes_written = 0;  // transactions committed
    std::uint64_t rows_written = 0;
    std::uint64_t write_failures = 0, prune_failures = 0, open_failures = 0, resolve_failures = 0;
    std::uint64_t resolutions = 0;
    std::uint64_t rows_dropped = 0;     // pending rows beyond the retry cap
    std::string path;                   // the store's file ("" when none is open)
  };
  figures current() const;

  // The file a config's [history] names (state_dir joined unless absolute).
  static std::string store_path(const history_settings& s);

 private:
  struct book_acc;
  void run();
  void run_resolver();
  void sample(const feed::published_view& v);
  void close_minute();
  void write_pending();
  void resolve_baseline(const history_settings& s, const baseline::history_store* store);
  // Opens the store `s` names into `store` when it is not open (or moved); closes it when
  // history is disabled. `writer`: the recorder's own (logged and counted).
  void ensure_store(const history_settings& s, std::unique_ptr<baseline::history_store>& store,
                    std::string& open_path, bool writer);
  void fail(std::string_view what, const std::string& error, std::uint64_t figures::*counter);
  core::unix_nanos now() const;

  api_state& st_;
  feed::log_sink& log_;
  history_recorder_options opt_;
  daemon_support::rate_limiter limiter_{3, std::chrono::minutes(10)};

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::uint64_t settings_gen_ = 0, resolved_gen_ = 0, applied_gen_ = 0;  // under mu_
  history_settings settings_;                          // under mu_: the latest configured
  figures figures_;                                     // under mu_

  // The resolver thread's own.
  std::thread resolver_;
  std::unique_ptr<baseline::history_store> rstore_;
  std::string rstore_path_;

  // The sampler thread's own (or stop()'s once it has been joined).
  std::thread th_;
  history_settings cur_;
  std::unique_ptr<baseline::history_store> store_;
  std::string store_path_;
  core::unix_nanos open_minute_ = -1;
  std::map<std::pair<core::venue, std::string>, std::unique_ptr<book_acc>> books_;
  std::vector<baseline::minute_row> pending_;
  std::chrono::steady_clock::time_point next_prune_{};
};

}  // namespace depthmon::daemon
