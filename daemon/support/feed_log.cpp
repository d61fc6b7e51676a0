#include "support/feed_log.hpp"

#include "support/logging.hpp"

#include <string>

namespace depthmon::daemon_support {

spdlog::level::level_enum to_spdlog(feed::log_level level) noexcept {
  switch (level) {
    case feed::log_level::debug: return spdlog::level::debug;
    case feed::log_level::info: return spdlog::level::info;
    case feed::log_level::warn: return spdlog::level::warn;
    case feed::log_level::error: return spdlog::level::err;
  }
  return spdlog::level::info;
}

feed_log_adapter::feed_log_adapter(std::shared_ptr<spdlog::logger> logger, rate_limiter& limiter)
    : logger_(std::move(logger)), limiter_(limiter) {}

void feed_log_adapter::log(feed::log_level level, std::string_view venue,
                           std::string_view message) {
  log_at(level, venue, message, rate_limiter::clock::now());
}

void feed_log_adapter::log_at(feed::log_level level, std::string_view venue,
                              std::string_view message,
                              rate_limiter::clock::time_point now) noexcept {
  try {
    const auto lvl = to_spdlog(level);
    if (!logger_->should_log(lvl)) return;
    const std::string key = rate_limiter::similarity_key(venue, message);
    const auto v = limiter_.admit(key, static_cast<std::uint8_t>(level), now);
    if (v.suppressed > 0) report_suppressed(key, v.suppressed, v.suppressed_tag);
    if (v.log) daemon_support::log(*logger_, lvl, message, {{"exchange", venue}});
  } catch (...) {  // bad_alloc: the line is lost, the feed is not
  }
}

void feed_log_adapter::flush_suppressed(rate_limiter::clock::time_point now) noexcept {
  try {
    for (const auto& c : limiter_.drain(now)) report_suppressed(c.key, c.suppressed, c.tag);
  } catch (...) {
  }
}

void feed_log_adapter::report_suppressed(std::string_view key, std::uint64_t count,
                                         std::uint8_t level) {
  const auto sep = key.find('\x1f');
  const std::string_view venue = key.substr(0, sep);
  const std::string_view like = sep == std::string_view::npos ? key : key.substr(sep + 1);
  const std::string msg = "suppressed " + std::to_string(count) + " similar messages";
  daemon_support::log(*logger_, to_spdlog(static_cast<feed::log_level>(level)), msg,
                      {{"exchange", venue}, {"like", like}});
}

}  // namespace depthmon::daemon_support
