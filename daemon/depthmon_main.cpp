// depthmon — the command-line tool. Wiring only: argument parsing, file reading, exit codes.
//
//   depthmon replay --venue VENUE [--symbol SYM]... [--snapshot SYM=FILE]... [--bands 0.5,2]
//                   [--snapshot-limit N] [--set KEY=VALUE]... [--levels N] FILE...
//   depthmon watch --config FILE [--duration S]      (daemon/watch.hpp)
//   depthmon sim [--listen ADDR] [--tls] ...         (daemon/sim_cli.hpp)
//   depthmon status [--url URL] [--watch]            (daemon/status.hpp)
//   depthmon baseline build|show ...                 (daemon/baseline_cli.hpp)
//   depthmon alerts [--url URL]                      (daemon/alerts_cli.hpp)
//
// Exit status (DESIGN.md): 0 when every input line was understood (a book failing a venue
// check is reported in its JSON, not fatal); 1 when some lines were not understood (each one
// named on stderr); 2 on bad arguments or unreadable input, with a one-line error on stderr.
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/ids.hpp"
#include "replay/recording.hpp"
#include "replay/replay.hpp"
#include "venues/registry.hpp"
#include "baseline_cli.hpp"
#include "sim_cli.hpp"
#include "alerts_cli.hpp"
#include "status.hpp"
#include "watch.hpp"

namespace {

using namespace depthmon;

// The venue names and their settings come from the venue table, so a new venue shows up here.
const std::string& usage() {
  static const std::string text =
      "usage: depthmon replay --venue VENUE [--symbol SYM]... [--snapshot SYM=FILE]...\n"
      "                       [--bands 0.5,2] [--snapshot-limit N] [--set KEY=VALUE]...\n"
      "                       [--levels N] FILE...\n"
      "       depthmon watch --config FILE [--duration S]\n"
      "       depthmon sim [--listen 127.0.0.1:0] [--tls] [--scenario steady|thinning|flash-crash]\n"
      "                    [--seed N] [--venues a,b] [--symbols-per-venue N] [--rate MSGS_PER_S]\n"
      "                    [--write-config FILE] [--daemon-listen ADDR] [--duration S]\n"
      "                    (depthmon sim --help for the rest)\n"
      "       depthmon status [--url http://127.0.0.1:18095] [--watch [--interval S]]\n"
      "       depthmon baseline build --from history|raw|tardis|coinmetrics --out FILE [INPUT...]\n"
      "       depthmon baseline show FILE      (depthmon baseline --help for the rest)\n"
      "       depthmon alerts [--url http://127.0.0.1:18095]   (--help: dead-letters, requeue)\n" +
      venues::venues_usage();
  return text;
}

[[noreturn]] void fail(const std::string& msg) {
  std::fprintf(stderr, "depthmon: %s\n", msg.c_str());
  std::exit(2);
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return !in.bad();
}

std::uint32_t parse_u32(std::string_view flag, std::string_view v) {
  std::uint32_t out = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || p != v.data() + v.size())
    fail(std::string(flag) + " expects a non-negative integer, got '" + std::string(v) + "'");
  return out;
}

