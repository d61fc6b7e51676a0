#include "support/logging.hpp"

#include "support/redact.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <sys/stat.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace depthmon::daemon_support {
namespace {

// The fields of the log() call being formatted on this thread (see the header's Threads note).
thread_local std::span<const log_field> t_fields;

void append(spdlog::memory_buf_t& out, std::string_view s) { out.append(s.data(), s.data() + s.size()); }

// Length of the valid UTF-8 sequence at s[i], or 0 when the bytes there are not one.
std::size_t utf8_sequence(std::string_view s, std::size_t i) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  std::size_t n = 0;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) n = 3;
  else if (c >= 0xF0 && c <= 0xF4) n = 4;
  else return 0;
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  // Overlong, surrogate and beyond-U+10FFFF forms.
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;
  if (c == 0xED && b(i + 1) > 0x9F) return 0;
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;
  if (c == 0xF4 && b(i + 1) > 0x8F) return 0;
  return n;
}

// A JSON string; bytes that are not UTF-8 (a venue's error text can carry anything) become
// U+FFFD so every line stays valid JSON.
void append_json_string(spdlog::memory_buf_t& out, std::string_view s) {
  out.push_back('"');
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    switch (c) {
      case '"': append(out, "\\\""); break;
      case '\\': append(out, "\\\\"); break;
      case '\n': append(out, "\\n"); break;
      case '\r': append(out, "\\r"); break;
      case '\t': append(out, "\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          append(out, buf);
        } else if (static_cast<unsigned char>(c) < 0x80) {
          out.push_back(c);
        } else if (const std::size_t n = utf8_sequence(s, i); n > 0) {
          append(out, s.substr(i, n));
          i += n - 1;
        } else {
          append(out, "\xEF\xBF\xBD");  // U+FFFD
        }
    }
  }
  out.push_back('"');
}

// One line per event, whatever the message holds: a newline would start an unprefixed journal
// line (logged at the default priority) or break a line-oriented reader.
void append_one_line(spdlog::memory_buf_t& out, std::string_view s) {
  for (const char c : s) {
    if (c == '\n') append(out, "\\n");
    else if (c == '\r') append(out, "\\r");
    else out.push_back(c);
  }
}

// logfmt value: bare when safe, else quoted with \" and \\ escaped.
void append_logfmt_value(spdlog::memory_buf_t& out, std::string_view v) {
  const bool bare = !v.empty() && v.find_first_of(" =\"\\\n\r\t") == std::string_view::npos;
  if (bare) return append(out, v);
  out.push_back('"');
  for (const char c : v) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') append(out, "\\n");
    else out.push_back(c);
  }
  out.push_back('"');
}

void append_time(spdlog::memory_buf_t& out, spdlog::log_clock::time_point tp) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(tp.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(us.count() / 1'000'000);
  std::tm tm{};
  ::gmtime_r(&secs, &tm);
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                              tm.tm_sec, static_cast<int>(us.count() % 1'000'000));
  out.append(buf, buf + n);
}

class line_formatter final : public spdlog::formatter {
 public:
  explicit line_formatter(log_format f) : f_(f) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const std::string text =
        redact_secrets(std::string_view(msg.payload.data(), msg.payload.size()));
    switch (f_) {
      case log_format::json: {
        append(dest, "{\"time\":\"");
        append_time(dest, msg.time);
        append(dest, "\",\"level\":\"");
        append(dest, level_name(msg.level));
        append(dest, "\",\"msg\":");
        append_json_string(dest, text);
        for (const auto& f : t_fields) {
          dest.push_back(',');
          append_json_string(dest, f.key);
          dest.push_back(':');
          append_json_string(dest, redact_secrets(f.value));
        }
        append(dest, "}\n");
        return;
      }
      case log_format::journal: {
        dest.push_back('<');
        dest.push_back(static_cast<char>('0' + syslog_priority(msg.level)));
        dest.push_back('>');
        break;
      }
      case log_format::automatic:
      case log_format::text: {
        append_time(dest, msg.time);
        dest.push_back(' ');
        const auto name = level_name(msg.level);
        append(dest, name);
        for (std::size_t i = name.size(); i < 5; ++i) dest.push_back(' ');
        dest.push_back(' ');
        break;
      }
    }
    append_one_line(dest, text);
    for (const auto& f : t_fields) {
      dest.push_back(' ');
      append(dest, f.key);
      dest.push_back('=');
      append_logfmt_value(dest, redact_secrets(f.value));
    }
    dest.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<line_formatter>(f_);
  }

 private:
  log_format f_;
};

}  // namespace

