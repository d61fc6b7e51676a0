// feed/feed_stats.hpp — a feed's connection and request counters (feed::stats()), also the
// payload of its published status (feed/published.hpp).
//
// Threads: a plain value, written by the feed's thread. Errors: none.
#pragma once

#include <cstdint>

namespace depthmon::feed {

struct feed_stats {
  std::uint64_t connections_opened = 0;  // websocket handshakes completed
  std::uint64_t connect_attempts = 0;
  std::uint64_t disconnects = 0;         // connections lost (not closed by us)
  std::uint64_t idle_replaced = 0;       // connections replaced by the idle watchdog
  std::uint64_t planned_reconnects = 0;  // make-before-break replacements completed
  std::uint64_t frames = 0;
  std::uint64_t frames_rejected = 0;     // on_frame returned an error (malformed, unknown)
  std::uint64_t client_frames = 0;       // subscribe/unsubscribe frames sent (paced)
  std::uint64_t resubscribes = 0;
  std::uint64_t snapshot_requests = 0;   // REST snapshot GETs issued
  std::uint64_t snapshot_failures = 0;   // network errors, non-2xx other than 429/418
  std::uint64_t rest_429 = 0, rest_418 = 0;
  std::uint64_t metadata_requests = 0, metadata_failures = 0;
};

}  // namespace depthmon::feed
