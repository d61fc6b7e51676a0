#include "config/config.hpp"

// Debian's toml++ is the compiled library built with exceptions: a syntax error is caught here,
// once, at start-up or reload (never on a hot path) and becomes a config_error.
#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <toml++/toml.h>
#include <tuple>

#include "config/schema.hpp"
#include "config/suggest.hpp"
#include "depth/bands.hpp"
#include "venues/registry.hpp"

namespace depthmon::config {
namespace {

namespace fs = std::filesystem;

std::string_view type_name(toml::node_type t) noexcept {
  switch (t) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

// A key as TOML writes it in a dotted path: bare when it can be, else quoted
// (venue[0].settings."precision.BTC/USD").
std::string dotted(const std::string& prefix, std::string_view key) {
  const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  const std::string k = bare ? std::string(key) : "\"" + std::string(key) + "\"";
  return prefix.empty() ? k : prefix + "." + k;
}

std::string at_text(const toml::source_region& r) {
  return std::to_string(r.begin.line) + ":" + std::to_string(r.begin.column);
}

// Everything one parse reports into: the file name for errors and the directory relative paths
// are resolved against.
struct context {
  std::string file;
  fs::path base_dir;
  std::vector<config_error>& errors;

  void error(const toml::source_region& at, std::string key, std::string message) {
    errors.push_back({file, at.begin.line, at.begin.column, std::move(key), std::move(message)});
  }
  void error(const toml::node& at, std::string key, std::string message) {
    error(at.source(), std::move(key), std::move(message));
  }

  std::string resolve(const std::string& p) const {
    if (p.empty() || fs::path(p).is_absolute() || base_dir.empty()) return p;
    return (base_dir / p).lexically_normal().string();
  }
};

// ---- unknown keys ---------------------------------------------------------------------------

// Valid keys of the table at schema path `path`: its own keys plus every child table the schema
// lists one level below it.
std::vector<std::string> valid_keys(const table_schema& row) {
  std::vector<std::string> out(row.keys.begin(), row.keys.end());
  const std::string prefix = row.path.empty() ? std::string() : std::string(row.path) + ".";
  for (const table_schema& r : schema()) {
    std::string_view p = r.path;
    if (p.empty() || !p.starts_with(prefix) || p == row.path) continue;
    p.remove_prefix(prefix.size());
    if (p.ends_with("[]")) p.remove_suffix(2);
    if (p.find('.') == std::string_view::npos && std::find(out.begin(), out.end(), p) == out.end())
      out.emplace_back(p);
  }
  return out;
}

void check_keys(context& cx, const toml::table& t, const std::string& path, const std::string& where) {
  const table_schema* row = find_table(path);
  if (!row || row->free_form) return;
  const std::vector<std::string> valid = valid_keys(*row);
  const std::string child_prefix = path.empty() ? std::string() : path + ".";
  for (const auto& [k, v] : t) {
    const std::string_view key = k.str();
    if (std::find(valid.begin(), valid.end(), key) == valid.end()) {
      cx.error(k.source(), dotted(where, key),
               "unknown key " + in_quotes(key) + did_you_mean(key, valid) + "; valid here: " + join(valid));
      continue;
    }
    const std::string child = child_prefix + std::string(key);
    if (v.is_table() && find_table(child)) {
      check_keys(cx, *v.as_table(), child, dotted(where, key));
    } else if (v.is_array() && find_table(child + "[]")) {
      std::size_t i = 0;
      for (const toml::node& e : *v.as_array()) {
        if (e.is_table())
          check_keys(cx, *e.as_table(), child + "[]", dotted(where, key) + "[" + std::to_string(i) + "]");
        ++i;
      }
    }
  }
}

// ---- typed values ---------------------------------------------------------------------------

// A key's value in table `t` at dotted path `where`, with its type checked; std::nullopt when
// absent or wrong (the latter reported).
class reader {
 public:
  reader(context& cx, const toml::table& t, std::string where) : cx_(cx), t_(t), where_(std::move(where)) {}

  const toml::table& table() const noexcept { return t_; }
  const std::string& where() const noexcept { return where_; }
  std::string key(std::string_view k) const { return dotted(where_, k); }
  const toml::node* node(std::string_view k) const { return t_.get(k); }
  context& cx() const noexcept { return cx_; }

  void missing(std::string_view k, std::string_view expected) const {
    cx_.error(t_.source(), key(k), "missing; expected " + std::string(expected));
  }
  void wrong(const toml::node& n, std::string_view k, std::string_view expected) const {
    cx_.error(n, key(k), "expected " + std::string(expected) + ", found " + std::string(type_name(n.type())));
  }

  // A value of exactly type T (no conversions: "2" is not an integer).
  template <class T>
  std::optional<T> exact(std::string_view k, std::string_view expected) const {
    const toml::node* n = node(k);
    if (!n) return std::nullopt;
    if (auto v = n->value_exact<T>()) return v;
    wrong(*n, k, expected);
    return std::nullopt;
  }
  std::optional<std::string> string(std::string_view k) const { return exact<std::string>(k, "a string"); }
  std::optional<bool> boolean(std::string_view k) const { return exact<bool>(k, "a boolean (true or false)"); }

  // An integer in [lo, hi].
  std::optional<std::int64_t> integer(std::string_view k, std::int64_t lo, std::int64_t hi) const {
    const toml::node* n = node(k);
    if (!n) return std::nullopt;
    const std::string expected = "an integer in " + std::to_string(lo) + ".." + std::to_string(hi);
    if (!n->is_integer()) {
      wrong(*n, k, expected);
      return std::nullopt;
    }
    const std::int64_t v = n->as_integer()->get();
    if (v < lo || v > hi) {
      cx_.error(*n, key(k), "expected " + expected + ", found " + std::to_string(v));
      return std::nullopt;
    }
    return v;
  }

  // Seconds (integer or float) in (0, max_s], as milliseconds.
  std::optional<std::chrono::milliseconds> seconds(std::string_view k, double max_s) const {
    const toml::node* n = node(k);
    if (!n) return std::nullopt;
    char max_text[32];
    std::snprintf(max_text, sizeof max_text, "%g", max_s);
    const std::string expected = std::string("seconds in 0.001..") + max_text;
    double v = 0;
    if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
    else if (n->is_floating_point()) v = n->as_floating_point()->get();
    else {
      wrong(*n, k, expected);
      return std::nullopt;
    }
    if (!(v >= 0.001 && v <= max_s)) {
      cx_.error(*n, key(k), "expected " + expected + ", found " + scalar_text(*n));
      return std::nullopt;
    }
    return std::chrono::milliseconds(static_cast<std::int64_t>(v * 1000 + 0.5));
  }

  // A path to a file that must be readable now, resolved against the config's directory; with
  // `pem`, a PEM file holding a block whose label contains it ("CERTIFICATE", "PRIVATE KEY"),
  // so a swapped or wrong file is caught here rather than by the TLS setup at start.
  std::optional<std::string> readable_file(std::string_view k, std::string_view pem = {}) const {
    auto s = string(k);
    if (!s) return std::nullopt;
    if (s->empty()) return s;
    std::string p = cx_.resolve(*s);
    std::ifstream f(p, std::ios::binary);
    if (!f || ::access(p.c_str(), R_OK) != 0) {
      cx_.error(*node(k), key(k), "cannot read " + in_quotes(*s) + " (" + std::strerror(errno) + ")");
      return std::nullopt;
    }
    if (!pem.empty()) {
      std::string head(64 * 1024, '\0');
      f.read(head.data(), static_cast<std::streamsize>(head.size()));
      head.resize(static_cast<std::size_t>(f.gcount()));
      const auto begin = head.find("-----BEGIN ");
      const auto end = begin == std::string::npos ? begin : head.find("-----", begin + 11);
      if (end == std::string::npos || head.substr(begin + 11, end - begin - 11).find(pem) == std::string::npos) {
        cx_.error(*node(k), key(k), in_quotes(*s) + " is not a PEM file with a " + std::string(pem) + " block");
        return std::nullopt;
      }
    }
    return p;
  }

  // One of `choices`.
  std::optional<std::string> choice(std::string_view k, const std::vector<std::string>& choices) const {
    auto s = string(k);
    if (!s) return std::nullopt;
    if (std::find(choices.begin(), choices.end(), *s) == choices.end()) {
      cx_.error(*node(k), key(k),
                "unknown value " + in_quotes(*s) + did_you_mean(*s, choices) + "; expected one of " + join(choices));
      return std::nullopt;
    }
    return s;
  }

  // A scalar's text as a setting takes it (strings as they are, numbers and booleans printed).
  static std::optional<std::string> scalar_as_text(const toml::node& n) {
    if (n.is_string()) return n.as_string()->get();
    if (n.is_integer() || n.is_floating_point() || n.is_boolean()) return scalar_text(n);
    return std::nullopt;
  }

  static std::string scalar_text(const toml::node& n) {
    if (n.is_string()) return "\"" + n.as_string()->get() + "\"";
    if (n.is_integer()) return std::to_string(n.as_integer()->get());
    if (n.is_boolean()) return n.as_boolean()->get() ? "true" : "false";
    if (n.is_floating_point()) {
      // Shortest text that reads back as the same double: what the user wrote, for any
      // decimal of up to 15 significant digits.
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, n.as_floating_point()->get());
      std::string out(buf, r.ptr);
      if (out.find_first_of(".eIn") == std::string::npos) out += ".0";  // a float stays one: 2.0
      return out;
    }
    if (n.is_date_time() && !n.as_date_time()->get().offset) return "a local date-time (no offset)";
    return std::string(type_name(n.type()));
  }

 private:
  context& cx_;
  const toml::table& t_;
  std::string where_;
};

// A decimal given as a string ("0.25"), an integer or a float (read back through its shortest
// text, so 0.1 is exactly 0.1).
std::optional<core::decimal> decimal_of(const toml::node& n) {
  std::string text;
  if (n.is_string()) text = n.as_string()->get();
  else if (n.is_integer() || n.is_floating_point()) text = reader::scalar_text(n);
  else return std::nullopt;
  auto d = core::parse_decimal(text);
  if (!d) return std::nullopt;
  return d.value();
}

bool positive(core::decimal d) noexcept { return d.mantissa > 0; }

// ---- top level and [http] ------------------------------------------------------------------

// host:port as net::parse_listen takes it (IPv4, [IPv6] or localhost; port 0..65535), kept here
// so the config needs no Asio; config_cli_test holds the two to the same answers.
bool valid_listen(std::string_view text) {
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return false;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos || text.find(':') != colon) return false;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned p = 0;
  auto r = std::from_chars(port.data(), port.data() + port.size(), p);
  if (port.empty() || port.size() > 5 || r.ec != std::errc() || r.ptr != port.data() + port.size() || p > 65535)
    return false;
  std::string h(host);
  for (char& c : h) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (h == "localhost") return true;
  unsigned char buf[16];
  return ::inet_pton(AF_INET, h.c_str(), buf) == 1 || ::inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

void read_http(const reader& r, http_config& h) {
  if (auto v = r.string("listen")) {
    if (valid_listen(*v)) h.listen = *v;
    else
      r.cx().error(*r.node("listen"), r.key("listen"),
                   "expected host:port (an IPv4 address, [IPv6] or localhost, port 0..65535), found " +
                       in_quotes(*v));
  }
  if (auto v = r.readable_file("cert_file", "CERTIFICATE")) h.cert_file = *v;
  if (auto v = r.readable_file("key_file", "PRIVATE KEY")) h.key_file = *v;
  const toml::node* cert = r.node("cert_file");
  const toml::node* key = r.node("key_file");
  if ((cert != nullptr) != (key != nullptr)) {
    const std::string_view given = cert ? "cert_file" : "key_file", other = cert ? "key_file" : "cert_file";
    r.cx().error(*(cert ? cert : key), r.key(given),
                 "TLS needs both cert_file and key_file: " + std::string(other) + " is missing");
  }
  if (const toml::node* users = r.node("basic_auth_users")) {
    if (!users->is_table()) {
      r.wrong(*users, "basic_auth_users", "a table of user = \"credential file\"");
    } else {
      const reader u(r.cx(), *users->as_table(), r.key("basic_auth_users"));
      for (const auto& [k, v] : *users->as_table()) {
        const std::string name(k.str());
        if (name.empty() || name.find(':') != std::string::npos) {
          r.cx().error(k.source(), u.key(name), "a user name must be non-empty and contain no ':'");
          continue;
        }
        if (auto p = u.readable_file(name)) h.basic_auth_users[name] = *p;
      }
    }
  }
  if (auto v = r.integer("max_connections", 1, 100'000)) h.max_connections = static_cast<std::size_t>(*v);
  if (auto v = r.integer("max_header_bytes", 1024, 1 << 20)) h.max_header_bytes = static_cast<std::size_t>(*v);
  if (auto v = r.seconds("request_timeout_s", 3600)) h.request_timeout = *v;
}

void read_log(const reader& r, log_config& l) {
  if (auto v = r.choice("format", {"auto", "text", "json", "journal"})) l.format = *v;
  if (auto v = r.choice("level", {"trace", "debug", "info", "warn", "error"})) l.level = *v;
}

// ---- [depth] --------------------------------------------------------------------------------

// A non-empty array at `k` whose items `parse` accepts (each else reported, "expected
// `item_expected`"), without duplicates; nullopt when absent or anything is wrong.
template <class T, class Parse, class Text>
std::optional<std::vector<T>> unique_list(const reader& r, std::string_view k, std::string_view list_expected,
                                          std::string_view item_expected, std::string_view what, Parse&& parse,
                                          Text&& text) {
  const toml::node* n = r.node(k);
  if (!n) return std::nullopt;
  if (!n->is_array() || n->as_array()->empty()) {
    r.cx().error(*n, r.key(k), "expected " + std::string(list_expected));
    return std::nullopt;
  }
  std::vector<T> out;
  bool ok = true;
  std::size_t i = 0;
  for (const toml::node& e : *n->as_array()) {
    const std::string key = r.key(k) + "[" + std::to_string(i++) + "]";
    const std::optional<T> v = parse(e);
    if (!v) {
      r.cx().error(e, key, "expected " + std::string(item_expected) + ", found " + reader::scalar_text(e));
      ok = false;
    } else if (std::find(out.begin(), out.end(), *v) != out.end()) {
      r.cx().error(e, key, "duplicate " + std::string(what) + " " + text(*v));
      ok = false;
    } else {
      out.push_back(*v);
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

void read_depth(const reader& r, depth_config& d) {
  // Each band through depth::parse_bands: the daemon's own rule for a band.
  auto band = [](const toml::node& e) -> std::optional<core::decimal> {
    auto v = decimal_of(e);
    if (!v || !depth::parse_bands(core::to_string(*v))) return std::nullopt;
    return v;
  };
  if (auto bands = unique_list<core::decimal>(r, "bands_pct", "a non-empty array of percentages (e.g. [0.5, 2])",
                                              "a percentage greater than 0 and less than 100", "band", band,
                                              [](core::decimal v) { return core::to_string(v); })) {
    if (bands->size() > depth::max_bands) {
      r.cx().error(*r.node("bands_pct"), r.key("bands_pct"),
                   "at most " + std::to_string(depth::max_bands) + " bands, found " + std::to_string(bands->size()));
    } else {
      std::sort(bands->begin(), bands->end(), [](core::decimal a, core::decimal b) {
        return core::compare_scaled(a.mantissa, a.scale, b.mantissa, b.scale) < 0;
      });
      d.bands_pct = std::move(*bands);
    }
  }
  if (const toml::node* n = r.node("headline_pct")) {
    auto v = decimal_of(*n);
    if (!v || !positive(*v)) r.cx().error(*n, r.key("headline_pct"), "expected a percentage, found " + reader::scalar_text(*n));
    else if (std::find(d.bands_pct.begin(), d.bands_pct.end(), *v) == d.bands_pct.end())
      r.cx().error(*n, r.key("headline_pct"), "the headline band " + core::to_string(*v) + " is not among bands_pct");
    else d.headline_pct = *v;
  } else if (std::find(d.bands_pct.begin(), d.bands_pct.end(), d.headline_pct) == d.bands_pct.end()) {
    const toml::node* bands = r.node("bands_pct");
    r.cx().error(bands ? bands->source() : r.table().source(), r.key("bands_pct"),
                 "the headline band " + core::to_string(d.headline_pct) +
                     " (headline_pct's default) is not among bands_pct; add it or set headline_pct");
  }
  auto usd = [](const toml::node& e) -> std::optional<std::int64_t> {
    const auto v = e.value_exact<std::int64_t>();
    if (!v || *v < 1 || *v > 1'000'000'000'000) return std::nullopt;
    return v;
  };
  if (auto n = unique_list<std::int64_t>(r, "impact_notionals_usd", "a non-empty array of whole USD amounts",
                                         "whole USD in 1..1000000000000", "notional", usd,
                                         [](std::int64_t v) { return std::to_string(v); })) {
    std::sort(n->begin(), n->end());
    d.impact_notionals_usd = std::move(*n);
  }
}

// ---- [history] ------------------------------------------------------------------------------

void read_history(const reader& r, history_config& h) {
  if (auto v = r.boolean("enabled")) h.enabled = *v;
  if (auto v = r.string("file")) {
    if (v->empty()) r.cx().error(*r.node("file"), r.key("file"), "expected a file name (relative to state_dir) or a path, found an empty string");
    else h.file = *v;  // relative to state_dir, joined by the daemon (--state-dir moves it too)
  }
  if (auto v = r.integer("retention_days", 1, 36'500)) h.retention = std::chrono::hours(24 * *v);
  if (auto v = r.integer("trailing_window_h", 1, 24 * 366)) h.trailing_window = std::chrono::hours(*v);
  if (auto v = r.integer("min_samples", 1, 1'000'000'000)) h.min_samples = static_cast<std::uint64_t>(*v);
  // The trailing fallback reads the last trailing_window of history: pruning must keep it.
  if (h.trailing_window > h.retention) {
    const toml::node* n = r.node("trailing_window_h");
    r.cx().error(n ? n->source() : r.table().source(), r.key("trailing_window_h"),
                 "the trailing window (" + std::to_string(h.trailing_window.count()) +
                     " h) is longer than the retention (" + std::to_string(h.retention.count() / 24) +
                     " days): its older part would be pruned");
  }
}

// ---- [recording] ----------------------------------------------------------------------------

void read_recording(const reader& r, recording_config& c) {
  if (auto v = r.boolean("enabled")) c.enabled = *v;
  if (auto v = r.string("dir")) {
    // Under state_dir by design: an absolute path or '..' would write elsewhere.
    const fs::path p(*v);
    bool escapes = v->empty() || p.is_absolute();
    for (const auto& part : p) escapes = escapes || part == "..";
    if (escapes) r.cx().error(*r.node("dir"), r.key("dir"), "expected a relative directory under state_dir (no '..'), found \"" + *v + "\"");
    else c.dir = *v;
  }
  if (auto v = r.integer("rotate_bytes", 1 << 16, std::int64_t{1} << 40)) c.rotate_bytes = static_cast<std::uint64_t>(*v);
  if (auto v = r.integer("rotate_interval_min", 1, 7 * 24 * 60)) c.rotate_interval = std::chrono::minutes(*v);
  if (auto v = r.integer("max_total_bytes", 1 << 20, std::int64_t{1} << 50)) c.max_total_bytes = static_cast<std::uint64_t>(*v);
  if (auto v = r.integer("queue_bytes", 1 << 16, std::int64_t{1} << 32)) c.queue_bytes = static_cast<std::uint64_t>(*v);
}

// ---- [baseline] -----------------------------------------------------------------------------

std::optional<core::unix_nanos> timestamp_of(const toml::node& n) {
  std::string text;
  if (n.is_string()) {
    text = n.as_string()->get();
  } else if (n.is_date_time()) {
    const toml::date_time& dt = n.as_date_time()->get();
    if (!dt.offset) return std::nullopt;  // a local date-time names no instant
    std::ostringstream ss;
    ss << dt;
    text = ss.str();
  } else {
    return std::nullopt;
  }
  auto t = core::parse_rfc3339(text);
  if (!t) return std::nullopt;
  return t.value();
}

void read_baseline(const reader& r, baseline_config& b) {
  if (auto v = r.string("file")) b.file = r.cx().resolve(*v);
  for (auto [k, out] : {std::pair<std::string_view, core::unix_nanos*>{"window_start", &b.window_start},
                        {"window_end", &b.window_end}}) {
    const toml::node* n = r.node(k);
    if (!n) continue;
    if (auto t = timestamp_of(*n)) *out = *t;
    else r.cx().error(*n, r.key(k), "expected an RFC 3339 instant with offset (2025-10-01T00:00:00Z), found " + reader::scalar_text(*n));
  }
  if (b.window_start >= b.window_end) {
    const toml::node* n = r.node("window_end");
    r.cx().error(n ? n->source() : r.table().source(), r.key("window_end"),
                 "the baseline window must end after it starts");
  }
  if (const toml::node* n = r.node("quantile")) {
    const double q = n->is_floating_point() ? n->as_floating_point()->get() : -1;
    if (!(q > 0 && q < 1)) r.cx().error(*n, r.key("quantile"), "expected a float between 0 and 1 (0.5 = median), found " + reader::scalar_text(*n));
    else b.quantile = q;
  }
}

// ---- [[venue]] ------------------------------------------------------------------------------

std::vector<std::string> venue_names() {
  std::vector<std::string> out;
  for (const venues::venue_entry* e : venues::venue_table()) out.emplace_back(e->name());
  return out;
}

void read_symbols(const reader& r, feed::venue_config& v, bool& ok) {
  const toml::node* n = r.node("symbols");
  if (!n) {
    r.missing("symbols", "an array of venue-native symbols");
    ok = false;
    return;
  }
  if (!n->is_array()) {
    r.wrong(*n, "symbols", "an array of venue-native symbols");
    ok = false;
    return;
  }
  if (n->as_array()->empty()) {
    r.cx().error(*n, r.key("symbols"), "empty symbol list: a venue needs at least one symbol");
    ok = false;
    return;
  }
  std::map<std::string, toml::source_region> first;
  std::size_t i = 0;
  for (const toml::node& e : *n->as_array()) {
    const std::string key = r.key("symbols") + "[" + std::to_string(i++) + "]";
    if (!e.is_string() || e.as_string()->get().empty()) {
      r.cx().error(e, key, "expected a non-empty venue-native symbol string, found " + reader::scalar_text(e));
      ok = false;
      continue;
    }
    const std::string& s = e.as_string()->get();
    if (std::any_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '"' || c == '\\'; })) {
      r.cx().error(e, key, "a symbol contains no spaces, quotes or backslashes, found " + in_quotes(s));
      ok = false;
      continue;
    }
    if (auto it = first.find(s); it != first.end()) {
      r.cx().error(e, key, "duplicate symbol " + in_quotes(s) + " (first at " + at_text(it->second) + ")");
      continue;  // the daemon would just keep one book: reported, yet the venue can be checked
    }
    first.emplace(s, e.source());
    v.symbols.push_back(s);
  }
}

void read_url(const reader& r, std::string_view k, std::initializer_list<std::string_view> schemes, std::string& out) {
  auto s = r.string(k);
  if (!s) return;
  const bool ok = s->empty() || std::any_of(schemes.begin(), schemes.end(), [&](std::string_view sc) {
                    return s->starts_with(sc) && s->size() > sc.size();
                  });
  if (!ok) {
    std::vector<std::string> names(schemes.begin(), schemes.end());
    r.cx().error(*r.node(k), r.key(k), "expected a URL starting with " + join(names) + ", found " + in_quotes(*s));
    return;
  }
  out = *s;
}

// The venue's own factories judge symbols and settings, exactly as feed::create does; a failure
// is pinned on the setting that causes it where one alone does.
void check_with_venue(const reader& r, const venues::venue_entry& e, const feed::venue_config& v,
                      const toml::table* settings) {
  // "kraken: unknown setting ..." / "kraken setting depth=N: ...": the venue is named once.
  auto detail_of = [&](const core::error& err) {
    std::string_view d = err.detail;
    if (d.starts_with(e.name()) && d.size() > e.name().size() &&
        (d[e.name().size()] == ':' || d[e.name().size()] == ' ')) {
      d.remove_prefix(e.name().size() + 1);
      while (d.starts_with(' ')) d.remove_prefix(1);
    }
    return std::string(d);
  };
  auto attempt = [&](const std::map<std::string, std::string>& kv) -> std::string {
    venues::protocol_options o;
    o.symbols = v.symbols;
    o.snapshot_limit = v.snapshot_depth;
    o.settings = kv;
    o.ws_url = v.ws_url;
    o.rest_url = v.rest_url;
    if (auto s = e.make_spec(o); !s) return detail_of(s.err());
    if (auto p = e.make_protocol(o); !p) return detail_of(p.err());
    return {};
  };
  const std::string whole = attempt(v.settings);
  if (whole.empty()) return;
  const std::string bare = attempt({});
  if (!bare.empty()) {  // not about settings: the symbols or the depth
    const toml::node* n = r.node("symbols");
    r.cx().error(n ? n->source() : r.table().source(), r.key("symbols"), "rejected by " + std::string(e.name()) + ": " + bare);
    return;
  }
  bool pinned = false;
  if (settings)
    for (const auto& [k, val] : *settings) {
      const std::string key(k.str());
      auto it = v.settings.find(key);
      if (it == v.settings.end()) continue;
      const std::string one = attempt({{it->first, it->second}});
      if (one.empty()) continue;
      r.cx().error(k.source(), dotted(r.key("settings"), key), "rejected by " + std::string(e.name()) + ": " + one);
      pinned = true;
    }
  if (!pinned) {
    const toml::node* n = r.node("settings");
    r.cx().error(n ? n->source() : r.table().source(), r.key("settings"),
                 "rejected by " + std::string(e.name()) + ": " + whole);
  }
}

void read_venue(const reader& r, feed::venue_config& v, std::map<std::string, toml::source_region>& names) {
  bool ok = true;
  const venues::venue_entry* entry = nullptr;
  if (const toml::node* n = r.node("name"); !n) {
    r.missing("name", "a venue name (" + join(venue_names()) + ")");
    ok = false;
  } else if (auto s = r.string("name")) {
    entry = venues::find_venue(*s);
    if (!entry) {
      const auto valid = venue_names();
      r.cx().error(*n, r.key("name"), "unknown venue " + in_quotes(*s) + did_you_mean(*s, valid) + "; valid: " + join(valid));
      ok = false;
    } else if (auto it = names.find(*s); it != names.end()) {
      r.cx().error(*n, r.key("name"), "duplicate venue " + in_quotes(*s) + " (first at " + at_text(it->second) +
                                          "); list all its symbols in one [[venue]] table");
      ok = false;
    } else {
      names.emplace(*s, n->source());
      v.name = *s;
    }
  } else {
    ok = false;
  }
  read_symbols(r, v, ok);
  read_url(r, "ws_url", {"wss://", "ws://"}, v.ws_url);
  read_url(r, "rest_url", {"https://", "http://"}, v.rest_url);
  if (auto p = r.readable_file("ca_file", "CERTIFICATE")) v.ca_file = *p;
  else if (r.node("ca_file")) ok = false;

  const toml::table* settings = nullptr;
  if (const toml::node* n = r.node("settings")) {
    if (!n->is_table()) {
      r.wrong(*n, "settings", "a table of venue settings (settings = { depth = \"1000\" })");
      ok = false;
    } else {
      settings = n->as_table();
      for (const auto& [k, val] : *settings) {
        auto text = reader::scalar_as_text(val);
        if (!text) {
          r.cx().error(val, dotted(r.key("settings"), k.str()),
                       "expected a string, number or boolean, found " + std::string(type_name(val.type())));
          ok = false;
          continue;
        }
        v.settings[std::string(k.str())] = *text;
      }
    }
  }
  if (auto n = r.integer("snapshot_depth", 0, 5000)) v.snapshot_depth = static_cast<std::uint32_t>(*n);
  else if (r.node("snapshot_depth")) ok = false;
  if (auto n = r.integer("rest_weight_per_minute", 0, 1'000'000)) v.rest_weight_per_minute = static_cast<std::uint32_t>(*n);
  constexpr double week = 7 * 86400.0;
  if (auto d = r.seconds("stale_after_s", 3600)) v.timings.stale_after = *d;
  if (auto d = r.seconds("idle_timeout_s", 3600)) v.timings.idle_timeout = *d;
  if (auto d = r.seconds("connect_timeout_s", 600)) v.timings.connect_timeout = *d;
  if (auto d = r.seconds("request_timeout_s", 600)) v.timings.request_timeout = *d;
  if (auto d = r.seconds("max_connection_age_s", week)) v.timings.max_connection_age = *d;
  if (ok && entry) check_with_venue(r, *entry, v, settings);
}

// ---- [[rate]] -------------------------------------------------------------------------------

bool valid_currency(std::string_view c) {
  return c.size() >= 2 && c.size() <= 12 &&
         std::all_of(c.begin(), c.end(), [](char ch) { return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'); });
}

void read_rate(const reader& r, rate_source& out, const std::vector<feed::venue_config>& venues,
               std::map<std::string, toml::source_region>& currencies) {
  if (!r.node("currency")) r.missing("currency", "a currency code (\"USDT\")");
  if (auto c = r.string("currency")) {
    const toml::node& n = *r.node("currency");
    if (!valid_currency(*c) || *c == "USD")
      r.cx().error(n, r.key("currency"), "expected an upper-case currency code other than USD (USD is 1), found " + in_quotes(*c));
    else if (auto it = currencies.find(*c); it != currencies.end())
      r.cx().error(n, r.key("currency"), "duplicate rate for " + *c + " (first at " + at_text(it->second) + ")");
    else {
      currencies.emplace(*c, n.source());
      out.currency = *c;
    }
  }
  const toml::node* fixed = r.node("fixed");
  const toml::node* book = r.node("book");
  if ((fixed != nullptr) == (book != nullptr)) {
    r.cx().error(fixed ? fixed->source() : r.table().source(), r.key(fixed ? "fixed" : "book"),
                 fixed ? "give either fixed or book, not both"
                       : "missing; expected book = \"venue:symbol\" (a reference book) or fixed = \"1.0\"");
  }
  if (fixed) {
    auto d = decimal_of(*fixed);
    if (!d || !positive(*d)) r.cx().error(*fixed, r.key("fixed"), "expected a positive decimal (USD per unit), found " + reader::scalar_text(*fixed));
    else out.fixed = *d;
  }
  if (auto b = r.string("book")) {
    const toml::node& n = *r.node("book");
    const auto colon = b->find(':');
    const std::string vname = colon == std::string::npos ? std::string() : b->substr(0, colon);
    const std::string sym = colon == std::string::npos ? std::string() : b->substr(colon + 1);
    const venues::venue_entry* e = venues::find_venue(vname);
    if (colon == std::string::npos || sym.empty()) {
      r.cx().error(n, r.key("book"), "expected \"venue:symbol\" (e.g. \"kraken:USDT/USD\"), found " + in_quotes(*b));
    } else if (!e) {
      const auto valid = venue_names();
      r.cx().error(n, r.key("book"), "unknown venue " + in_quotes(vname) + did_you_mean(vname, valid) + "; valid: " + join(valid));
    } else {
      auto v = std::find_if(venues.begin(), venues.end(), [&](const feed::venue_config& c) { return c.name == vname; });
      if (v == venues.end()) {
        r.cx().error(n, r.key("book"), "rate references unknown book " + in_quotes(*b) + ": venue " + in_quotes(vname) + " is not configured");
      } else if (std::find(v->symbols.begin(), v->symbols.end(), sym) == v->symbols.end()) {
        r.cx().error(n, r.key("book"), "rate references unknown book " + in_quotes(*b) + ": " + in_quotes(sym) +
                                           " is not among " + vname + "'s symbols" + did_you_mean(sym, v->symbols));
      } else {
        out.venue = e->id;
        out.symbol = sym;
      }
    }
  }
  if (auto inv = r.boolean("invert")) {
    if (fixed) r.cx().error(*r.node("invert"), r.key("invert"), "invert applies to a reference book, not a fixed rate");
    else out.invert = *inv;
  }
}

// An array of tables at `key`, each element with its reader.
template <class F>
void each_table(context& cx, const toml::table& root, std::string_view key, F&& f) {
  const toml::node* n = root.get(key);
  if (!n) return;
  if (!n->is_array_of_tables()) {
    cx.error(*n, std::string(key), "expected [[" + std::string(key) + "]] tables, found " + std::string(type_name(n->type())));
    return;
  }
  std::size_t i = 0;
  for (const toml::node& e : *n->as_array()) {
    f(reader(cx, *e.as_table(), std::string(key) + "[" + std::to_string(i) + "]"));
    ++i;
  }
}

// A first-level table at `key`: its reader, or nullopt (absent or not a table, reported).
std::optional<reader> sub_table(const reader& root, std::string_view key) {
  const toml::node* n = root.node(key);
  if (!n) return std::nullopt;
  if (!n->is_table()) {
    root.wrong(*n, key, "a table ([" + std::string(key) + "])");
    return std::nullopt;
  }
  return reader(root.cx(), *n->as_table(), std::string(key));
}

// ---- [alert], [[alert.rule]], [[alert.receiver]] -------------------------------------------

// A duration: seconds as a number (0.25) or Alertmanager's text ("250ms", "30s", "5m", "1h30m",
// "1d"); within [0, max_s] (strictly positive unless `zero_ok`).
std::optional<std::chrono::milliseconds> duration_of(const reader& r, std::string_view k, double max_s, bool zero_ok) {
  const toml::node* n = r.node(k);
  if (!n) return std::nullopt;
  double s = -1;
  if (n->is_integer()) s = static_cast<double>(n->as_integer()->get());
  else if (n->is_floating_point()) s = n->as_floating_point()->get();
  else if (n->is_string()) {
    const std::string& t = n->as_string()->get();
    std::size_t i = 0;
    double total = 0;
    bool any = false;
    while (i < t.size()) {
      std::size_t j = i;
      while (j < t.size() && (std::isdigit(static_cast<unsigned char>(t[j])) || t[j] == '.')) ++j;
      if (j == i) break;
      const double v = std::strtod(t.substr(i, j - i).c_str(), nullptr);
      std::size_t u = j;
      while (u < t.size() && std::isalpha(static_cast<unsigned char>(t[u]))) ++u;
      const std::string unit = t.substr(j, u - j);
      double mult = 0;
      if (unit == "ms") mult = 0.001;
      else if (unit == "s") mult = 1;
      else if (unit == "m") mult = 60;
      else if (unit == "h") mult = 3600;
      else if (unit == "d") mult = 86400;
      if (mult == 0) break;
      total += v * mult;
      any = true;
      i = u;
    }
    if (any && i == t.size()) s = total;
  }
  char max_text[32];
  std::snprintf(max_text, sizeof max_text, "%g", max_s);
  if (!(s >= 0 && s <= max_s && (zero_ok || s > 0))) {
    r.cx().error(*n, r.key(k), std::string("expected a duration ") + (zero_ok ? "of 0" : "above 0") + " to " + max_text +
                                   " s, as seconds (30, 0.25) or text (\"250ms\", \"30s\", \"5m\", \"1h\"), found " +
                                   reader::scalar_text(*n));
    return std::nullopt;
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(s * 1000 + 0.5));
}

std::optional<double> number_of(const reader& r, std::string_view k) {
  const toml::node* n = r.node(k);
  if (!n) return std::nullopt;
  if (n->is_integer()) return static_cast<double>(n->as_integer()->get());
  if (n->is_floating_point()) return n->as_floating_point()->get();
  r.wrong(*n, k, "a number");
  return std::nullopt;
}

bool valid_label_name(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s.front()))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// An array of strings at `k`, each passing `check` (else reported with `item_expected`).
template <class Check>
std::optional<std::vector<std::string>> string_list(const reader& r, std::string_view k, std::string_view item_expected,
                                                    Check&& check) {
  const toml::node* n = r.node(k);
  if (!n) return std::nullopt;
  if (!n->is_array()) {
    r.wrong(*n, k, "an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  std::size_t i = 0;
  for (const toml::node& e : *n->as_array()) {
    const std::string key = r.key(k) + "[" + std::to_string(i++) + "]";
    if (!e.is_string() || !check(e.as_string()->get())) {
      r.cx().error(e, key, "expected " + std::string(item_expected) + ", found " + reader::scalar_text(e));
      ok = false;
      continue;
    }
    out.push_back(e.as_string()->get());
  }
  if (!ok) return std::nullopt;
  return out;
}

// A table of string values (labels, annotations); label names checked when `names`.
std::map<std::string, std::string> string_table(const reader& r, std::string_view k, bool names) {
  std::map<std::string, std::string> out;
  const toml::node* n = r.node(k);
  if (!n) return out;
  if (!n->is_table()) {
    r.wrong(*n, k, "a table of strings ({ team = \"desk\" })");
    return out;
  }
  for (const auto& [key, v] : *n->as_table()) {
    const std::string name(key.str());
    const std::string where = dotted(r.key(k), name);
    if (names && !valid_label_name(name)) {
      r.cx().error(key.source(), where, "a label name is letters, digits and '_', not starting with a digit");
      continue;
    }
    if (names && name == "alertname") {
      r.cx().error(key.source(), where, "alertname is the rule's name; set name instead");
      continue;
    }
    if (!v.is_string()) {
      r.cx().error(v, where, "expected a string, found " + std::string(type_name(v.type())));
      continue;
    }
    out[name] = v.as_string()->get();
  }
  return out;
}

const std::vector<std::string>& rule_kinds() {
  static const std::vector<std::string> k{"depth_below_baseline", "depth_drop", "depth_below_usd", "spread_wide",
                                          "impact_high", "book_stale", "feed_down"};
  return k;
}

void read_rule(const reader& r, alert::rule_config& out, const daemon_config& c) {
  using alert::rule_kind;
  out.line = r.table().source().begin.line;
  if (!r.node("name")) r.missing("name", "the alert's name (its alertname label)");
  if (auto v = r.string("name")) {
    if (v->empty()) r.cx().error(*r.node("name"), r.key("name"), "expected a non-empty alert name");
    else out.name = *v;
  }
  if (!r.node("kind")) r.missing("kind", "one of " + join(rule_kinds()));
  bool kind_ok = false;
  if (auto v = r.choice("kind", rule_kinds())) {
    out.kind = static_cast<rule_kind>(std::find(rule_kinds().begin(), rule_kinds().end(), *v) - rule_kinds().begin());
    kind_ok = true;
  }
  const bool depth_kind = out.kind == rule_kind::depth_below_baseline || out.kind == rule_kind::depth_drop ||
                          out.kind == rule_kind::depth_below_usd;
  auto only_for = [&](std::string_view k, bool allowed, std::string_view kinds) {
    const toml::node* n = r.node(k);
    if (!n || !kind_ok || allowed) return n != nullptr && allowed;
    r.cx().error(*n, r.key(k), std::string(k) + " applies to " + std::string(kinds) + " rules only");
    return false;
  };
  if (auto v = r.choice("scope", {"book", "asset"})) {
    if (*v == "asset" && kind_ok && !depth_kind)
      r.cx().error(*r.node("scope"), r.key("scope"), "scope = \"asset\" applies to depth rules only");
    else out.scope = *v == "asset" ? alert::rule_scope::asset : alert::rule_scope::book;
  }
  std::vector<std::string> configured;
  for (const auto& v : c.venues) configured.push_back(v.name);
  if (auto names = string_list(r, "venues", "a configured venue name", [&](const std::string& s) {
        return std::find(configured.begin(), configured.end(), s) != configured.end();
      })) {
    for (const auto& s : *names) out.venues.push_back(*core::venue_from_string(s));
  }
  if (auto syms = string_list(r, "symbols", "a configured venue-native symbol", [&](const std::string& s) {
        return std::any_of(c.venues.begin(), c.venues.end(), [&](const feed::venue_config& v) {
          return std::find(v.symbols.begin(), v.symbols.end(), s) != v.symbols.end();
        });
      }))
    out.symbols = std::move(*syms);
  if (out.scope == alert::rule_scope::asset)
    for (std::string_view k : {"venues", "symbols"})
      if (const toml::node* n = r.node(k))
        r.cx().error(*n, r.key(k), "an asset rule sums every venue's books of its bases; use bases, not " + std::string(k));
  if (auto b = string_list(r, "bases", "an upper-case base asset (\"BTC\")", [](const std::string& s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) { return std::isupper(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)); });
      }))
    out.bases = std::move(*b);
  if (only_for("bands_pct", depth_kind, "depth")) {
    const toml::node* n = r.node("bands_pct");
    if (!n->is_array()) r.wrong(*n, "bands_pct", "an array of percentages among depth.bands_pct");
    else {
      std::size_t i = 0;
      for (const toml::node& e : *n->as_array()) {
        const std::string key = r.key("bands_pct") + "[" + std::to_string(i++) + "]";
        auto d = decimal_of(e);
        if (!d || std::find(c.depth.bands_pct.begin(), c.depth.bands_pct.end(), *d) == c.depth.bands_pct.end()) {
          std::vector<std::string> bands;
          for (auto b : c.depth.bands_pct) bands.push_back(core::to_string(b));
          r.cx().error(e, key, "expected one of depth.bands_pct (" + join(bands) + "), found " + reader::scalar_text(e));
          continue;
        }
        out.bands_pct.push_back(*d);
      }
    }
  }
  if (only_for("sides", depth_kind || out.kind == rule_kind::impact_high, "depth and impact_high")) {
    if (auto s = string_list(r, "sides", "\"bid\" or \"ask\"", [](const std::string& x) { return x == "bid" || x == "ask"; }))
      for (const auto& x : *s) out.sides.push_back(x == "bid" ? core::side::bid : core::side::ask);
  }
  const bool below = out.kind == rule_kind::depth_below_baseline || out.kind == rule_kind::depth_below_usd;
  if (auto t = number_of(r, "threshold")) {
    const toml::node& n = *r.node("threshold");
    if (out.kind == rule_kind::depth_drop && !(*t > 0 && *t < 1))
      r.cx().error(n, r.key("threshold"), "expected the fall as a fraction between 0 and 1 (0.3 = 30 %), found " + reader::scalar_text(n));
    else if (out.kind != rule_kind::feed_down && !(*t > 0))
      r.cx().error(n, r.key("threshold"), "expected a number above 0, found " + reader::scalar_text(n));
    else out.threshold = *t;
  } else if (!r.node("threshold") && kind_ok && out.kind != rule_kind::feed_down) {
    r.missing("threshold", below ? "the value it fires under" : "the value it fires above");
  }
  if (auto t = number_of(r, "resolve_threshold")) {
    const toml::node& n = *r.node("resolve_threshold");
    if (below ? *t < out.threshold : *t > out.threshold)
      r.cx().error(n, r.key("resolve_threshold"),
                   std::string("a ") + (below ? "below" : "above") + "-threshold rule resolves on the far side: expected " +
                       (below ? "at least" : "at most") + " the threshold, found " + reader::scalar_text(n));
    else out.resolve_threshold = *t;
  }
  if (only_for("window", out.kind == rule_kind::depth_drop, "depth_drop")) {
    if (auto d = duration_of(r, "window", 7 * 86400.0, false)) out.window = *d;
  } else if (kind_ok && out.kind == rule_kind::depth_drop && !r.node("window")) {
    r.missing("window", "the look-back of the fall (\"5m\")");
  }
  if (only_for("notional_usd", out.kind == rule_kind::impact_high, "impact_high")) {
    if (auto v = r.integer("notional_usd", 1, 1'000'000'000'000)) {
      const auto& ns = c.depth.impact_notionals_usd;
      if (std::find(ns.begin(), ns.end(), *v) == ns.end()) {
        std::vector<std::string> t;
        for (auto x : ns) t.push_back(std::to_string(x));
        r.cx().error(*r.node("notional_usd"), r.key("notional_usd"),
                     "expected one of depth.impact_notionals_usd (" + join(t) + "), found " + std::to_string(*v));
      } else {
        out.notional_usd = *v;
      }
    }
  } else if (kind_ok && out.kind == rule_kind::impact_high && !r.node("notional_usd")) {
    r.missing("notional_usd", "one of depth.impact_notionals_usd");
  }
  if (auto d = duration_of(r, "for", 7 * 86400.0, true)) out.for_ = *d;
  if (auto d = duration_of(r, "keep_firing_for", 7 * 86400.0, true)) out.keep_firing_for = *d;
  if (auto v = r.string("severity")) {
    if (v->empty()) r.cx().error(*r.node("severity"), r.key("severity"), "expected a severity (\"warning\", \"critical\")");
    else out.severity = *v;
  }
  out.labels = string_table(r, "labels", true);
  out.annotations = string_table(r, "annotations", false);
  if (auto v = r.string("runbook_url")) out.runbook_url = *v;
}

// "name=value", "name!=value", "name=~regex", "name!~regex"; the value may be double-quoted.
std::optional<alert::label_matcher> matcher_of(std::string_view t) {
  using op = alert::label_matcher::op;
  std::size_t i = 0;
  while (i < t.size() && (std::isalnum(static_cast<unsigned char>(t[i])) || t[i] == '_')) ++i;
  alert::label_matcher m;
  m.name = std::string(t.substr(0, i));
  if (!valid_label_name(m.name)) return std::nullopt;
  std::string_view rest = t.substr(i);
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  if (rest.starts_with("=~")) m.match = op::re, rest.remove_prefix(2);
  else if (rest.starts_with("!~")) m.match = op::nre, rest.remove_prefix(2);
  else if (rest.starts_with("!=")) m.match = op::ne, rest.remove_prefix(2);
  else if (rest.starts_with("=")) m.match = op::eq, rest.remove_prefix(1);
  else return std::nullopt;
  while (rest.starts_with(' ')) rest.remove_prefix(1);
  if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"') rest = rest.substr(1, rest.size() - 2);
  m.value = std::string(rest);
  if (m.match == op::re || m.match == op::nre) {
    try {  // config time only; the alert thread gets a compiled pattern
      std::regex re("^(?:" + m.value + ")$");
    } catch (const std::regex_error&) {
      return std::nullopt;
    }
  }
  return m;
}

// group_by and the three grouping intervals: [alert]'s, and a receiver's overrides (optional).
template <class Duration>
void read_grouping(const reader& r, std::vector<std::string>& group_by, Duration& wait, Duration& interval,
                   Duration& repeat) {
  if (auto g = string_list(r, "group_by", "a label name", [](const std::string& s) { return valid_label_name(s); }))
    group_by = std::move(*g);
  if (auto d = duration_of(r, "group_wait", 86400.0, true)) wait = *d;
  if (auto d = duration_of(r, "group_interval", 86400.0, false)) interval = *d;
  if (auto d = duration_of(r, "repeat_interval", 30 * 86400.0, false)) repeat = *d;
}

const std::vector<std::string>& receiver_kinds() {
  static const std::vector<std::string> k{"webhook", "slack", "discord", "telegram", "pagerduty", "alertmanager"};
  return k;
}

void read_receiver(const reader& r, alert::receiver_config& out, std::map<std::string, toml::source_region>& names) {
  using alert::receiver_kind;
  out.line = r.table().source().begin.line;
  if (!r.node("name")) r.missing("name", "a receiver name (the receiver label of its metrics)");
  if (auto v = r.string("name")) {
    const toml::node& n = *r.node("name");
    if (v->empty() || !std::all_of(v->begin(), v->end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '-'; }))
      r.cx().error(n, r.key("name"), "expected letters, digits, '_' or '-', found " + in_quotes(*v));
    else if (auto it = names.find(*v); it != names.end())
      r.cx().error(n, r.key("name"), "duplicate receiver " + in_quotes(*v) + " (first at " + at_text(it->second) + ")");
    else {
      names.emplace(*v, n.source());
      out.name = *v;
    }
  }
  if (!r.node("kind")) r.missing("kind", "one of " + join(receiver_kinds()));
  bool kind_ok = false;
  if (auto v = r.choice("kind", receiver_kinds())) {
    out.kind = static_cast<receiver_kind>(std::find(receiver_kinds().begin(), receiver_kinds().end(), *v) - receiver_kinds().begin());
    kind_ok = true;
  }
  for (std::string_view k : {"secret", "token", "routing_key"})
    if (const toml::node* n = r.node(k))
      r.cx().error(*n, r.key(k), "secrets are never written inline: put it in a file and set secret_file, or pass a "
                                 "systemd credential and set secret_credential");
  read_url(r, "url", {"https://", "http://"}, out.url);
  if (auto p = r.readable_file("url_file")) out.url_file = *p;
  if (auto p = r.readable_file("secret_file")) out.secret_file = *p;
  if (auto v = r.string("secret_credential")) {
    if (v->empty() || v->find('/') != std::string::npos)
      r.cx().error(*r.node("secret_credential"), r.key("secret_credential"),
                   "expected a credential name as LoadCredential= gives it (no '/'), found " + in_quotes(*v));
    else out.secret_credential = *v;
  }
  if (auto v = r.string("chat_id")) out.chat_id = *v;
  if (auto p = r.readable_file("ca_file", "CERTIFICATE")) out.ca_file = *p;
  if (const toml::node* n = r.node("match")) {
    if (!n->is_array()) r.wrong(*n, "match", "an array of matchers ([\"severity=~\\\"critical|page\\\"\"])");
    else {
      std::size_t i = 0;
      for (const toml::node& e : *n->as_array()) {
        const std::string key = r.key("match") + "[" + std::to_string(i++) + "]";
        auto m = e.is_string() ? matcher_of(e.as_string()->get()) : std::nullopt;
        if (!m) r.cx().error(e, key, "expected a matcher name=value, name!=value, name=~regex or name!~regex (a valid regex), found " + reader::scalar_text(e));
        else out.match.push_back(std::move(*m));
      }
    }
  }
  read_grouping(r, out.group_by, out.group_wait, out.group_interval, out.repeat_interval);
  if (auto v = r.boolean("send_resolved")) out.send_resolved = *v;
  if (auto d = duration_of(r, "timeout", 600.0, false)) out.timeout = *d;
  if (auto d = duration_of(r, "backoff_initial", 3600.0, false)) out.backoff_initial = *d;
  if (auto d = duration_of(r, "backoff_max", 86400.0, false)) out.backoff_max = *d;
  if (auto d = duration_of(r, "max_retry_duration", 30 * 86400.0, false)) out.max_retry_duration = *d;
  if (auto v = r.integer("max_attempts", 0, 1'000'000)) out.max_attempts = static_cast<std::uint32_t>(*v);
  if (auto v = number_of(r, "rate_limit_per_s")) {
    if (!(*v > 0 && *v <= 1000)) r.cx().error(*r.node("rate_limit_per_s"), r.key("rate_limit_per_s"), "expected notifications per second above 0 and at most 1000, found " + reader::scalar_text(*r.node("rate_limit_per_s")));
    else out.rate_limit_per_s = *v;
  }
  if (auto v = r.integer("rate_limit_burst", 1, 10'000)) out.rate_limit_burst = static_cast<std::uint32_t>(*v);
  if (out.backoff_initial > out.backoff_max) {
    const toml::node* n = r.node("backoff_max");
    r.cx().error(n ? n->source() : r.table().source(), r.key("backoff_max"), "backoff_max must be at least backoff_initial");
  }
  if (!kind_ok) return;
  // What each kind cannot work without.
  const bool has_url = r.node("url") || r.node("url_file");
  const bool has_secret = r.node("secret_file") || r.node("secret_credential");
  if (r.node("url") && r.node("url_file"))
    r.cx().error(*r.node("url_file"), r.key("url_file"), "give either url or url_file, not both");
  if (r.node("secret_file") && r.node("secret_credential"))
    r.cx().error(*r.node("secret_credential"), r.key("secret_credential"), "give either secret_file or secret_credential, not both");
  switch (out.kind) {
    case receiver_kind::webhook:
    case receiver_kind::slack:
    case receiver_kind::discord:
    case receiver_kind::alertmanager:
      if (!has_url) r.missing("url", out.kind == receiver_kind::alertmanager ? "the Alertmanager base URL" : "the endpoint URL (or url_file)");
      break;
    case receiver_kind::telegram:
      if (!r.node("chat_id")) r.missing("chat_id", "the Telegram chat id");
      if (!has_secret) r.missing("secret_file", "the bot token's file (or secret_credential)");
      break;
    case receiver_kind::pagerduty:
      if (!has_secret) r.missing("secret_file", "the routing key's file (or secret_credential)");
      break;
  }
  if (r.node("chat_id") && out.kind != receiver_kind::telegram)
    r.cx().error(*r.node("chat_id"), r.key("chat_id"), "chat_id applies to telegram receivers only");
}

// An array of tables `key` inside the table of `r` ([[alert.rule]]), each element with its reader.
template <class F>
void each_sub_table(const reader& r, std::string_view key, F&& f) {
  const toml::node* n = r.node(key);
  if (!n) return;
  if (!n->is_array_of_tables()) {
    r.cx().error(*n, r.key(key), "expected [[" + r.key(key) + "]] tables, found " + std::string(type_name(n->type())));
    return;
  }
  std::size_t i = 0;
  for (const toml::node& e : *n->as_array()) f(reader(r.cx(), *e.as_table(), r.key(key) + "[" + std::to_string(i++) + "]"));
}

void read_alert(const reader& r, daemon_config& c) {
  alert::alert_config& a = c.alert;
  if (auto d = duration_of(r, "cadence", 60.0, false)) {
    if (*d < std::chrono::milliseconds(10)) r.cx().error(*r.node("cadence"), r.key("cadence"), "expected a cadence of at least 10 ms");
    else a.cadence = *d;
  }
  read_grouping(r, a.group_by, a.group_wait, a.group_interval, a.repeat_interval);
  if (auto v = r.boolean("inhibit_when_feed_down")) a.inhibit_when_feed_down = *v;
  each_sub_table(r, "rule", [&](const reader& rr) {
    alert::rule_config rule;
    read_rule(rr, rule, c);
    a.rules.push_back(std::move(rule));
  });
  std::map<std::string, toml::source_region> names;
  each_sub_table(r, "receiver", [&](const reader& rr) {
    alert::receiver_config rc;
    read_receiver(rr, rc, names);
    a.receivers.push_back(std::move(rc));
  });
}

void read_root(context& cx, const toml::table& root, daemon_config& out) {
  check_keys(cx, root, "", "");
  const reader r(cx, root, "");
  if (auto v = r.string("state_dir")) {
    if (v->empty()) cx.error(*r.node("state_dir"), "state_dir", "expected a directory path, found an empty string");
    else out.state_dir = cx.resolve(*v);
  }
  if (auto v = r.integer("io_threads", 1, 64)) out.io_threads = static_cast<unsigned>(*v);
  if (auto t = sub_table(r, "http")) read_http(*t, out.http);
  if (auto t = sub_table(r, "log")) read_log(*t, out.log);
  if (auto t = sub_table(r, "depth")) read_depth(*t, out.depth);
  else if (!r.node("depth")) read_depth(reader(cx, toml::table{}, "depth"), out.depth);
  if (auto t = sub_table(r, "baseline")) read_baseline(*t, out.baseline);
  if (auto t = sub_table(r, "history")) read_history(*t, out.history);
  if (auto t = sub_table(r, "recording")) read_recording(*t, out.recording);

  std::map<std::string, toml::source_region> names;
  each_table(cx, root, "venue", [&](const reader& vr) {
    feed::venue_config v;
    read_venue(vr, v, names);
    out.venues.push_back(std::move(v));
  });
  if (!root.get("venue")) cx.error(root.source(), "venue", "no [[venue]] tables: at least one venue is needed");
  std::map<std::string, toml::source_region> currencies;
  each_table(cx, root, "rate", [&](const reader& rr) {
    rate_source s;
    read_rate(rr, s, out.venues, currencies);
    out.rates.push_back(std::move(s));
  });
  // After [depth] and the venues: rules are checked against bands, notionals and books.
  if (auto t = sub_table(r, "alert")) read_alert(*t, out);
}

}  // namespace

// ---- errors and entry points ---------------------------------------------------------------

std::string config_error::to_string() const {
  std::string out = file;
  if (line) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  out += ": ";
  if (!key.empty()) out += key + ": ";
  return out + message;
}

bool parse_config(std::string_view text, const std::string& name, daemon_config& out,
                  std::vector<config_error>& errors) {
  const std::size_t before = errors.size();
  context cx{name, fs::path(name).parent_path(), errors};
  out = daemon_config{};
  out.source = name;
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    cx.error(e.source(), "", "TOML syntax: " + std::string(e.description()));
    return false;
  }
  read_root(cx, root, out);
  std::stable_sort(errors.begin() + static_cast<std::ptrdiff_t>(before), errors.end(),
                   [](const config_error& a, const config_error& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  return errors.size() == before;
}

bool load_config(const std::string& path, daemon_config& out, std::vector<config_error>& errors) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    errors.push_back({path, 0, 0, "", std::string("cannot read the config file (") + std::strerror(errno) + ")"});
    return false;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return parse_config(ss.str(), path, out, errors);
}

// ---- diff -----------------------------------------------------------------------------------

namespace {

auto timing_tie(const feed::feed_timings& t) {
  return std::tie(t.tick, t.stale_after, t.idle_timeout, t.ping_interval, t.backoff_initial, t.backoff_cap,
                  t.connect_timeout, t.request_timeout, t.snapshot_retry, t.planned_overlap, t.max_connection_age);
}

// Everything of a venue but its symbols: a change here means a new connection.
bool connection_changed(const feed::venue_config& a, const feed::venue_config& b) {
  return a.ws_url != b.ws_url || a.rest_url != b.rest_url || a.ca_file != b.ca_file || a.settings != b.settings ||
         a.snapshot_depth != b.snapshot_depth || a.rest_weight_per_minute != b.rest_weight_per_minute ||
         timing_tie(a.timings) != timing_tie(b.timings);
}

auto rate_tie(const rate_source& r) { return std::tie(r.currency, r.fixed, r.venue, r.symbol, r.invert); }

}  // namespace

bool config_diff::empty() const noexcept {
  return venues_added.empty() && venues_removed.empty() && venues_restarted.empty() && symbols_added.empty() &&
         symbols_removed.empty() && !http_changed && !io_threads_changed && !depth_changed && !rates_changed &&
         !baseline_changed && !log_changed && !state_dir_changed && !history_changed &&
         !recording_changed && !alert_changed;
}

config_diff diff(const daemon_config& current, const daemon_config& next) {
  config_diff d;
  auto find = [](const daemon_config& c, const std::string& name) -> const feed::venue_config* {
    for (const auto& v : c.venues)
      if (v.name == name) return &v;
    return nullptr;
  };
  for (const auto& v : current.venues)
    if (!find(next, v.name)) d.venues_removed.push_back(v.name);
  for (const auto& n : next.venues) {
    const feed::venue_config* c = find(current, n.name);
    if (!c) {
      d.venues_added.push_back(n.name);
      continue;
    }
    if (connection_changed(*c, n)) {
      d.venues_restarted.push_back(n.name);
      continue;
    }
    const std::set<std::string> was(c->symbols.begin(), c->symbols.end()), now(n.symbols.begin(), n.symbols.end());
    for (const auto& s : n.symbols)
      if (!was.count(s)) d.symbols_added[n.name].push_back(s);
    for (const auto& s : c->symbols)
      if (!now.count(s)) d.symbols_removed[n.name].push_back(s);
  }
  const http_config &a = current.http, &b = next.http;
  d.http_changed = std::tie(a.listen, a.cert_file, a.key_file, a.basic_auth_users, a.max_connections,
                            a.max_header_bytes, a.request_timeout) !=
                   std::tie(b.listen, b.cert_file, b.key_file, b.basic_auth_users, b.max_connections,
                            b.max_header_bytes, b.request_timeout);
  d.io_threads_changed = current.io_threads != next.io_threads;
  d.depth_changed = current.depth.bands_pct != next.depth.bands_pct ||
                    current.depth.headline_pct != next.depth.headline_pct ||
                    current.depth.impact_notionals_usd != next.depth.impact_notionals_usd;
  d.rates_changed = current.rates.size() != next.rates.size() ||
                    !std::equal(current.rates.begin(), current.rates.end(), next.rates.begin(),
                                [](const rate_source& x, const rate_source& y) { return rate_tie(x) == rate_tie(y); });
  d.baseline_changed = std::tie(current.baseline.file, current.baseline.window_start, current.baseline.window_end,
                                current.baseline.quantile) !=
                       std::tie(next.baseline.file, next.baseline.window_start, next.baseline.window_end,
                                next.baseline.quantile);
  d.log_changed = current.log.format != next.log.format || current.log.level != next.log.level;
  d.state_dir_changed = current.state_dir != next.state_dir;
  d.history_changed = std::tie(current.history.enabled, current.history.file, current.history.retention,
                               current.history.trailing_window, current.history.min_samples) !=
                      std::tie(next.history.enabled, next.history.file, next.history.retention,
                               next.history.trailing_window, next.history.min_samples);
  const recording_config &ra = current.recording, &rb = next.recording;
  d.recording_changed = std::tie(ra.enabled, ra.dir, ra.rotate_bytes, ra.rotate_interval, ra.max_total_bytes,
                                 ra.queue_bytes) !=
                        std::tie(rb.enabled, rb.dir, rb.rotate_bytes, rb.rotate_interval, rb.max_total_bytes,
                                 rb.queue_bytes);
  d.alert_changed = !alert::same_alert_config(current.alert, next.alert);
  return d;
}

}  // namespace depthmon::config
