// core/json_escape.hpp — the project's one JSON string writer.
//
// Every JSON text the project builds by hand (book JSON, venue subscribe frames, REST bodies)
// writes its strings through here, so quoting cannot differ between writers: `"` and `\` are
// backslash-escaped, \n \r \t get their short forms, other control bytes become \u00XX, and
// every other byte (UTF-8 included) is copied as is.
//
// Threads: pure functions. Errors: none (any byte sequence has an escaped form).
#pragma once

#include <string>
#include <string_view>

namespace depthmon::core {

// Appends `s` as a quoted JSON string literal.
void append_json_string(std::string& out, std::string_view s);

// `s` as a quoted JSON string literal.
std::string json_string(std::string_view s);

}  // namespace depthmon::core