// `depthmon replay --venue V rec.dmrec.gz...`: the books the daemon had at the end of the
// recording(s), given in the order they were written; --symbol selects books to print.
int replay_recordings(replay::replay_options opt, const std::vector<std::string>& files) {
  replay::recording_options ro;
  ro.venue = opt.venue;
  ro.settings = opt.protocol.settings;
  ro.bands = opt.bands;
  ro.levels = opt.levels;
  replay::recording_replay rr(std::move(ro));
  std::size_t not_understood = 0;
  constexpr std::size_t k_report = 20;
  for (const auto& f : files) {
    replay::recording_reader in;
    std::string err;
    if (!in.open(f, err)) fail(err);
    replay::record r;
    while (in.next(r)) {
      const auto st = rr.feed(r);
      if (!st && ++not_understood <= k_report)
        std::fprintf(stderr, "%s: record %llu: %s: %s\n", f.c_str(), static_cast<unsigned long long>(in.records()),
                     std::string(core::to_string(st.code())).c_str(), st.err().detail);
      if (in.records() % 100'000 == 0) rr.prune();
    }
    if (!in.error().empty()) fail(in.error());
    if (in.truncated())
      std::fprintf(stderr, "depthmon: %s: ends inside a record (the daemon was still writing it); replayed up to there\n",
                   f.c_str());
  }
  for (const auto& j : rr.books_json(opt.protocol.symbols)) std::printf("%s\n", j.c_str());
  std::fflush(stdout);
  if (not_understood > 0) {
    std::fprintf(stderr, "depthmon: %zu record(s) not understood\n", not_understood);
    return 1;
  }
  return 0;
}

int run_replay(int argc, char** argv) {
  replay::replay_options opt;
  bool have_venue = false;
  std::vector<std::string> files;
  for (int i = 0; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto value = [&](std::string_view flag) -> std::string {
      if (i + 1 >= argc) fail(std::string(flag) + " needs a value");
      return argv[++i];
    };
    if (a == "--venue") {
      const std::string v = value(a);
      auto ven = core::venue_from_string(v);
      if (!ven) fail("unknown venue '" + v + "' (see depthmon replay --help)");
      opt.venue = *ven;
      have_venue = true;
    } else if (a == "--symbol") {
      opt.protocol.symbols.push_back(value(a));
    } else if (a == "--snapshot") {
      const std::string v = value(a);
      const auto eq = v.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == v.size())
        fail("--snapshot expects SYM=FILE, got '" + v + "'");
      std::string body;
      if (!read_file(v.substr(eq + 1), body))
        fail("cannot read snapshot file '" + v.substr(eq + 1) + "'");
      opt.snapshots.emplace_back(v.substr(0, eq), std::move(body));
    } else if (a == "--bands") {
      const std::string v = value(a);
      auto b = depth::parse_bands(v);
      if (!b) fail("--bands '" + v + "': " + b.err().detail);
      opt.bands = std::move(b).value();
    } else if (a == "--snapshot-limit") {
      opt.protocol.snapshot_limit = parse_u32(a, value(a));
    } else if (a == "--levels") {
      opt.levels = parse_u32(a, value(a));
    } else if (a == "--set") {
      const std::string v = value(a);
      const auto eq = v.find('=');
      if (eq == std::string::npos || eq == 0) fail("--set expects KEY=VALUE, got '" + v + "'");
      opt.protocol.settings[v.substr(0, eq)] = v.substr(eq + 1);
    } else if (a == "--help" || a == "-h") {
      std::fputs(usage().c_str(), stdout);
      return 0;
    } else if (a.size() > 1 && a[0] == '-' && a != "-") {
      fail("unknown option '" + std::string(a) + "'");
    } else {
      files.emplace_back(a);
    }
  }
  if (!have_venue) fail("replay needs --venue");
  if (files.empty()) fail("replay needs at least one input FILE ('-' for stdin)");

  // Recordings of depthmond's [recording] (replay/recording.hpp) carry their own streams,
  // symbols, settings and snapshots; anything else is the one-message-per-line contract above.
  std::size_t recordings = 0;
  for (const auto& f : files) recordings += f != "-" && replay::is_recording(f);
  if (recordings > 0) {
    if (recordings != files.size()) fail("cannot mix depthmond recordings with raw message files");
    if (!opt.snapshots.empty()) fail("--snapshot: a recording carries the snapshots the daemon applied");
    return replay_recordings(std::move(opt), files);
  }

  // Open every input before producing anything, so a typo fails fast with status 2.
  std::vector<std::unique_ptr<std::ifstream>> streams;
  for (const auto& f : files) {
    if (f == "-") {
      streams.push_back(nullptr);
      continue;
    }
    auto s = std::make_unique<std::ifstream>(f, std::ios::binary);
    if (!*s) fail("cannot read input file '" + f + "'");
    streams.push_back(std::move(s));
  }

  auto session = replay::replay_session::create(std::move(opt));
  if (!session)
    fail(std::string("cannot replay: ") + std::string(core::to_string(session.err().code)) +
         ": " + session.err().detail);

  std::size_t not_understood = 0;
  constexpr std::size_t k_report = 20;
  std::string line;
  for (std::size_t i = 0; i < files.size(); ++i) {
    std::istream& in = streams[i] ? static_cast<std::istream&>(*streams[i]) : std::cin;
    std::size_t lineno = 0;
    while (std::getline(in, line)) {
      ++lineno;
      const auto st = (*session)->feed_line(line);
      if (!st) {
        if (++not_understood <= k_report)
          std::fprintf(stderr, "%s:%zu: %s: %s\n", files[i].c_str(), lineno,
                       std::string(core::to_string(st.code())).c_str(), st.err().detail);
      }
    }
    if (in.bad()) fail("error reading '" + files[i] + "'");
  }
  for (const auto& j : (*session)->books_json()) std::printf("%s\n", j.c_str());
  std::fflush(stdout);
  if (not_understood > 0) {
    std::fprintf(stderr, "depthmon: %zu input line(s) not understood\n", not_understood);
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(usage().c_str(), stderr);
    return 2;
  }
  const std::string_view cmd = argv[1];
  if (cmd == "replay") return run_replay(argc - 2, argv + 2);
  if (cmd == "watch") return depthmon::cli::run_watch(argc - 2, argv + 2);
  if (cmd == "sim") return depthmon::cli::run_sim(argc - 2, argv + 2);
  if (cmd == "status") return depthmon::cli::run_status(argc - 2, argv + 2);
  if (cmd == "baseline") return depthmon::cli::run_baseline(argc - 2, argv + 2);
  if (cmd == "alerts") return depthmon::cli::run_alerts(argc - 2, argv + 2);
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::fputs(usage().c_str(), stdout);
    return 0;
  }
  if (cmd == "--version") {
    std::puts("depthmon " DEPTHMON_VERSION);
    return 0;
  }
  std::fprintf(stderr, "depthmon: unknown command '%s' (available: replay, watch, sim, status, baseline, alerts)\n", argv[1]);
  return 2;
}
