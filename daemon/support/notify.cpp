#include "support/notify.hpp"

#include <systemd/sd-daemon.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace depthmon::daemon_support {
namespace {

bool send(const std::string& state) noexcept {
  // unset_environment=0: the watchdog and later notifications need the variable again.
  return ::sd_notify(0, state.c_str()) > 0;
}

bool send_or_skip(std::string_view fields, std::string_view status) noexcept {
  if (!notifier::enabled()) return false;
  try {
    return send(notifier::state(fields, status));
  } catch (...) {  // std::bad_alloc only: a lost notification, never a crash
    return false;
  }
}

}  // namespace

bool notifier::enabled() noexcept {
  const char* s = std::getenv("NOTIFY_SOCKET");
  return s != nullptr && *s != '\0';
}

std::string notifier::state(std::string_view fields, std::string_view status) {
  std::string out(fields);
  if (!status.empty()) {
    if (!out.empty()) out += '\n';
    out += "STATUS=";
    for (const char c : status) out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out;
}

bool notifier::ready(std::string_view status) noexcept { return send_or_skip("READY=1", status); }

bool notifier::status(std::string_view status) noexcept { return send_or_skip({}, status); }

bool notifier::reloading(std::string_view status) noexcept {
  if (!enabled()) return false;
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  const auto usec = static_cast<unsigned long long>(ts.tv_sec) * 1'000'000ULL +
                    static_cast<unsigned long long>(ts.tv_nsec) / 1000ULL;
  char fields[64];
  std::snprintf(fields, sizeof fields, "RELOADING=1\nMONOTONIC_USEC=%llu", usec);
  return send_or_skip(fields, status);
}

bool notifier::stopping(std::string_view status) noexcept {
  return send_or_skip("STOPPING=1", status);
}

bool notifier::watchdog() noexcept { return send_or_skip("WATCHDOG=1", {}); }

std::optional<std::chrono::microseconds> notifier::watchdog_ping_interval() noexcept {
  std::uint64_t usec = 0;
  if (::sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(usec / 2);
}

}  // namespace depthmon::daemon_support
