// core/ascii_case.hpp — ASCII upper/lower-casing of identifiers (venue symbols, vendor market
// ids); locale-independent because symbols are ASCII on every venue.
//
// Threads: pure functions. Errors: none.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace depthmon::core {

inline std::string ascii_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace depthmon::core
