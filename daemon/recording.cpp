#include "daemon/recording.hpp"

#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "replay/recording.hpp"

namespace depthmon::daemon {

namespace fs = std::filesystem;

namespace {

core::unix_nanos wall_now() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr std::size_t k_max_streams_per_venue = 64;  // R records repeated per rotated file
constexpr std::string_view k_prefix = "rec-", k_suffix = ".dmrec.gz";

}  // namespace

// ---- venue_tap (feed thread) ----------------------------------------------------------------

void venue_tap::put(core::unix_nanos t, std::uint64_t stream, char kind, std::string_view arg,
                    std::string_view payload) noexcept {
  // Symbols are short; a stream's symbol list (P) may not be, and is rare: it is cut to fit
  // the stack buffer rather than allocating on every frame.
  char hdr[512];
  if (arg.size() + venue_.size() > sizeof hdr - 128) arg = arg.substr(0, sizeof hdr - 128 - venue_.size());
  const std::size_t n = replay::format_header(hdr, t, venue_, stream, kind, arg, payload.size());
  if (!q_.push({std::string_view(hdr, n), payload, "\n"})) dropped_.fetch_add(1, std::memory_order_relaxed);
}

std::uint64_t venue_tap::on_stream(const std::vector<std::string>& symbols,
                                   const std::map<std::string, std::string>& settings,
                                   core::unix_nanos now) noexcept {
  const std::uint64_t id = next_stream_++;
  // Once per connection set-up, not per frame: building the description may allocate.
  try {
    std::string syms, sets;
    for (const auto& s : symbols) syms += (syms.empty() ? "" : ",") + s;
    for (const auto& [k, v] : settings) sets += k + "=" + v + "\n";
    if (syms.size() + venue_.size() > 512 - 128) {
      // Too long for one header: the stream is described without its symbols (replay then
      // creates its books as they appear).
      syms.clear();
    }
    put(now, id, 'P', syms, sets);
  } catch (...) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
  }
  return id;
}

void venue_tap::on_frame(std::uint64_t stream, std::string_view frame, core::unix_nanos recv) noexcept {
  put(recv, stream, 'F', {}, frame);
}

void venue_tap::on_snapshot(std::uint64_t stream, std::string_view symbol, std::string_view body,
                            core::unix_nanos recv) noexcept {
  put(recv, stream, 'S', symbol, body);
}

void venue_tap::on_disconnect(std::uint64_t stream, core::unix_nanos now) noexcept { put(now, stream, 'D', {}, {}); }

// ---- recorder (writer thread) ---------------------------------------------------------------

recorder::recorder(const config::recording_config& cfg, std::string dir, feed::log_sink* log)
    : cfg_(cfg), dir_(std::move(dir)), log_(log) {}

std::unique_ptr<recorder> recorder::create(const config::recording_config& cfg, const std::string& state_dir,
                                           const std::vector<std::string>& venues, feed::log_sink* log,
                                           std::string& error) {
  const fs::path dir = fs::path(state_dir) / cfg.dir;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    error = "recording directory " + dir.string() + ": " + ec.message();
    return nullptr;
  }
  std::unique_ptr<recorder> r(new recorder(cfg, dir.string(), log));
  for (const auto& v : venues) {
    if (r->tap(v)) continue;
    r->taps_.push_back(std::make_unique<venue_tap>(v, cfg.queue_bytes));
  }
  r->drops_logged_.assign(r->taps_.size(), 0);
  r->streams_.resize(r->taps_.size());
  r->th_ = std::thread([p = r.get()] { p->run(); });
  return r;
}

recorder::~recorder() { stop(); }

venue_tap* recorder::tap(std::string_view venue) noexcept {
  for (auto& t : taps_)
    if (t->venue() == venue) return t.get();
  return nullptr;
}

std::vector<recording_drops> recorder::dropped() const {
  std::vector<recording_drops> out;
  for (const auto& t : taps_) out.push_back({t->venue(), t->dropped()});
  return out;
}

