// feed/log_sink.hpp — where a feed's log lines go: an interface, so lib/feed needs no logging
// library (the CLI writes to stderr, the daemon will route to spdlog/journald, tests collect).
//
// The feed logs state transitions and connection events, each once when it happens, never
// once per message.
//
// Threads: called on the feed's io thread; an implementation shared by several feeds on
// several threads must synchronise itself. Errors: a sink must not throw.
#pragma once

#include <cstdint>
#include <string_view>

namespace depthmon::feed {

enum class log_level : std::uint8_t { debug, info, warn, error };

constexpr std::string_view to_string(log_level l) noexcept {
  switch (l) {
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warn: return "warn";
    case log_level::error: return "error";
  }
  return "?";
}

class log_sink {
 public:
  virtual void log(log_level level, std::string_view venue, std::string_view message) = 0;

 protected:
  ~log_sink() = default;
};

}  // namespace depthmon::feed
