#include "daemon/history_recorder.hpp"

#include <algorithm>
#include <filesystem>

namespace depthmon::daemon {
namespace {

core::unix_nanos system_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A failed write keeps its rows for the next minute's transaction, up to this many minutes.
constexpr std::size_t k_pending_minutes = 60;

}  // namespace

struct history_recorder::book_acc {
  std::string base, quote;
  std::vector<core::decimal> bands;          // the bands these figures are for
  std::vector<std::int64_t> notionals;
  std::uint64_t live_samples = 0;
  std::optional<double> mid, spread_bps;
  std::vector<std::array<std::optional<double>, 2>> band_usd;  // [band][side]: last complete
  std::vector<std::array<std::optional<double>, 2>> impact_bps;
};

history_recorder::history_recorder(api_state& st, feed::log_sink& log, history_recorder_options o) : st_(st), log_(log), opt_(std::move(o)) {
  if (!opt_.now) opt_.now = system_now;
}

history_recorder::~history_recorder() { stop(); }

core::unix_nanos history_recorder::now() const { return opt_.now(); }

std::string history_recorder::store_path(const history_settings& s) {
  const std::filesystem::path f(s.history.file);
  if (f.is_absolute() || s.state_dir.empty()) return f.string();
  return (std::filesystem::path(s.state_dir) / f).string();
}

history_recorder::figures history_recorder::current() const {
  std::lock_guard lk(mu_);
  return figures_;
}

void history_recorder::fail(std::string_view what, const std::string& error, std::uint64_t figures::*counter) {
  {
    std::lock_guard lk(mu_);
    ++(figures_.*counter);
  }
  const auto v = limiter_.admit(what, 0, daemon_support::rate_limiter::clock::now());
  if (v.suppressed)
    log_.log(feed::log_level::warn, "history",
             "suppressed " + std::to_string(v.suppressed) + " similar messages (" + std::string(what) + ")");
  if (v.log) log_.log(feed::log_level::error, "history", std::string(what) + ": " + error);
}

void history_recorder::ensure_store(const history_settings& s, std::unique_ptr<baseline::history_store>& store,
                            std::string& open_path, bool writer) {
  const std::string path = s.history.enabled ? store_path(s) : std::string();
  if (path != open_path) {
    store.reset();
    open_path = path;
    if (writer) {
      std::lock_guard lk(mu_);
      figures_.path.clear();
    }
  }
  if (store || path.empty()) return;
  std::error_code ec;
  const auto dir = std::filesystem::path(path).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  std::string err;
  store = baseline::history_store::open(path, err);
  if (!writer) return;  // the writer reports the same file's problems
  if (!store) {
    fail("cannot open the history store", err, &figures::open_failures);
    return;
  }
  log_.log(feed::log_level::info, "history", "history store open: " + path + " (schema v" +
                                                 std::to_string(store->schema_version()) + ")");
  std::lock_guard lk(mu_);
  figures_.path = path;
}

void history_recorder::start(history_settings s) {
  if (th_.joinable()) return;
  cur_ = s;
  std::unique_lock lk(mu_);
  stop_ = false;
  settings_ = std::move(s);
  const std::uint64_t gen = ++settings_gen_;
  applied_gen_ = gen;  // cur_ is these settings
  lk.unlock();
  ensure_store(cur_, store_, store_path_, true);  // before the resolver, so the writer creates the file
  next_prune_ = std::chrono::steady_clock::now();  // the first pass prunes what a long stop left behind
  th_ = std::thread([this] { run(); });
  resolver_ = std::thread([this] { run_resolver(); });
  lk.lock();
  cv_.wait(lk, [&] { return resolved_gen_ >= gen || stop_; });
}

void history_recorder::configure(history_settings s) {
  std::unique_lock lk(mu_);
  if (!th_.joinable()) {  // not running: nothing to apply it to yet
    settings_ = std::move(s);
    return;
  }
  settings_ = std::move(s);
  const std::uint64_t gen = ++settings_gen_;
  cv_.notify_all();
  cv_.wait(lk, [&] { return (resolved_gen_ >= gen && applied_gen_ >= gen) || stop_; });
}

void history_recorder::stop() {
  {
    std::lock_guard lk(mu_);
    if (!th_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  th_.join();
  resolver_.join();
  rstore_.reset();
  rstore_path_.clear();
  // The sampler is gone: the open minute is written from here (what was seen of it).
  close_minute();
  store_.reset();
  store_path_.clear();
  std::lock_guard lk(mu_);
  figures_.path.clear();
}

void history_recorder::run() {
  auto next_sample = std::chrono::steady_clock::now();
  std::unique_lock lk(mu_);
  std::uint64_t applied = applied_gen_;
  while (!stop_) {
    cv_.wait_until(lk, next_sample, [&] { return stop_ || settings_gen_ > applied; });
    if (stop_) break;
    if (settings_gen_ > applied) {
      applied = settings_gen_;
      cur_ = settings_;
      lk.unlock();
      ensure_store(cur_, store_, store_path_, true);
      lk.lock();
      applied_gen_ = applied;
      cv_.notify_all();
      continue;
    }
    lk.unlock();
    const auto t = std::chrono::steady_clock::now();
    next_sample += opt_.sample_every;
    if (next_sample < t) next_sample = t + opt_.sample_every;  // a stall skips, never bursts
    sample(st_.view());
    if (t >= next_prune_) {
      next_prune_ = t + opt_.prune_every;
      ensure_store(cur_, store_, store_path_, true);
      std::string err;
      const auto keep = std::chrono::duration_cast<std::chrono::nanoseconds>(cur_.history.retention).count();
      if (store_ && !store_->prune(now() - keep, err)) fail("pruning the history store", err, &figures::prune_failures);
    }
    lk.lock();
  }
}

void history_recorder::run_resolver() {
  std::uint64_t done = 0;
  history_settings s;
  std::unique_lock lk(mu_);
  while (!stop_) {
    const std::uint64_t gen = settings_gen_;
    s = settings_;
    lk.unlock();
    ensure_store(s, rstore_, rstore_path_, false);
    resolve_baseline(s, rstore_.get());
    done = gen;
    lk.lock();
    resolved_gen_ = done;
    cv_.notify_all();
    cv_.wait_for(lk, opt_.resolve_every, [&] { return stop_ || settings_gen_ > done; });
  }
}

void history_recorder::sample(const feed::published_view& v) {
  const auto minute_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(opt_.minute).count();
  const core::unix_nanos t = now();
  const core::unix_nanos m = t - ((t % minute_ns) + minute_ns) % minute_ns;
  if (open_minute_ >= 0 && m != open_minute_) close_minute();
  open_minute_ = m;
  {
    std::lock_guard lk(mu_);
    ++figures_.samples;
  }
  const auto& settings = v.settings;
  for (const auto& b : v.books) {
    auto& slot = books_[{b.id().venue, b.id().symbol}];
    if (!slot) slot = std::make_unique<book_acc>();
    book_acc& a = *slot;
    std::vector<core::decimal> bands;
    for (const auto& bd : settings.bands) bands.push_back(bd.pct);
    if (a.bands != bands || a.notionals != settings.impact_notionals_usd) {
      // New bands or notionals (a reload): the minute's figures start over with them.
      const auto live = a.live_samples;
      a = book_acc{};
      a.live_samples = live;
      a.bands = std::move(bands);
      a.notionals = settings.impact_notionals_usd;
      a.band_usd.assign(a.bands.size(), {});
      a.impact_bps.assign(a.notionals.size(), {});
    }
    a.base = b.id().base;
    a.quote = b.id().quote;
    if (!b.live()) continue;
    ++a.live_samples;
    if (const auto x = b.mid()) a.mid = x;
    if (const auto x = b.spread_bps()) a.spread_bps = x;
    for (std::size_t i = 0; i < a.bands.size(); ++i)
      for (core::side s : {core::side::bid, core::side::ask})
        if (const auto x = b.depth_usd(i, s)) a.band_usd[i][static_cast<std::size_t>(s)] = x;
    const std::size_t n = std::min<std::size_t>(a.notionals.size(), b.snapshot.impact_count);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t s = 0; s < 2; ++s)
        if (const auto& f = b.snapshot.impacts[i][s]; f.present) a.impact_bps[i][s] = f.bps;
  }
}

void history_recorder::close_minute() {
  if (open_minute_ < 0) return;
  const double per_sample = static_cast<double>(opt_.sample_every.count()) / static_cast<double>(opt_.minute.count());
  if (cur_.history.enabled) {
    for (const auto& [key, a] : books_) {
      baseline::minute_row r;
      r.venue = key.first;
      r.symbol = key.second;
      r.base = a->base;
      r.quote = a->quote;
      r.minute = open_minute_;
      r.mid = a->mid;
      r.spread_bps = a->spread_bps;
      r.live_fraction = std::min(1.0, static_cast<double>(a->live_samples) * per_sample);
      for (std::size_t i = 0; i < a->bands.size(); ++i)
        r.bands.push_back({a->bands[i], a->band_usd[i][0], a->band_usd[i][1]});
      for (std::size_t i = 0; i < a->notionals.size(); ++i)
        r.impacts.push_back({a->notionals[i], a->impact_bps[i][0], a->impact_bps[i][1]});
      pending_.push_back(std::move(r));
    }
    write_pending();
  }
  books_.clear();
  open_minute_ = -1;
}

void history_recorder::write_pending() {
  ensure_store(cur_, store_, store_path_, true);  // a store that could not be opened is retried each minute
  if (pending_.empty()) return;
  std::string err;
  if (store_ && store_->insert(pending_, err)) {
    std::lock_guard lk(mu_);
    ++figures_.minutes_written;
    figures_.rows_written += pending_.size();
    pending_.clear();
    return;
  }
  if (store_) fail("writing the history store", err, &figures::write_failures);
  const std::size_t cap = k_pending_minutes * std::max<std::size_t>(1, books_.size());
  if (pending_.size() > cap) {
    const std::size_t drop = pending_.size() - cap;
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(drop));
    std::lock_guard lk(mu_);
    figures_.rows_dropped += drop;
  }
}

void history_recorder::resolve_baseline(const history_settings& cur, const baseline::history_store* store) {
  const feed::published_view v = st_.view();
  baseline::resolve_inputs in;
  in.file = cur.file.get();
  in.store = store;
  for (const auto& b : v.books) in.books.push_back({b.id().venue, b.id().symbol});
  for (const auto& bd : v.settings.bands) in.bands_pct.push_back(bd.pct);
  in.window_start = cur.baseline.window_start;
  in.window_end = cur.baseline.window_end;
  in.quantile = cur.baseline.quantile;
  in.min_samples = cur.history.min_samples;
  in.trailing_window = cur.history.trailing_window;
  in.now = now();
  auto out = std::make_shared<baseline::resolved>();
  std::string err;
  if (!baseline::resolve(in, *out, err)) fail("resolving the baseline from history", err, &figures::resolve_failures);
  const std::size_t counts[] = {out->count(baseline::source::file), out->count(baseline::source::history),
                                out->count(baseline::source::trailing_median), out->missing.size()};
  const auto prev = st_.resolved_baseline();
  const bool changed = !prev || prev->count(baseline::source::file) != counts[0] ||
                       prev->count(baseline::source::history) != counts[1] ||
                       prev->count(baseline::source::trailing_median) != counts[2] || prev->missing.size() != counts[3];
  st_.set_baseline(std::move(out));
  {
    std::lock_guard lk(mu_);
    ++figures_.resolutions;
  }
  if (changed)
    log_.log(feed::log_level::info, "history",
             "baseline: " + std::to_string(counts[0]) + " band sides from the file, " + std::to_string(counts[1]) +
                 " from history, " + std::to_string(counts[2]) + " from the trailing median, " +
                 std::to_string(counts[3]) + " without a baseline (too few samples; see /api/v1/baseline)");
}

}  // namespace depthmon::daemon
