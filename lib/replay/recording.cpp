#include "replay/recording.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <set>

namespace depthmon::replay {

namespace {

constexpr std::size_t k_read_chunk = 1 << 16;

bool field(std::string_view& in, std::string_view& out) noexcept {
  const auto sp = in.find(' ');
  if (sp == std::string_view::npos || sp == 0) return false;
  out = in.substr(0, sp);
  in.remove_prefix(sp + 1);
  return true;
}

template <class T>
bool number(std::string_view s, T& v) noexcept {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size();
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const auto at = s.find(sep);
    if (at != 0) out.emplace_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return out;
}

}  // namespace

std::size_t format_header(char* buf, core::unix_nanos recv, std::string_view venue, std::uint64_t stream,
                          char kind, std::string_view arg, std::size_t payload_size) noexcept {
  char* p = buf;
  p = std::to_chars(p, p + 24, recv).ptr;
  *p++ = ' ';
  std::memcpy(p, venue.data(), venue.size());
  p += venue.size();
  *p++ = ' ';
  p = std::to_chars(p, p + 24, stream).ptr;
  *p++ = ' ';
  *p++ = kind;
  *p++ = ' ';
  if (arg.empty()) {
    *p++ = '-';
  } else {
    std::memcpy(p, arg.data(), arg.size());
    p += arg.size();
  }
  *p++ = ' ';
  p = std::to_chars(p, p + 24, payload_size).ptr;
  *p++ = ' ';
  return static_cast<std::size_t>(p - buf);
}

void append_record(std::string& out, core::unix_nanos recv, std::string_view venue, std::uint64_t stream,
                   char kind, std::string_view arg, std::string_view payload) {
  std::string hdr(128 + venue.size() + arg.size(), '\0');
  hdr.resize(format_header(hdr.data(), recv, venue, stream, kind, arg, payload.size()));
  out += hdr;
  out += payload;
  out += '\n';
}

int parse_record(std::string_view in, record& r, std::size_t& used) noexcept {
  // The header is short: a line without its six spaces in the first 4 KiB is malformed.
  const std::string_view all = in;
  std::string_view f[6];
  for (auto& x : f) {
    if (!field(in, x)) return all.size() < 4096 && all.find('\n') == std::string_view::npos ? 0 : -1;
  }
  std::size_t len = 0;
  if (!number(f[0], r.recv) || !number(f[2], r.stream) || f[3].size() != 1 || !number(f[5], len)) return -1;
  if (in.size() < len + 1) return 0;
  if (in[len] != '\n') return -1;
  r.venue = f[1];
  r.kind = f[3][0];
  r.arg = f[4] == "-" ? std::string_view{} : f[4];
  r.payload = in.substr(0, len);
  used = all.size() - in.size() + len + 1;
  return 1;
}

bool is_recording(const std::string& path) {
  gzFile g = gzopen(path.c_str(), "rb");
  if (!g) return false;
  char head[recording_magic.size()];
  const int n = gzread(g, head, static_cast<unsigned>(sizeof head));
  gzclose(g);
  return n == static_cast<int>(sizeof head) && std::string_view(head, sizeof head) == recording_magic;
}

// ---- reader ---------------------------------------------------------------------------------

recording_reader::~recording_reader() {
  if (gz_) gzclose(static_cast<gzFile>(gz_));
}

bool recording_reader::open(const std::string& path, std::string& error) {
  path_ = path;
  std::error_code ec;
  size_ = std::filesystem::file_size(path, ec);
  if (ec) size_ = 0;
  gz_ = gzopen(path.c_str(), "rb");
  if (!gz_) {
    error = path + ": cannot open (" + std::strerror(errno) + ")";
    return false;
  }
  gzbuffer(static_cast<gzFile>(gz_), 1 << 17);
  if (!fill() || buf_.size() < recording_magic.size() ||
      std::string_view(buf_).substr(0, recording_magic.size()) != recording_magic) {
    error = path + ": not a depthmon recording (no '" +
            std::string(recording_magic.substr(0, recording_magic.size() - 1)) + "' first line)";
    return false;
  }
  pos_ = recording_magic.size();
  return true;
}

std::uint64_t recording_reader::compressed_offset() const noexcept {
  return gz_ ? static_cast<std::uint64_t>(gzoffset(static_cast<gzFile>(gz_))) : 0;
}

bool recording_reader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  const std::size_t old = buf_.size();
  buf_.resize(old + k_read_chunk);
  const int n = gzread(static_cast<gzFile>(gz_), buf_.data() + old, static_cast<unsigned>(k_read_chunk));
  if (n < 0) {
    int zerr = 0;
    const char* msg = gzerror(static_cast<gzFile>(gz_), &zerr);
    buf_.resize(old);
    eof_ = true;
    // A file cut short while written: what was flushed is readable, the rest is lost.
    if (zerr == Z_BUF_ERROR || zerr == Z_DATA_ERROR) {
      truncated_ = true;
      return false;
    }
    error_ = path_ + ": read error after record " + std::to_string(records_) + " (" + (msg ? msg : "?") + ")";
    return false;
  }
  buf_.resize(old + static_cast<std::size_t>(n));
  if (n == 0) eof_ = true;
  return n > 0;
}

