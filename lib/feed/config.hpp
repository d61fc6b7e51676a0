// feed/config.hpp — what one venue feed is told: DESIGN.md's [[venue]] keys plus the timings
// tests shorten.
//
// The venue keys (name, symbols, ws_url, rest_url, ca_file, settings) are exactly the ones
// the simulator's --write-config and operators' scripts write; empty URLs mean the venue's
// live endpoints (venues/spec.hpp). Every duration of the feed's watchdogs, back-off and
// timeouts lives in feed_timings so a test can run a whole reconnect cycle in a second; a
// zero means "the venue's default" where the field says so.
//
// Threads: plain values, copied into the feed. Errors: validated by feed::create (unknown
// venue, bad settings: invalid_argument naming the problem).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace depthmon::feed {

using ms = std::chrono::milliseconds;

struct feed_timings {
  ms tick{50};                 // the feed's housekeeping cadence (watchdogs, pacing, schedules)
  ms stale_after{0};           // no update of a live book for this long: stale (0: venue default)
  ms idle_timeout{0};          // nothing at all received on a connection: replace it
                               // (0: the venue's keep-alive idle time, else 60 s)
  ms ping_interval{0};         // our websocket pings (0: idle_timeout / 3), so a half-open
                               // connection is told apart from a quiet one
  ms backoff_initial{500};     // reconnect back-off: full jitter, doubling to the cap
  ms backoff_cap{30'000};
  ms connect_timeout{10'000};  // TCP, TLS and websocket handshake, each
  ms request_timeout{15'000};  // one REST request (write + whole response)
  ms snapshot_retry{1'000};    // a failed snapshot (network, 5xx) is asked again after this
  ms planned_overlap{15'000};  // make-before-break: the old connection is closed at the latest
                               // this long after its replacement was opened
  ms max_connection_age{0};    // planned reconnect after this age (0: venue default; Binance
                               // 24 h limit -> 23 h 30 min)
};

struct venue_config {
  std::string name;                           // a venue name as `depthmon replay --venue` takes it
  std::vector<std::string> symbols;           // venue-native
  std::string ws_url;                         // base endpoint; empty: live default
  std::string rest_url;                       // base endpoint; empty: live default
  std::string ca_file;                        // extra trust anchor (the simulator's CA)
  std::map<std::string, std::string> settings;  // the replay --set keys
  std::uint32_t snapshot_depth = 0;           // REST snapshot levels; 0: chosen by need (<= 5000)
  std::uint32_t rest_weight_per_minute = 0;   // 0: the venue's documented budget (Binance 6000)
  feed_timings timings;
};

}  // namespace depthmon::feed
