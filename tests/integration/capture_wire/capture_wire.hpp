// tests/integration/capture_wire/capture_wire.hpp — one real capture, two ways: `depthmon replay`
// (the binary, as a process) on the file, and lib/feed connected over loopback to
// sim::capture_server serving the same file. The scenario files say which capture and which
// settings; this runs both and compares every book's JSON (all levels, bands, state, counters).
//
// Threads: the capture server and the feed share the test thread's io_context. Bounded: the
// feed runs until the server has sent the whole capture and the feed has received every frame
// (and every REST snapshot asked for has arrived), at most `timeout`.
#pragma once

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "depth/band_tracker.hpp"
#include "depth/bands.hpp"
#include "depth/book_json.hpp"
#include "feed/feed.hpp"
#include "net/cert_authority.hpp"
#include "sim/capture_server.hpp"
#include "support/json.hpp"
#include "support/run.hpp"
#include "venues/protocol.hpp"

namespace depthmon::test {

using ms = std::chrono::milliseconds;

struct wire_case {
  core::venue venue = core::venue::binance;
  std::string capture;                   // under tests/data
  std::vector<sim::snapshot_file> snapshots;  // paths under tests/data
  std::string rest_meta;                 // under tests/data; "" = beside the capture, if any
  std::map<std::string, std::string> settings;  // --set, and the feed's settings
  std::string bands = "2";
  std::uint32_t snapshot_limit = 0;      // --snapshot-limit, and the feed's snapshot_depth
  bool tls = false;                      // wss + https with a generated CA the feed trusts
  // Made by sim::make_replay_server from a `depthmon sim --replay` argument, under "/<venue>".
  bool via_replay_spec = false;
  ms timeout{20'000};
};

struct wire_result {
  std::map<std::string, std::string> replay;  // symbol -> `depthmon replay` book JSON
  std::map<std::string, std::string> wire;    // symbol -> the feed's book JSON, same options
  std::vector<std::string> order;             // symbols in replay's order
  sim::capture_server_stats server;
  feed::feed_stats feed;
  std::vector<std::string> log;
  bool drained = false;
};

// Field-by-field differences of two book JSON objects ("" = equal).
inline std::string json_diff(const std::string& a, const std::string& b) {
  simdjson::dom::parser pa, pb;
  simdjson::dom::object oa = pa.parse(a), ob = pb.parse(b);
  std::string out;
  for (auto [k, v] : oa) {
    simdjson::dom::element w;
    if (ob[k].get(w) != simdjson::SUCCESS) {
      out += std::string(k) + ": only in replay\n";
      continue;
    }
    const std::string sv = simdjson::minify(v), sw = simdjson::minify(w);
    if (sv != sw)
      out += std::string(k) + ": replay " + sv.substr(0, 300) + " | wire " + sw.substr(0, 300) + "\n";
  }
  for (auto [k, v] : ob) {
    simdjson::dom::element w;
    if (oa[k].get(w) != simdjson::SUCCESS) out += std::string(k) + ": only on the wire\n";
  }
  return out;
}

struct wire_log final : feed::feed_listener, feed::log_sink {
  std::vector<std::string> lines;
  void on_book_updated(const feed::feed_book&) override {}
  void log(feed::log_level lv, std::string_view venue, std::string_view m) override {
    lines.push_back(std::string(feed::to_string(lv)) + " " + std::string(venue) + " " + std::string(m));
  }
};

inline bool run_until(boost::asio::io_context& ioc, const std::function<bool()>& pred, ms timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    ioc.run_for(ms(5));
    if (ioc.stopped()) ioc.restart();
  }
  return true;
}

constexpr std::size_t k_all_levels = 1'000'000;

inline wire_result run_case(const wire_case& c) {
  wire_result res;
  const std::string venue_name(core::to_string(c.venue));

  // 1. `depthmon replay` on the file.
  std::vector<std::string> args{DEPTHMON_CLI, "replay", "--venue", venue_name, "--bands", c.bands,
                                "--levels", std::to_string(k_all_levels)};
  if (c.snapshot_limit) {
    args.push_back("--snapshot-limit");
    args.push_back(std::to_string(c.snapshot_limit));
  }
  for (const auto& [k, v] : c.settings) {
    args.push_back("--set");
    args.push_back(k + "=" + v);
  }
  for (const auto& s : c.snapshots) {
    args.push_back("--snapshot");
    args.push_back(s.symbol + "=" + data_path(s.path));
  }
  args.push_back(data_path(c.capture));
  const auto r = run(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  simdjson::dom::parser p;
  for (const auto& l : r.lines()) {
    simdjson::dom::element e = p.parse(l);
    const std::string sym = str(e["symbol"]);
    res.order.push_back(sym);
    res.replay[sym] = l;
  }
  REQUIRE(!res.order.empty());

  // 2. The same file over the wire.
  boost::asio::io_context ioc;
  std::string err;
  std::vector<sim::snapshot_file> snaps;
  for (const auto& s : c.snapshots) snaps.push_back({s.symbol, data_path(s.path)});
  sim::capture_server_options so;
  std::string ca_file;
  if (c.tls) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("depthmon_capture_wire_" + std::to_string(::getpid()));
    auto pki = net::write_loopback_pki(dir.string(), &err);
    REQUIRE(pki);
    so.cert_pem = pki->cert_pem;
    so.key_pem = pki->key_pem;
    ca_file = pki->ca_file;
  }
  std::unique_ptr<sim::capture_server> server;
  if (c.via_replay_spec) {
    std::string spec = venue_name + "=" + data_path(c.capture);
    for (const auto& s : snaps) spec += ",snapshot=" + s.symbol + "=" + s.path;
    if (!c.rest_meta.empty()) spec += ",rest_meta=" + data_path(c.rest_meta);
    so.venue_prefix = true;
    auto made = sim::make_replay_server(ioc, spec, so, &err);
    INFO(err);
    REQUIRE(made);
    server = std::move(made).value();
  } else {
    auto cap = sim::load_capture(c.venue, data_path(c.capture), snaps,
                                 c.rest_meta.empty() ? std::string() : data_path(c.rest_meta), &err);
    INFO(err);
    REQUIRE(cap);
    server = std::make_unique<sim::capture_server>(ioc, std::move(cap).value(), so);
  }
  sim::capture_server& srv = *server;
  REQUIRE(srv.start() == "");

  feed::venue_config vc;
  vc.name = venue_name;
  vc.symbols = res.order;
  vc.ws_url = srv.ws_url();
  vc.rest_url = srv.rest_url();
  vc.ca_file = ca_file;
  vc.settings = c.settings;
  vc.snapshot_depth = c.snapshot_limit;
  vc.timings.tick = ms(10);
  // Nothing may go stale or idle while the capture is drained: the comparison is of the book
  // the capture leaves, not of a resubscription the recording cannot answer.
  vc.timings.stale_after = ms(120'000);
  vc.timings.idle_timeout = ms(60'000);
  vc.timings.connect_timeout = ms(3000);
  vc.timings.request_timeout = ms(5000);
  vc.timings.backoff_initial = ms(100);
  vc.timings.backoff_cap = ms(500);
  wire_log lg;
  auto f = feed::feed::create(ioc, vc, &lg, &lg, nullptr, &err);
  INFO(err);
  REQUIRE(f);
  std::unique_ptr<feed::feed> fd = std::move(f).value();
  const bool rest = venues::uses_rest_snapshot(c.venue) && !c.snapshots.empty();
  fd->start();
  res.drained = run_until(
      ioc,
      [&] {
        const auto& ss = srv.stats();
        if (!ss.capture_done || fd->stats().frames < ss.frames_sent) return false;
        for (const auto& q : ss.rest)
          if (q.status == 0) return false;
        // Every book with a recorded snapshot has loaded one (the server holds each symbol's
        // stream until its first one is asked; a symbol without diffs is asked for once the
        // venue confirmed its subscription).
        if (rest)
          for (const auto& b : fd->books()) {
            const bool recorded = std::any_of(c.snapshots.begin(), c.snapshots.end(),
                                              [&](const auto& s) { return s.symbol == b->symbol; });
            if (recorded && (!b->book || !b->book->have_snapshot)) return false;
          }
        return true;
      },
      c.timeout);

  const depth::band_set bands = depth::parse_bands(c.bands).value();
  depth::book_json_options jo;
  jo.levels = k_all_levels;
  for (const auto& b : fd->books()) {
    if (!b->book) continue;
    depth::band_tracker tr(b->book->book, bands);
    const depth::level_lists deep = depth::deep_levels(b->book->book, k_all_levels);
    jo.deep = &deep;
    std::string out;
    depth::append_book_json(out, c.venue, b->book->symbol, depth::snapshot_of(*b->book, tr), bands, jo);
    res.wire[b->symbol] = std::move(out);
  }
  res.server = srv.stats();
  res.feed = fd->stats();
  res.log = lg.lines;
  fd->stop();
  srv.stop();
  ioc.poll();
  return res;
}

// Every book the replay prints equals the feed's over the wire, field by field; `known` lists
// books whose difference a scenario states and checks itself.
inline void check_equal(const wire_result& res, const std::vector<std::string>& known = {}) {
  std::string log;
  for (const auto& l : res.log) log += l + "\n";
  INFO("feed log:\n" << log);
  INFO("server: lines sent " << res.server.lines_sent << ", skipped " << res.server.lines_skipped
                             << ", holds " << res.server.holds << ", REST " << res.server.rest.size()
                             << "; feed frames " << res.feed.frames << ", rejected "
                             << res.feed.frames_rejected << ", connections " << res.feed.connections_opened);
  CHECK(res.drained);
  CHECK(res.feed.connections_opened == 1);
  CHECK(res.feed.disconnects == 0);
  for (const auto& sym : res.order) {
    if (std::find(known.begin(), known.end(), sym) != known.end()) continue;
    INFO(sym);
    const auto w = res.wire.find(sym);
    REQUIRE(w != res.wire.end());
    CHECK(json_diff(res.replay.at(sym), w->second) == "");
  }
}

}  // namespace depthmon::test
