// support/notify.hpp — the systemd notify protocol (sd_notify(3)) for a Type=notify service:
// READY, STATUS, RELOADING, STOPPING, WATCHDOG, and the watchdog interval systemd asks for.
//
// Through libsystemd's sd_notify(), which sends one datagram per call to $NOTIFY_SOCKET. When
// the variable is unset (not under systemd, or a test) every call is a cheap no-op, so callers
// never branch on "are we a service". RELOADING=1 carries MONOTONIC_USEC= as systemd 253's
// Type=notify-reload requires; systemd 252 (Debian 12) ignores the extra field, so the unit can
// move to notify-reload later without a code change.
//
// Threads: any thread (each call is one sendmsg). Errors: none thrown; a call returns whether a
// datagram went out, and a failed send is not fatal (systemd itself treats notify as advisory,
// except the watchdog, whose missing pings are the point).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace depthmon::daemon_support {

class notifier {
 public:
  // True when $NOTIFY_SOCKET is set, i.e. the calls below reach a service manager.
  static bool enabled() noexcept;

  // Start-up (or a reload) finished; `status` is shown by `systemctl status`.
  static bool ready(std::string_view status = {}) noexcept;
  static bool status(std::string_view status) noexcept;
  // A reload began (must be followed by ready()); adds MONOTONIC_USEC=<CLOCK_MONOTONIC µs>.
  static bool reloading(std::string_view status = {}) noexcept;
  static bool stopping(std::string_view status = {}) noexcept;
  static bool watchdog() noexcept;

  // How often to ping: half the WatchdogSec= timeout (sd_watchdog_enabled(3)), or nullopt when
  // systemd asked for no watchdog (or $WATCHDOG_PID names another process).
  static std::optional<std::chrono::microseconds> watchdog_ping_interval() noexcept;

  // The state string a call sends (exposed for tests and logging): newline-separated fields,
  // STATUS= flattened to one line because the protocol is line-based.
  static std::string state(std::string_view fields, std::string_view status);
};

}  // namespace depthmon::daemon_support
