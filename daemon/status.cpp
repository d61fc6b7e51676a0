#include "status.hpp"

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <simdjson.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/frame.hpp"
#include "net/http_client.hpp"

namespace depthmon::cli {
namespace {

constexpr const char* k_usage =
    "usage: depthmon status [--url http://127.0.0.1:18095] [--watch [--interval S]]\n"
    "  a table of a running depthmond's books (GET URL/api/v1/books): venue, symbol, state,\n"
    "  mid, spread in bps, +-2 % bid and ask depth in USD, ratio to the baseline at +-2 %\n"
    "  ((bid + ask) / (baseline bid + ask)), age of the last update. '-' marks a figure the\n"
    "  daemon reports as missing (book not live, band incomplete, no USD rate, no baseline).\n"
    "  --watch redraws in place every --interval seconds (default 2) until interrupted.\n";

struct row {
  std::string venue, symbol, state;
  std::optional<double> mid, spread_bps, bid_usd, ask_usd, ratio, age_s;
};

std::optional<double> number_or_null(simdjson::ondemand::object& o, std::string_view key) {
  auto v = o.find_field_unordered(key);
  if (v.error()) return std::nullopt;
  if (v.is_null()) return std::nullopt;
  double d = 0;
  if (!v.get_double().get(d)) return d;
  std::string_view s;
  if (!v.get_string().get(s)) {  // decimal strings (mid)
    try {
      return std::stod(std::string(s));
    } catch (...) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

std::string text_of(simdjson::ondemand::object& o, std::string_view key) {
  std::string_view s;
  if (o.find_field_unordered(key).get_string().get(s)) return {};
  return std::string(s);
}

bool parse_rows(std::string_view body, std::vector<row>& rows, std::string& err) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  simdjson::ondemand::document doc;
  if (parser.iterate(padded).get(doc)) {
    err = "not JSON";
    return false;
  }
  simdjson::ondemand::array arr;
  if (doc.get_array().get(arr)) {
    err = "not a JSON array of books";
    return false;
  }
  for (auto el : arr) {
    simdjson::ondemand::object o;
    if (el.get_object().get(o)) {
      err = "a book is not a JSON object";
      return false;
    }
    row r;
    r.venue = text_of(o, "venue");
    r.symbol = text_of(o, "symbol");
    r.state = text_of(o, "status");
    r.mid = number_or_null(o, "mid");
    r.spread_bps = number_or_null(o, "spread_bps");
    r.age_s = number_or_null(o, "age_s");
    simdjson::ondemand::object h;
    if (!o.find_field_unordered("headline").get_object().get(h)) {
      r.bid_usd = number_or_null(h, "bid_usd");
      r.ask_usd = number_or_null(h, "ask_usd");
      const auto bb = number_or_null(h, "bid_baseline_usd"), ab = number_or_null(h, "ask_baseline_usd");
      if (r.bid_usd && r.ask_usd && bb && ab && *bb + *ab > 0) r.ratio = (*r.bid_usd + *r.ask_usd) / (*bb + *ab);
    }
    if (r.venue.empty() || r.symbol.empty()) {
      err = "a book without venue or symbol";
      return false;
    }
    rows.push_back(std::move(r));
  }
  return true;
}

std::string fixed(std::optional<double> v, int decimals) {
  if (!v || !std::isfinite(*v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
  return buf;
}

// 1 234 567 style, no decimals: depth in USD reads at a glance.
std::string usd(std::optional<double> v) {
  if (!v || !std::isfinite(*v)) return "-";
  std::string digits = std::to_string(static_cast<long long>(std::llround(*v)));
  std::string out;
  const std::size_t n = digits.size();
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[i];
    if (digits[i] != '-' && (n - i - 1) % 3 == 0 && i + 1 < n) out += ',';
  }
  return out;
}

std::string mid_text(std::optional<double> v) {
  if (!v) return "-";
  const double a = std::fabs(*v);
  return fixed(v, a >= 1000 ? 2 : a >= 1 ? 4 : 6);
}

std::string age_text(std::optional<double> v) {
  if (!v) return "-";
  if (*v < 60) return fixed(v, 1) + "s";
  return fixed(*v / 60, 1) + "m";
}

}  // namespace

void table_cell(std::string& out, const std::string& s, std::size_t width, bool right, const char* colour) {
  const std::string pad(s.size() < width ? width - s.size() : 0, ' ');
  if (right) out += pad;
  if (colour) out += colour;
  out += s;
  if (colour) out += "\x1b[0m";
  if (!right) out += pad;
  out += "  ";
}

std::string status_table(std::string_view books_json, bool colour, std::string* error) {
  std::vector<row> rows;
  std::string err;
  if (!parse_rows(books_json, rows, err)) {
    if (error) *error = err;
    return {};
  }
  const std::vector<std::string> head = {"VENUE", "SYMBOL", "STATE", "MID", "SPREAD_BPS", "BID_2%_USD",
                                         "ASK_2%_USD", "VS_BASELINE", "AGE"};
  std::vector<std::vector<std::string>> cells;
  for (const auto& r : rows)
    cells.push_back({r.venue, r.symbol, r.state, mid_text(r.mid), fixed(r.spread_bps, 2), usd(r.bid_usd),
                     usd(r.ask_usd), r.ratio ? fixed(*r.ratio * 100, 0) + "%" : "-", age_text(r.age_s)});
  std::vector<std::size_t> w(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) {
    w[c] = head[c].size();
    for (const auto& line : cells) w[c] = std::max(w[c], line[c].size());
  }
  std::string out;
  for (std::size_t c = 0; c < head.size(); ++c) table_cell(out, head[c], w[c], c >= 3, colour ? "\x1b[1m" : nullptr);
  out.resize(out.size() - 2);
  out += '\n';
  std::size_t live = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const row& r = rows[i];
    live += r.state == "live";
    for (std::size_t c = 0; c < head.size(); ++c) {
      const char* col = nullptr;
      if (colour && c == 2) col = r.state == "live" ? "\x1b[32m" : r.state == "syncing" ? "\x1b[33m" : "\x1b[31m";
      if (colour && c == 7 && r.ratio) col = *r.ratio < 0.5 ? "\x1b[31m" : *r.ratio < 0.8 ? "\x1b[33m" : "\x1b[32m";
      table_cell(out, cells[i][c], w[c], c >= 3, col);
    }
    out.resize(out.size() - 2);
    out += '\n';
  }
  out += std::to_string(live) + "/" + std::to_string(rows.size()) + " books live\n";
  return out;
}

std::optional<std::string> fetch_body(const std::string& url, std::string& err) {
  boost::asio::io_context ioc;
  net::http_options o;
  o.connect_timeout = o.tls_timeout = o.request_timeout = std::chrono::milliseconds(5000);
  o.reuse_connections = false;
  net::http_client client(ioc, o);
  std::optional<std::string> body;
  client.get(net::get_request(url), [&](net::http_response&& r) {
    if (!r.ok()) err = std::string(r.phase) + ": " + r.ec.message();
    else if (r.status != 200) err = "HTTP " + std::to_string(r.status);
    else body = std::string(r.body().text());
  });
  ioc.run();
  return body;
}

int run_status(int argc, char** argv) {
  std::string base = "http://127.0.0.1:18095";
  bool watch = false;
  double interval = 2;
  for (int i = 0; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(k_usage, stdout);
      return 0;
    }
    if (a == "--watch") {
      watch = true;
      continue;
    }
    if ((a == "--url" || a == "--interval") && i + 1 < argc) {
      const std::string v = argv[++i];
      if (a == "--url") {
        base = v;
      } else {
        char* end = nullptr;
        interval = std::strtod(v.c_str(), &end);
        if (end == v.c_str() || *end || !(interval > 0) || interval > 86400) {
          std::fprintf(stderr, "depthmon status: --interval expects seconds > 0, got '%s'\n", v.c_str());
          return 2;
        }
      }
      continue;
    }
    std::fprintf(stderr, "depthmon status: unknown or incomplete option '%.*s' (see --help)\n",
                 static_cast<int>(a.size()), a.data());
    return 2;
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string url = base + "/api/v1/books";
  const bool tty = ::isatty(STDOUT_FILENO) == 1;
  for (;;) {
    std::string err;
    const auto body = fetch_body(url, err);
    std::string table;
    if (body) table = status_table(*body, tty, &err);
    if (watch && tty) std::fputs("\x1b[H\x1b[2J", stdout);  // home + clear: redraw in place
    if (table.empty()) {
      std::fprintf(stderr, "depthmon status: %s: %s\n", url.c_str(), err.c_str());
      if (!watch) return 1;
    } else {
      std::fputs(table.c_str(), stdout);
      std::fflush(stdout);
      if (!watch) return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<long long>(interval * 1000)));
  }
}

}  // namespace depthmon::cli