bool recording_reader::next(record& r) {
  if (!error_.empty()) return false;
  for (;;) {
    const std::string_view avail = std::string_view(buf_).substr(pos_);
    if (!avail.empty() && avail[0] == '#') {  // comment / magic of a concatenated file
      const auto nl = avail.find('\n');
      if (nl != std::string_view::npos) {
        pos_ += nl + 1;
        continue;
      }
    } else {
      std::size_t used = 0;
      const int rc = avail.empty() ? 0 : parse_record(avail, r, used);
      if (rc < 0) {
        error_ = path_ + ": record " + std::to_string(records_ + 1) + ": malformed (expected '<recv_ns> <venue> "
                 "<stream> <kind> <arg> <len> <payload>')";
        return false;
      }
      if (rc > 0) {
        pos_ += used;
        ++records_;
        return true;
      }
    }
    if (!fill()) {
      if (!error_.empty()) return false;
      if (pos_ < buf_.size()) truncated_ = true;
      return false;
    }
  }
}

// ---- replay ---------------------------------------------------------------------------------

recording_replay::stream_state* recording_replay::create(const record& r, core::venue v, core::status& st) {
  replay_options o;
  o.venue = v;
  o.bands = opt_.bands;
  o.levels = opt_.levels;
  o.protocol.symbols = split(r.arg, ',');
  for (const auto& kv : split(r.payload, '\n')) {
    const auto eq = kv.find('=');
    if (eq != std::string::npos) o.protocol.settings[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  for (const auto& [k, val] : opt_.settings) o.protocol.settings[k] = val;
  auto s = replay_session::create(std::move(o));
  if (!s) {
    st = s.err();
    return nullptr;
  }
  auto& slot = streams_[{v, r.stream}];
  slot.venue = v;
  slot.order = next_order_++;
  slot.session = std::move(s).value();
  for (const auto* tb : slot.session->protocol().books()) {
    const std::pair<core::venue, std::string> key{v, tb->symbol};
    if (std::find(seen_.begin(), seen_.end(), key) == seen_.end()) seen_.push_back(key);
  }
  return &slot;
}

core::status recording_replay::feed(const record& r) {
  const auto v = core::venue_from_string(r.venue);
  if (!v) return {core::errc::invalid_argument, "unknown venue in recording"};
  if (opt_.venue && *opt_.venue != *v) return {};
  auto it = streams_.find({*v, r.stream});
  core::status st;
  if (r.kind == 'P' || (r.kind == 'R' && it == streams_.end())) {
    if (it != streams_.end()) streams_.erase(it);  // a new daemon run reuses stream ids
    create(r, *v, st);
    return st;
  }
  if (r.kind == 'R') return {};
  if (it == streams_.end()) return {core::errc::invalid_argument, "record for a stream never described (no P line)"};
  replay_session& s = *it->second.session;
  switch (r.kind) {
    case 'F': {
      st = s.feed_frame(r.payload, r.recv);
      return st;
    }
    case 'S': return s.feed_snapshot(r.arg, r.payload, r.recv);
    case 'D': s.disconnect(); return {};
    default: return {core::errc::invalid_argument, "unknown record kind"};
  }
}

std::vector<recording_replay::served> recording_replay::books() const {
  std::vector<served> out;
  for (const auto& [v, sym] : seen_) {
    served best{v, &sym, nullptr, nullptr};
    bool best_live = false;
    std::uint64_t best_order = 0;
    for (const auto& [key, s] : streams_) {
      if (s.venue != v) continue;
      const auto* tb = s.session->protocol().find_book(sym);
      if (!tb) continue;
      const bool live = tb->live();
      if (!best.book || (live && !best_live) || (live == best_live && s.order > best_order)) {
        best.session = s.session.get();
        best.book = tb;
        best.symbol = &tb->symbol;
        best_live = live;
        best_order = s.order;
      }
    }
    if (best.book) out.push_back(best);
  }
  return out;
}

std::vector<std::string> recording_replay::books_json(const std::vector<std::string>& symbols) const {
  std::vector<std::string> out;
  for (const auto& b : books()) {
    if (!symbols.empty() && std::find(symbols.begin(), symbols.end(), *b.symbol) == symbols.end()) continue;
    out.push_back(b.session->book_json(*b.book));
  }
  return out;
}

void recording_replay::prune() {
  // A stream goes once each of its books is served, live, by a newer stream: a replacement
  // still syncing, or an older stream still serving, stays.
  std::map<std::pair<core::venue, std::string>, std::pair<std::uint64_t, bool>> served_by;
  std::map<const replay_session*, std::uint64_t> order;
  for (const auto& [key, s] : streams_) order[s.session.get()] = s.order;
  for (const auto& b : books()) served_by[{b.venue, *b.symbol}] = {order[b.session], b.book->live()};
  for (auto it = streams_.begin(); it != streams_.end();) {
    bool redundant = true;
    for (const auto* tb : it->second.session->protocol().books()) {
      auto sb = served_by.find({it->second.venue, tb->symbol});
      if (sb == served_by.end() || sb->second.first <= it->second.order || !sb->second.second) redundant = false;
    }
    if (redundant) it = streams_.erase(it);
    else ++it;
  }
}

}  // namespace depthmon::replay
