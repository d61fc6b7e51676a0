#include "alerts_cli.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "alert/outbox.hpp"
#include "status.hpp"

namespace depthmon::cli {
namespace {

constexpr const char* k_usage =
    "usage: depthmon alerts [--url http://127.0.0.1:18095]\n"
    "       depthmon alerts dead-letters [--state-dir /var/lib/depthmon] [--bodies]\n"
    "       depthmon alerts requeue (--all | SEQ...) [--state-dir /var/lib/depthmon]\n"
    "  a table of a running depthmond's active alerts (GET URL/api/v1/alerts): state (firing,\n"
    "  pending; muted while the venue's feed_down fires), alert name, severity, exchange,\n"
    "  symbol (or base), side, band, current value, how long, summary.\n"
    "  dead-letters: the notifications the daemon gave up on (STATE_DIR/outbox.sqlite): seq,\n"
    "  when created and given up, receiver, attempts, reason, webhook-id (--bodies: each body).\n"
    "  requeue: moves dead letters back to the outbox under the same webhook-id, attempts reset;\n"
    "  a running daemon sends them within seconds (its receiver must still be configured).\n";

constexpr const char* k_default_state_dir = "/var/lib/depthmon";

std::string utc(std::int64_t ms) {
  return core::format_rfc3339(static_cast<core::unix_nanos>(ms) * 1'000'000);
}

// Run as root beside a daemon with its own user (systemd DynamicUser), SQLite may create the
// -wal / -shm files as root; the daemon could then not open its own outbox. They are given the
// outbox file's owner.
void keep_owner(const std::string& path) {
  struct stat db {};
  if (::geteuid() != 0 || ::stat(path.c_str(), &db) != 0) return;
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string f = path + suffix;
    struct stat st {};
    if (::stat(f.c_str(), &st) == 0 && (st.st_uid != db.st_uid || st.st_gid != db.st_gid))
      (void)::chown(f.c_str(), db.st_uid, db.st_gid);
  }
}

// Owns the connection; the files keep the outbox's owner when it closes.
struct outbox_handle {
  std::string path;
  std::unique_ptr<alert::outbox> box;
  ~outbox_handle() {
    box.reset();  // a clean last close removes -wal / -shm; a shared one leaves the daemon's
    keep_owner(path);
  }
  alert::outbox* operator->() const { return box.get(); }
  explicit operator bool() const { return box != nullptr; }
};

std::unique_ptr<outbox_handle> open_outbox(const std::string& state_dir) {
  const std::string path = state_dir + "/outbox.sqlite";
  if (::access(path.c_str(), F_OK) != 0) {
    std::fprintf(stderr,
                 "depthmon alerts: no outbox at %s (the daemon creates it in its state_dir when "
                 "alert receivers are configured; --state-dir DIR)\n",
                 path.c_str());
    return nullptr;
  }
  std::string err;
  auto h = std::make_unique<outbox_handle>();
  h->path = path;
  h->box = alert::outbox::open(path, &err, false);
  if (!h->box) {
    std::fprintf(stderr, "depthmon alerts: %s\n", err.c_str());
    return nullptr;
  }
  keep_owner(path);
  return h;
}

int run_dead_letters(int argc, char** argv) {
  std::string state_dir = k_default_state_dir;
  bool bodies = false;
  for (int i = 0; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--state-dir" && i + 1 < argc) state_dir = argv[++i];
    else if (a == "--bodies") bodies = true;
    else {
      std::fprintf(stderr, "depthmon alerts dead-letters: unknown or incomplete option '%.*s' (see --help)\n",
                   static_cast<int>(a.size()), a.data());
      return 2;
    }
  }
  const auto box = open_outbox(state_dir);
  if (!box) return 1;
  const auto rows = (*box)->dead_letters();
  std::vector<std::vector<std::string>> t{{"SEQ", "CREATED", "GIVEN UP", "RECEIVER", "ATTEMPTS", "REASON", "WEBHOOK-ID"}};
  for (const auto& d : rows)
    t.push_back({std::to_string(d.row.seq), utc(d.row.created_ms), utc(d.dead_ms), d.row.receiver,
                 std::to_string(d.row.attempts), d.reason, d.row.id});
  std::vector<std::size_t> w(t[0].size(), 0);
  for (const auto& r : t)
    for (std::size_t c = 0; c < r.size(); ++c) w[c] = std::max(w[c], r[c].size());
  std::string out;
  for (const auto& r : t) {
    for (std::size_t c = 0; c < r.size(); ++c) table_cell(out, r[c], c + 1 == r.size() ? 0 : w[c], c == 4, nullptr);
    out.resize(out.size() - 2);  // table_cell's gap after the last column
    out += '\n';
  }
  out += std::to_string(rows.size()) + " dead letter(s)";
  out += rows.empty() ? "\n" : "; send them again with: depthmon alerts requeue --all (or SEQ...)\n";
  if (bodies)
    for (const auto& d : rows) out += "\n# " + std::to_string(d.row.seq) + " " + d.row.id + "\n" + d.row.body + "\n";
  std::fputs(out.c_str(), stdout);
  return 0;
}

int run_requeue(int argc, char** argv) {
  std::string state_dir = k_default_state_dir;
  bool all = false;
  std::vector<std::int64_t> seqs;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--state-dir" && i + 1 < argc) {
      state_dir = argv[++i];
    } else if (a == "--all") {
      all = true;
    } else if (!a.empty() && a.size() < 19 && a.find_first_not_of("0123456789") == std::string::npos) {
      seqs.push_back(std::stoll(a));
    } else {
      std::fprintf(stderr, "depthmon alerts requeue: '%s' is neither --all, --state-dir DIR nor a seq number (see --help)\n",
                   a.c_str());
      return 2;
    }
  }
  if (all == !seqs.empty()) {
    std::fprintf(stderr, "depthmon alerts requeue: give --all or the seq numbers of dead letters (depthmon alerts dead-letters lists them), not both\n");
    return 2;
  }
  const auto box = open_outbox(state_dir);
  if (!box) return 1;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  const auto moved = (*box)->requeue(seqs, now);
  if (!moved) {
    std::fprintf(stderr, "depthmon alerts requeue: nothing moved: %s\n", (*box)->last_error().c_str());
    return 1;
  }
  std::printf("%zu dead letter(s) back in the outbox; the daemon sends them under their webhook-id\n", *moved);
  return 0;
}