void recorder::stop() {
  {
    std::lock_guard lk(m_);
    if (stopping_ && !th_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (th_.joinable()) th_.join();
}

void recorder::say(feed::log_level lv, const std::string& m) {
  if (log_) log_->log(lv, "recording", m);
}

void recorder::run() {
  using clock = std::chrono::steady_clock;
  auto last_flush = clock::now(), last_drop_log = clock::now();
  for (;;) {
    bool stop = false;
    {
      std::unique_lock lk(m_);
      // A poll cadence, not synchronisation: the feeds never signal (that would cost them).
      cv_.wait_for(lk, std::chrono::milliseconds(50), [this] { return stopping_; });
      stop = stopping_;
    }
    if (!failed_ && !write_pending(stop)) {
      failed_ = true;
      close_file();
    }
    const auto now = clock::now();
    if (gz_ && now - last_flush >= std::chrono::seconds(1)) {
      gzflush(static_cast<gzFile>(gz_), Z_SYNC_FLUSH);
      last_flush = now;
    }
    if (now - last_drop_log >= std::chrono::seconds(10) || stop) {
      last_drop_log = now;
      for (std::size_t i = 0; i < taps_.size(); ++i) {
        const std::uint64_t d = taps_[i]->dropped();
        if (d == drops_logged_[i]) continue;
        say(feed::log_level::warn, taps_[i]->venue() + ": recording queue full, " + std::to_string(d - drops_logged_[i]) +
                                       " record(s) dropped (" + std::to_string(d) + " in total)");
        drops_logged_[i] = d;
      }
    }
    if (stop) break;
  }
  close_file();
}

bool recorder::write_pending(bool final) {
  (void)final;
  for (std::size_t i = 0; i < taps_.size(); ++i) {
    chunk_.clear();
    if (taps_[i]->queue().drain(chunk_) == 0) continue;
    std::string_view in = chunk_;
    while (!in.empty()) {
      replay::record r;
      std::size_t used = 0;
      if (replay::parse_record(in, r, used) != 1) {
        say(feed::log_level::error, "recording: internal format error, recording stopped");
        return false;
      }
      const core::unix_nanos now = wall_now();
      if (!gz_ || file_bytes_ >= cfg_.rotate_bytes ||
          now - file_opened_ >= std::chrono::duration_cast<std::chrono::nanoseconds>(cfg_.rotate_interval).count()) {
        if (!open_file(now)) return false;
      }
      if (r.kind == 'P') {
        auto& m = streams_[i];
        std::string rr;
        replay::append_record(rr, r.recv, r.venue, r.stream, 'R', r.arg, r.payload);
        m[r.stream] = std::move(rr);
        if (m.size() > k_max_streams_per_venue) m.erase(m.begin());
      }
      out_.append(in.data(), used);
      file_bytes_ += used;
      in.remove_prefix(used);
      if (out_.size() >= (1u << 18)) {
        if (gzwrite(static_cast<gzFile>(gz_), out_.data(), static_cast<unsigned>(out_.size())) <= 0) {
          say(feed::log_level::error, path_ + ": write failed, recording stopped");
          return false;
        }
        out_.clear();
      }
    }
  }
  if (gz_ && !out_.empty()) {
    if (gzwrite(static_cast<gzFile>(gz_), out_.data(), static_cast<unsigned>(out_.size())) <= 0) {
      say(feed::log_level::error, path_ + ": write failed, recording stopped");
      return false;
    }
    out_.clear();
  }
  return true;
}

bool recorder::open_file(core::unix_nanos now) {
  if (gz_) {
    if (!out_.empty()) gzwrite(static_cast<gzFile>(gz_), out_.data(), static_cast<unsigned>(out_.size()));
    out_.clear();
    close_file();
  }
  const std::time_t secs = static_cast<std::time_t>(now / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  char seq[16];
  std::snprintf(seq, sizeof seq, "%06llu", static_cast<unsigned long long>(++seq_ % 1'000'000));
  // Names sort chronologically: the oldest file is the first in name order.
  path_ = (fs::path(dir_) / (std::string(k_prefix) + stamp + "-" + seq + std::string(k_suffix))).string();
  gz_ = gzopen(path_.c_str(), "wb3");
  if (!gz_) {
    say(feed::log_level::error, path_ + ": cannot create (" + std::strerror(errno) + "), recording stopped");
    return false;
  }
  file_opened_ = now;
  files_.fetch_add(1);
  out_.assign(replay::recording_magic);
  for (const auto& m : streams_)
    for (const auto& [id, rr] : m) out_ += rr;
  file_bytes_ = out_.size();
  enforce_total();
  return true;
}

void recorder::close_file() {
  if (!gz_) return;
  if (!out_.empty()) gzwrite(static_cast<gzFile>(gz_), out_.data(), static_cast<unsigned>(out_.size()));
  out_.clear();
  gzclose(static_cast<gzFile>(gz_));
  gz_ = nullptr;
}

void recorder::enforce_total() {
  std::vector<std::pair<std::string, std::uint64_t>> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir_, ec)) {
    const std::string name = e.path().filename().string();
    if (!name.starts_with(k_prefix) || !name.ends_with(k_suffix)) continue;
    const auto sz = e.file_size(ec);
    files.emplace_back(e.path().string(), ec ? 0 : sz);
  }
  std::sort(files.begin(), files.end());
  std::uint64_t total = 0;
  for (const auto& f : files) total += f.second;
  for (const auto& f : files) {
    if (total <= cfg_.max_total_bytes) break;
    if (f.first == path_) continue;  // the file being written stays
    if (fs::remove(f.first, ec)) {
      total -= f.second;
      say(feed::log_level::info, "deleted " + f.first + " (recordings over max_total_bytes)");
    }
  }
}

}  // namespace depthmon::daemon
