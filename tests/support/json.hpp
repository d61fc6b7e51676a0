// tests/support/json.hpp — read expected-answer files and book JSON in tests (simdjson DOM),
// and compare decimal strings by exact value ("0.35290000" == "0.3529").
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>

#include "core/decimal.hpp"

namespace depthmon::test {

inline simdjson::dom::element parse_json(simdjson::dom::parser& p, const std::string& text) {
  return p.parse(text);  // throws simdjson_error on bad JSON: a test failure
}

// Exact equality of two decimal texts (trailing zeros and notation ignored).
inline bool same_decimal(std::string_view a, std::string_view b) {
  auto da = core::parse_decimal(a);
  auto db = core::parse_decimal(b);
  return da && db && *da == *db;
}

// The first `"key":` value in a flat JSON text, unquoted (strings) or as written (numbers,
// literals); empty when absent. For quick looks at one field of a daemon's answer.
inline std::string json_field(const std::string& json, const std::string& key) {
  const auto at = json.find("\"" + key + "\":");
  if (at == std::string::npos) return {};
  std::size_t from = at + key.size() + 3;
  if (json[from] == '"') return json.substr(from + 1, json.find('"', from + 1) - from - 1);
  return json.substr(from, json.find_first_of(",}", from) - from);
}

inline std::string str(simdjson::dom::element e) { return std::string(std::string_view(e)); }

}  // namespace depthmon::test
