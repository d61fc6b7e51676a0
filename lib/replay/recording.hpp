// replay/recording.hpp — the raw-frame recording format (daemon [recording], docs/ARCHITECTURE.md
// "Raw-frame recording"), its reader, and its replay through the daemon's own pipeline.
//
// A recording is a gzip file of records, each one line:
//   <recv_ns> <venue> <stream> <kind> <arg> <len> <payload: exactly len bytes>\n
// after a first line `#depthmon-recording 1`. `venue` is the [[venue]] name, `stream` one
// protocol instance of that venue's feed (a link: its reconnects keep the id), `kind`:
//   P  a new protocol instance; arg = its symbols joined by ',' ('-': none); payload = its
//      settings, one key=value per line
//   R  the same description repeated at the start of a rotated file (ignored when known)
//   F  a websocket frame exactly as received; arg '-'
//   S  a REST snapshot body the feed applied; arg = the symbol
//   D  the connection was lost (the protocol was reset); arg '-', payload empty
// The payload is length-prefixed, so a frame may hold anything, newlines included; the
// trailing newline keeps `zcat | less` readable.
//
// recording_replay keeps one replay_session per (venue, stream) and hands it every record as
// the feed handed it to the daemon's protocol: frames with their recorded receive times,
// snapshots at the point they were recorded (requests for them are not answered: the
// recording says when the answer came), disconnects. The book the daemon served for a symbol
// is the newest stream's book that is live, else the newest stream's.
//
// Threads: single-threaded. Errors: the reader reports a malformed record or an unreadable
// file (naming file and record number) and stops; recording_replay::feed returns a record's
// status like replay_session::feed_line. No exceptions except bad_alloc.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "replay/replay.hpp"

namespace depthmon::replay {

inline constexpr std::string_view recording_magic = "#depthmon-recording 1\n";

struct record {
  core::unix_nanos recv = 0;
  std::string_view venue;
  std::uint64_t stream = 0;
  char kind = 'F';
  std::string_view arg;
  std::string_view payload;
};

// Appends one record line.
void append_record(std::string& out, core::unix_nanos recv, std::string_view venue,
                   std::uint64_t stream, char kind, std::string_view arg, std::string_view payload);
// The header part of a record line (everything before the payload) into `buf`; returns its
// length. `buf` must hold 128 + venue.size() + arg.size() bytes.
std::size_t format_header(char* buf, core::unix_nanos recv, std::string_view venue, std::uint64_t stream,
                          char kind, std::string_view arg, std::size_t payload_size) noexcept;
// Parses the record at the start of `in`: its total length (header, payload, newline) in
// `used`. 0 = need more bytes (incomplete), -1 = malformed, 1 = ok. Views point into `in`.
int parse_record(std::string_view in, record& r, std::size_t& used) noexcept;

// Whether `path` (gzip or plain) starts with recording_magic. False also when unreadable.
bool is_recording(const std::string& path);

// Reads a recording (gzip, or plain text as well) record by record with bounded memory.
class recording_reader {
 public:
  recording_reader() = default;
  ~recording_reader();
  recording_reader(const recording_reader&) = delete;
  recording_reader& operator=(const recording_reader&) = delete;

  bool open(const std::string& path, std::string& error);
  // False at the end or on an error (then error() is non-empty). A truncated last record (a
  // file the daemon was still writing) ends the file with truncated() true, not an error.
  bool next(record& r);
  const std::string& error() const noexcept { return error_; }
  bool truncated() const noexcept { return truncated_; }
  std::uint64_t records() const noexcept { return records_; }
  std::uint64_t compressed_offset() const noexcept;
  std::uint64_t file_size() const noexcept { return size_; }

 private:
  bool fill();
  void* gz_ = nullptr;
  std::string path_, buf_, error_;
  std::size_t pos_ = 0;
  bool eof_ = false, truncated_ = false;
  std::uint64_t records_ = 0, size_ = 0;
};

struct recording_options {
  std::optional<core::venue> venue;                 // only this venue's records (else all)
  std::map<std::string, std::string> settings;      // override recorded settings (--set)
  depth::band_set bands = depth::default_bands();
  std::size_t levels = 0;
};

class recording_replay {
 public:
  explicit recording_replay(recording_options opt) : opt_(std::move(opt)) {}

  // One record; unknown venue names or a failing factory are errors (invalid_argument).
  core::status feed(const record& r);

  // The book the daemon served for each (venue, symbol), in order of first appearance.
  struct served {
    core::venue venue;
    const std::string* symbol;
    replay_session* session;
    const book::tracked_book* book;
  };
  std::vector<served> books() const;
  std::vector<std::string> books_json(const std::vector<std::string>& symbols = {}) const;
  // Forgets streams whose every symbol is live on a newer stream (bounded memory over long
  // recordings with planned reconnects).
  void prune();

 private:
  struct stream_state {
    core::venue venue;
    std::uint64_t order = 0;
    std::unique_ptr<replay_session> session;
  };
  stream_state* create(const record& r, core::venue v, core::status& st);

  recording_options opt_;
  std::map<std::pair<core::venue, std::uint64_t>, stream_state> streams_;
  std::vector<std::pair<core::venue, std::string>> seen_;  // first appearance order
  std::uint64_t next_order_ = 0;
};

}  // namespace depthmon::replay
