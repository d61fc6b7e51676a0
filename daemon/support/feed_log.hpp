// support/feed_log.hpp — feed::log_sink on the daemon's logger: every feed logs through it,
// with its venue as the `exchange` field, secrets redacted and repetitive lines rate-limited.
//
// Messages that differ only in numbers (reconnect delays, attempt counts) of one venue share a
// rate-limit key (rate_limiter::similarity_key), so a reconnect storm becomes `burst` lines and
// one "suppressed K similar messages" line per interval, while other venues' lines still pass.
// flush_suppressed() reports windows that closed without a later event of their key; the
// daemon calls it from a periodic timer (the status/watchdog tick).
//
// Threads: any feed thread (logger and limiter synchronise themselves). Errors: never throws
// (feed::log_sink's contract): a failure to log is dropped.
#pragma once

#include "feed/log_sink.hpp"
#include "support/rate_limiter.hpp"

#include <spdlog/logger.h>

#include <memory>

namespace depthmon::daemon_support {

class feed_log_adapter final : public feed::log_sink {
 public:
  feed_log_adapter(std::shared_ptr<spdlog::logger> logger, rate_limiter& limiter);

  void log(feed::log_level level, std::string_view venue, std::string_view message) override;
  // Test seam: the same, at a given time.
  void log_at(feed::log_level level, std::string_view venue, std::string_view message,
              rate_limiter::clock::time_point now) noexcept;

  void flush_suppressed(rate_limiter::clock::time_point now) noexcept;

 private:
  void report_suppressed(std::string_view key, std::uint64_t count, std::uint8_t level);

  std::shared_ptr<spdlog::logger> logger_;
  rate_limiter& limiter_;
};

spdlog::level::level_enum to_spdlog(feed::log_level level) noexcept;

}  // namespace depthmon::daemon_support