struct alert_row {
  std::map<std::string, std::string> labels, annotations;
  std::string state, active_at, starts_at, value;
  bool inhibited = false;
};

bool string_map(simdjson::ondemand::object o, std::map<std::string, std::string>& out) {
  for (auto field : o) {
    std::string_view k, v;
    if (field.unescaped_key().get(k) || field.value().get_string().get(v)) return false;
    out[std::string(k)] = std::string(v);
  }
  return true;
}

bool parse(std::string_view body, std::vector<alert_row>& rows, std::string& err) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded(body);
  simdjson::ondemand::document doc;
  simdjson::ondemand::array arr;
  if (parser.iterate(padded).get(doc) || doc["alerts"].get_array().get(arr)) {
    err = "not the alerts JSON ({\"alerts\":[...]})";
    return false;
  }
  for (auto el : arr) {
    simdjson::ondemand::object o;
    if (el.get_object().get(o)) {
      err = "an alert is not a JSON object";
      return false;
    }
    alert_row r;
    simdjson::ondemand::object l, a;
    if (o["labels"].get_object().get(l) || !string_map(l, r.labels) || o["annotations"].get_object().get(a) ||
        !string_map(a, r.annotations)) {
      err = "an alert without labels or annotations";
      return false;
    }
    std::string_view s;
    if (!o["state"].get_string().get(s)) r.state = s;
    if (!o["activeAt"].get_string().get(s)) r.active_at = s;
    if (!o["startsAt"].get_string().get(s)) r.starts_at = s;
    if (!o["value"].get_string().get(s)) r.value = s;
    bool inh = false;
    if (!o["inhibited"].get_bool().get(inh)) r.inhibited = inh;
    rows.push_back(std::move(r));
  }
  return true;
}

std::string since_text(const std::string& rfc3339, core::unix_nanos now) {
  auto t = core::parse_rfc3339(rfc3339);
  if (!t || now < t.value()) return "-";
  const double s = static_cast<double>(now - t.value()) / 1e9;
  char buf[32];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.0fs", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%.0fm", s / 60);
  else std::snprintf(buf, sizeof buf, "%.1fh", s / 3600);
  return buf;
}

