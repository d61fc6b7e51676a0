// support/logging.hpp — the daemon's log output on spdlog: one line per event on stderr, as
// journald wants it under systemd, as text for a terminal, or as one JSON object per line for
// log shippers; structured fields (exchange=..., symbol=...) in every format.
//
// Formats (config `log.format` / flag): `journal` writes "<N>message key=value" with the syslog
// priority of sd-daemon(3) (SD_ERR "<3>" ...) and no timestamp (journald stamps and strips the
// prefix into PRIORITY=); `text` writes "2026-12-02T03:15:40.123456Z warn  message key=value";
// `json` writes {"time":"...","level":"warn","msg":"...","exchange":"kraken"}; `auto` picks
// journal when stderr is the stream systemd connected to the journal ($JOURNAL_STREAM equals
// stderr's "dev:inode", systemd.exec(5)), else text. Every line passes redact_secrets().
//
// Threads: the logger make_logger() builds is synchronous and thread-safe (spdlog _mt sink:
// one mutex around format + write). log() hands its fields to the formatter through a
// thread-local for the duration of that one synchronous call, which is why the logger must not
// be made asynchronous. Feed threads log state transitions only (feed::log_sink's rule), and
// the rate limiter caps storms, so the write stays off every per-message path.
// Errors: nothing thrown to callers; spdlog's own error handler reports a failed write.
#pragma once

#include <spdlog/logger.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace depthmon::daemon_support {

enum class log_format : std::uint8_t { automatic, text, json, journal };

std::optional<log_format> parse_log_format(std::string_view s) noexcept;  // auto|text|json|journal
std::string_view to_string(log_format f) noexcept;
// The config/flag level names: debug|info|warn|error (the names level_name() writes).
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view s) noexcept;

// True when fd's device and inode equal `journal_stream` ("<dev>:<inode>", decimal).
bool fd_is_journal_stream(int fd, const char* journal_stream) noexcept;
// `automatic` becomes journal or text by $JOURNAL_STREAM and stderr; others are returned as is.
log_format resolve(log_format requested) noexcept;

// sd-daemon(3) priority of a level: trace/debug 7, info 6, warn 4, err 3, critical 2.
int syslog_priority(spdlog::level::level_enum level) noexcept;
// Level names in text and JSON: debug, info, warn, error, critical.
std::string_view level_name(spdlog::level::level_enum level) noexcept;

struct log_field {
  std::string_view key;
  std::string_view value;
};

// The formatter of a resolved format (automatic is treated as text).
std::unique_ptr<spdlog::formatter> make_formatter(log_format resolved);

// A synchronous logger writing to `sink` (stderr when null) in `requested` (resolved here).
std::shared_ptr<spdlog::logger> make_logger(std::string name, log_format requested,
                                            spdlog::sink_ptr sink = nullptr);

// Logs `message` with structured fields (JSON members; key=value after the message otherwise).
void log(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
         std::span<const log_field> fields = {});
inline void log(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
                std::initializer_list<log_field> fields) {
  log(logger, level, message, std::span<const log_field>(fields.begin(), fields.size()));
}

}  // namespace depthmon::daemon_support
