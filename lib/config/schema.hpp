// config/schema.hpp — which keys each table of depthmon.toml may hold: the one list the
// unknown-key check reads.
//
// A row names a table by its path: "" is the root, "http" a table, "venue[]" the tables of an
// array of tables, "venue[].settings" a table inside them. A table's valid keys are its row's
// keys plus every table the schema lists one level below it, so a new table (issue 9's
// [alert], [[receiver]]) is one new row. Free-form tables (venue settings, basic-auth users)
// are judged by whoever reads them, not by key name.
//
// Threads: immutable data. Errors: none (lookups return nullptr).
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace depthmon::config {

struct table_schema {
  std::string_view path;
  std::vector<std::string_view> keys;  // scalar and array keys; child tables come from other rows
  bool free_form = false;
};

std::span<const table_schema> schema();
const table_schema* find_table(std::string_view path) noexcept;

}  // namespace depthmon::config