std::string band_text(const std::map<std::string, std::string>& l) {
  auto it = l.find("band_bps");
  if (it == l.end()) return "-";
  char* end = nullptr;
  const double bps = std::strtod(it->second.c_str(), &end);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g%%", bps / 100);
  return buf;
}

std::string get(const std::map<std::string, std::string>& m, const char* k) {
  auto it = m.find(k);
  return it == m.end() || it->second.empty() ? "-" : it->second;
}

}  // namespace

std::string alerts_table(std::string_view alerts_json, core::unix_nanos now, bool colour, std::string* error) {
  std::vector<alert_row> rows;
  std::string err;
  if (!parse(alerts_json, rows, err)) {
    if (error) *error = err;
    return {};
  }
  if (rows.empty()) return "no active alerts\n";
  const std::vector<std::string> head = {"STATE", "ALERTNAME", "SEVERITY", "EXCHANGE", "SYMBOL", "SIDE",
                                         "BAND", "VALUE", "SINCE", "SUMMARY"};
  std::vector<std::vector<std::string>> cells;
  std::size_t firing = 0;
  for (const auto& r : rows) {
    firing += r.state == "firing";
    const std::string state = r.inhibited ? "muted" : r.state;
    const std::string symbol = r.labels.count("symbol") ? get(r.labels, "symbol") : get(r.labels, "base");
    cells.push_back({state, get(r.labels, "alertname"), get(r.labels, "severity"), get(r.labels, "exchange"), symbol,
                     get(r.labels, "side"), band_text(r.labels), r.value.empty() ? "-" : r.value,
                     since_text(r.state == "firing" ? r.starts_at : r.active_at, now), get(r.annotations, "summary")});
  }
  std::vector<std::size_t> w(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) {
    w[c] = head[c].size();
    for (const auto& line : cells) w[c] = std::max(w[c], line[c].size());
  }
  const std::size_t last = head.size() - 1;
  std::string out;
  for (std::size_t c = 0; c < head.size(); ++c)
    table_cell(out, head[c], c == last ? 0 : w[c], c == 6 || c == 7, colour ? "\x1b[1m" : nullptr);
  out.resize(out.size() - 2);
  out += '\n';
  for (std::size_t i = 0; i < cells.size(); ++i) {
    for (std::size_t c = 0; c < head.size(); ++c) {
      const char* col = nullptr;
      if (colour && c == 0) col = cells[i][0] == "firing" ? "\x1b[31m" : "\x1b[33m";
      if (colour && c == 2 && cells[i][2] == "critical") col = "\x1b[31m";
      table_cell(out, cells[i][c], c == last ? 0 : w[c], c == 6 || c == 7, col);
    }
    out.resize(out.size() - 2);
    out += '\n';
  }
  out += std::to_string(firing) + " firing, " + std::to_string(rows.size() - firing) + " pending\n";
  return out;
}

int run_alerts(int argc, char** argv) {
  if (argc > 0 && std::string_view(argv[0]) == "dead-letters") return run_dead_letters(argc - 1, argv + 1);
  if (argc > 0 && std::string_view(argv[0]) == "requeue") return run_requeue(argc - 1, argv + 1);
  std::string base = "http://127.0.0.1:18095";
  for (int i = 0; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(k_usage, stdout);
      return 0;
    }
    if (a == "--url" && i + 1 < argc) {
      base = argv[++i];
      continue;
    }
    std::fprintf(stderr, "depthmon alerts: unknown or incomplete option '%.*s' (see --help)\n",
                 static_cast<int>(a.size()), a.data());
    return 2;
  }
  while (!base.empty() && base.back() == '/') base.pop_back();
  const std::string url = base + "/api/v1/alerts";
  std::string err;
  const auto body = fetch_body(url, err);
  const auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  std::string table;
  if (body) table = alerts_table(*body, now, ::isatty(STDOUT_FILENO) == 1, &err);
  if (table.empty()) {
    std::fprintf(stderr, "depthmon alerts: %s: %s\n", url.c_str(), err.c_str());
    return 1;
  }
  std::fputs(table.c_str(), stdout);
  return 0;
}

}  // namespace depthmon::cli
