#include "watch_config.hpp"

// Debian's toml++ is the compiled library built with exceptions: a parse error is caught here,
// once, at start-up (never on a hot path) and turned into the one-line message.
#include <toml++/toml.h>

namespace depthmon::cli {
namespace {

bool string_key(const toml::table& t, const char* key, std::string& out, std::string& error,
                const std::string& where) {
  const toml::node* n = t.get(key);
  if (!n) return true;
  if (!n->is_string()) {
    error = where + ": '" + key + "' must be a string";
    return false;
  }
  out = n->as_string()->get();
  return true;
}

std::string where_of(const std::string& path, const toml::node& n, const std::string& what) {
  const auto& src = n.source();
  return path + ":" + std::to_string(src.begin.line) + ": " + what;
}

}  // namespace

bool read_watch_config(const std::string& path, watch_config& out, std::string& error) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    error = path + ":" + std::to_string(e.source().begin.line) + ": " + std::string(e.description());
    return false;
  }
  if (!string_key(root, "state_dir", out.state_dir, error, path)) return false;
  const toml::node* venues = root.get("venue");
  if (!venues || !venues->is_array_of_tables()) {
    error = path + ": no [[venue]] tables";
    return false;
  }
  for (const toml::node& vn : *venues->as_array()) {
    const toml::table& t = *vn.as_table();
    const std::string where = where_of(path, vn, "[[venue]]");
    feed::venue_config c;
    if (!string_key(t, "name", c.name, error, where) || !string_key(t, "ws_url", c.ws_url, error, where) ||
        !string_key(t, "rest_url", c.rest_url, error, where) ||
        !string_key(t, "ca_file", c.ca_file, error, where))
      return false;
    if (c.name.empty()) {
      error = where + ": 'name' is required";
      return false;
    }
    const toml::node* syms = t.get("symbols");
    if (!syms || !syms->is_array()) {
      error = where + ": 'symbols' must be an array of strings";
      return false;
    }
    for (const toml::node& s : *syms->as_array()) {
      if (!s.is_string()) {
        error = where_of(path, s, "'symbols' must be an array of strings");
        return false;
      }
      c.symbols.push_back(s.as_string()->get());
    }
    if (const toml::node* st = t.get("settings")) {
      if (!st->is_table()) {
        error = where_of(path, *st, "'settings' must be a table of strings");
        return false;
      }
      for (const auto& [k, v] : *st->as_table()) {
        if (!v.is_string()) {
          error = where_of(path, v, "setting '" + std::string(k.str()) + "' must be a string");
          return false;
        }
        c.settings[std::string(k.str())] = v.as_string()->get();
      }
    }
    out.venues.push_back(std::move(c));
  }
  return true;
}

}  // namespace depthmon::cli
