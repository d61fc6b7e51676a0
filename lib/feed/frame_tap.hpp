// feed/frame_tap.hpp — an observer of everything a feed hands its venue protocols: each
// protocol instance's creation (its symbols and settings), every websocket frame exactly as
// received with its receive time, every REST snapshot body the feed applies, and every
// disconnect. Enough to replay the feed's books offline (raw-frame recording, DESIGN.md
// `depthmon replay`).
//
// Threads: called on the feed's thread, in the order the protocol sees the inputs. An
// implementation must not block, allocate without bound or do I/O there: it copies into a
// bounded queue (daemon/recording.hpp) and drops, counted, when that is full. Errors: none
// reach the feed (the calls are noexcept).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace depthmon::feed {

class frame_tap {
 public:
  // A new protocol instance (one per link: a shard's connection, or a planned replacement);
  // returns the id the later calls for it carry.
  virtual std::uint64_t on_stream(const std::vector<std::string>& symbols,
                                  const std::map<std::string, std::string>& settings,
                                  core::unix_nanos now) noexcept = 0;
  virtual void on_frame(std::uint64_t stream, std::string_view frame, core::unix_nanos recv) noexcept = 0;
  // Before the protocol's on_snapshot(symbol, body, recv).
  virtual void on_snapshot(std::uint64_t stream, std::string_view symbol, std::string_view body,
                           core::unix_nanos recv) noexcept = 0;
  // Before the protocol's on_disconnect().
  virtual void on_disconnect(std::uint64_t stream, core::unix_nanos now) noexcept = 0;

 protected:
  ~frame_tap() = default;
};

}  // namespace depthmon::feed
