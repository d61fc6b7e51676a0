// replay/replay.hpp — `depthmon replay`: raw venue messages through the daemon's own pipeline.
//
// Feeds recorded frames (one per line, as received) through exactly the codec, sync state
// machine, book and depth code the daemon uses, and renders one book JSON object per book at
// the end. REST snapshots given up front are handed to the venue when it asks for them (first
// at start, then on every fetch_snapshot request, in the order given).
//
// Threads: single-threaded, like a venue connection. Errors: create() fails with
// invalid_argument on options a venue rejects; feed_line() returns the line's status (ok =
// understood) and keeps going either way.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/frame.hpp"
#include "depth/band_tracker.hpp"
#include "depth/bands.hpp"
#include "depth/book_snapshot.hpp"
#include "venues/protocol.hpp"

namespace depthmon::replay {

struct replay_options {
  core::venue venue = core::venue::binance;
  venues::protocol_options protocol;                         // symbols, settings, limits
  std::vector<std::pair<std::string, std::string>> snapshots;  // (symbol, REST body)
  depth::band_set bands = depth::default_bands();
  std::size_t levels = 0;  // top levels to include in the JSON (0 = none)
};

class replay_session final : private venues::protocol_listener {
 public:
  static core::result<std::unique_ptr<replay_session>> create(replay_options opt);

  // One recorded message. Blank lines are skipped and count as understood.
  core::status feed_line(std::string_view line, core::unix_nanos recv_time = 0);

  // Recorded inputs (replay/recording.hpp), handed over exactly as the daemon's feed hands
  // them to its protocol: a frame as received (nothing trimmed), a REST snapshot body at the
  // point it was applied (a failed one ends the recovery, as the feed does), a lost connection.
  core::status feed_frame(std::string_view frame, core::unix_nanos recv_time);
  core::status feed_snapshot(std::string_view symbol, std::string_view body, core::unix_nanos recv_time);
  void disconnect();

  // One JSON object per book, in order of first appearance.
  std::vector<std::string> books_json() const;
  std::string book_json(const book::tracked_book& tb) const;

  venues::venue_protocol& protocol() noexcept { return *protocol_; }
  depth::depth_view depth_of(const book::tracked_book& tb) const;
  // What the daemon's feed thread would publish for the book now (books_json() prints it).
  depth::book_snapshot snapshot_of(const book::tracked_book& tb) const;
  std::size_t lines() const noexcept { return lines_; }

 private:
  explicit replay_session(replay_options opt) : opt_(std::move(opt)) {}
  void on_book_created(book::tracked_book& tb) override;
  void on_book_updated(book::tracked_book& tb) override;
  void serve_requests();
  void give_snapshot(const std::string& symbol);

  replay_options opt_;
  std::unique_ptr<venues::venue_protocol> protocol_;
  std::map<const book::tracked_book*, std::unique_ptr<depth::band_tracker>> trackers_;
  std::map<std::string, std::deque<std::string>, std::less<>> snapshots_;
  core::padded_buffer buf_;
  std::size_t lines_ = 0;
  bool serving_ = false;
};

}  // namespace depthmon::replay
