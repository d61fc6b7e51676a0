// sim/fault.hpp — faults as a transformation of a venue's outgoing stream, and the actions the
// (later) socket layer must carry out.
//
// A fault is scheduled (at a simulated time) or injected now, for a venue and optionally one
// symbol, with a duration. Kinds and what they do:
//   disconnect     every open connection is aborted (no close frame); for duration_s > 0 the
//                  venue also refuses new connections (venue_sim::accepting()).
//   stall          half-open: every open connection sends nothing (no data, acks or pongs) for
//                  duration_s (0 = until the client closes it); frames due meanwhile are lost.
//   gap            the next book update of the symbol is not sent (its sequence ids are used
//                  up), or every one for duration_s. On venues whose only integrity signal is a
//                  checksum the dropped update is one that changes the checksummed levels.
//   bad_checksum   the next update's checksum is wrong (venues with checksums only).
//   crossed        the next update also carries a level that crosses the book.
//   malformed      a truncated copy of the next update is sent before it.
//   rest_429/418   REST requests are refused with 429 / 418 and Retry-After for duration_s.
//   planned_close  the venue's own notice (Binance serverShutdown, OKX notice 64008, Bitstamp
//                  bts:request_reconnect) where it has one, then a close (1001) after
//                  duration_s (default 2 s).
// Per-frame kinds with duration_s = 0 apply once; with duration_s > 0 to every eligible frame
// until the window ends.
//
// Threads: owned by the venue simulator's thread. Errors: parse_fault_request and
// venue_sim::inject return invalid_argument with a detail.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace depthmon::sim {

enum class fault_kind : std::uint8_t {
  disconnect,
  stall,
  gap,
  bad_checksum,
  crossed,
  malformed,
  rest_429,
  rest_418,
  planned_close,
};

inline constexpr fault_kind all_fault_kinds[] = {
    fault_kind::disconnect, fault_kind::stall,    fault_kind::gap,
    fault_kind::bad_checksum, fault_kind::crossed, fault_kind::malformed,
    fault_kind::rest_429,   fault_kind::rest_418, fault_kind::planned_close};

std::string_view to_string(fault_kind k) noexcept;
std::optional<fault_kind> parse_fault_kind(std::string_view name) noexcept;

struct fault {
  fault_kind kind = fault_kind::gap;
  std::optional<std::string> symbol;  // nullopt: every symbol of the venue
  double duration_s = 0.0;
  core::unix_nanos at = -1;           // simulated time to start; < 0: when injected
};

struct fault_request {
  core::venue venue = core::venue::binance;
  fault f;
};

// The body of POST /sim/v1/faults (DESIGN.md):
// {"venue":"binance","symbol":"BTCUSDT" or null,"kind":"gap","duration_s":N}
core::result<fault_request> parse_fault_request(std::string_view json);

// What the socket layer must do for one connection, in order.
struct action {
  enum class kind : std::uint8_t {
    send,   // send `text` as a websocket text frame
    close,  // send a close frame with `code` and close the connection
    abort,  // drop the TCP connection without a close frame
    stall,  // stop writing (keep the socket open) until `until` (0: until the client closes)
  };
  kind what = kind::send;
  std::string text;
  std::uint16_t code = 0;
  core::unix_nanos until = 0;  // simulated time
};

// Mutations the encoder applies to one symbol's next update.
struct frame_mods {
  bool bad_checksum = false;
  bool crossed = false;
};

// The active and scheduled faults of one venue.
class fault_state {
 public:
  void add(fault f, core::unix_nanos now);
  // Faults whose start time has come, moved to active; returns the connection-level ones
  // (disconnect, stall, planned_close) that started, for the venue to apply to its sessions.
  std::vector<fault> activate(core::unix_nanos now);

  // Per-frame queries; each consumes a one-shot fault it answers yes to.
  bool take(fault_kind k, std::string_view symbol, core::unix_nanos now);
  bool pending(fault_kind k, std::string_view symbol, core::unix_nanos now) const;
  // REST refusal in force: the kind and the remaining seconds.
  std::optional<std::pair<fault_kind, double>> rest_refusal(core::unix_nanos now) const;

 private:
  struct active_fault {
    fault f;
    core::unix_nanos until = 0;  // end of the window; 0 with `once`
    bool once = true;
    bool used = false;
  };
  bool matches(const active_fault& a, fault_kind k, std::string_view symbol,
               core::unix_nanos now) const noexcept;
  std::vector<fault> scheduled_;
  std::vector<active_fault> active_;
};

}  // namespace depthmon::sim