std::optional<log_format> parse_log_format(std::string_view s) noexcept {
  if (s == "auto") return log_format::automatic;
  if (s == "text") return log_format::text;
  if (s == "json") return log_format::json;
  if (s == "journal") return log_format::journal;
  return std::nullopt;
}

std::string_view to_string(log_format f) noexcept {
  switch (f) {
    case log_format::automatic: return "auto";
    case log_format::text: return "text";
    case log_format::json: return "json";
    case log_format::journal: return "journal";
  }
  return "?";
}

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view s) noexcept {
  if (s == "debug") return spdlog::level::debug;
  if (s == "info") return spdlog::level::info;
  if (s == "warn") return spdlog::level::warn;
  if (s == "error") return spdlog::level::err;
  return std::nullopt;
}

bool fd_is_journal_stream(int fd, const char* journal_stream) noexcept {
  if (journal_stream == nullptr) return false;
  const std::string_view js(journal_stream);
  const auto colon = js.find(':');
  if (colon == std::string_view::npos) return false;
  unsigned long long dev = 0, ino = 0;
  const auto* b = js.data();
  if (std::from_chars(b, b + colon, dev).ec != std::errc{}) return false;
  const auto r = std::from_chars(b + colon + 1, b + js.size(), ino);
  if (r.ec != std::errc{} || r.ptr != b + js.size()) return false;
  struct stat st{};
  if (::fstat(fd, &st) != 0) return false;
  return static_cast<unsigned long long>(st.st_dev) == dev &&
         static_cast<unsigned long long>(st.st_ino) == ino;
}

log_format resolve(log_format requested) noexcept {
  if (requested != log_format::automatic) return requested;
  return fd_is_journal_stream(2, std::getenv("JOURNAL_STREAM")) ? log_format::journal
                                                                 : log_format::text;
}

int syslog_priority(spdlog::level::level_enum level) noexcept {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug: return 7;     // SD_DEBUG
    case spdlog::level::info: return 6;      // SD_INFO
    case spdlog::level::warn: return 4;      // SD_WARNING
    case spdlog::level::err: return 3;       // SD_ERR
    case spdlog::level::critical: return 2;  // SD_CRIT
    default: return 6;
  }
}

std::string_view level_name(spdlog::level::level_enum level) noexcept {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug: return "debug";
    case spdlog::level::info: return "info";
    case spdlog::level::warn: return "warn";
    case spdlog::level::err: return "error";
    case spdlog::level::critical: return "critical";
    default: return "info";
  }
}

std::unique_ptr<spdlog::formatter> make_formatter(log_format resolved) {
  return std::make_unique<line_formatter>(resolved);
}

std::shared_ptr<spdlog::logger> make_logger(std::string name, log_format requested,
                                            spdlog::sink_ptr sink) {
  if (!sink) sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(make_formatter(resolve(requested)));
  auto logger = std::make_shared<spdlog::logger>(std::move(name), std::move(sink));
  logger->set_level(spdlog::level::info);
  return logger;
}

void log(spdlog::logger& logger, spdlog::level::level_enum level, std::string_view message,
         std::span<const log_field> fields) {
  if (!logger.should_log(level)) return;
  // Restored (not cleared) so a sink that itself logs cannot drop the outer call's fields.
  const auto saved = t_fields;
  t_fields = fields;
  logger.log(level, spdlog::string_view_t(message.data(), message.size()));
  t_fields = saved;
}

}  // namespace depthmon::daemon_support
