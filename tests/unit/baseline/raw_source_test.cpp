// baseline::samples_from_raw on a recording written here in the daemon's format (gzip): a
// Coinbase Advanced Trade book (full-book venue, so every band is complete) through the real
// codec and sync machine, sampled at each minute boundary of receive time; values worked out
// by hand from the levels; window, quote rates and errors.
#include <catch2/catch.hpp>
#include <zlib.h>

#include <filesystem>
#include <map>
#include <set>
#include <unistd.h>

#include "baseline/sources.hpp"
#include "replay/recording.hpp"

using namespace depthmon;

namespace {

constexpr core::unix_nanos k_t0 = 1'759'276'800'000'000'000;  // 2025-10-01T00:00:00Z
constexpr core::unix_nanos k_s = 1'000'000'000;

std::string level(const char* side, const char* px, const char* qty) {
  return std::string(R"({"side":")") + side + R"(","event_time":"1970-01-01T00:00:00Z","price_level":")" + px +
         R"(","new_quantity":")" + qty + R"("})";
}

std::string l2(std::uint64_t seq, const char* type, const std::string& product, const std::vector<std::string>& lv) {
  std::string s = R"({"channel":"l2_data","client_id":"","timestamp":"2025-10-01T00:00:00Z","sequence_num":)" +
                  std::to_string(seq) + R"(,"events":[{"type":")" + type + R"(","product_id":")" + product +
                  R"(","updates":[)";
  for (std::size_t i = 0; i < lv.size(); ++i) s += (i ? "," : "") + lv[i];
  return s + "]}]}";
}

std::string write_gz(const std::string& name, const std::string& text) {
  const auto path = (std::filesystem::temp_directory_path() /
                     ("raw_source_" + std::to_string(::getpid()) + "_" + name + ".dmrec.gz")).string();
  gzFile g = gzopen(path.c_str(), "wb");
  REQUIRE(g);
  REQUIRE(gzwrite(g, text.data(), static_cast<unsigned>(text.size())) == static_cast<int>(text.size()));
  gzclose(g);
  return path;
}

// BTC-USD: bids 100 x 1, 99 x 2; asks 101 x 1, 102 x 3 (mid 100.5) at 00:00:30; at 00:01:30
// the 100 bid becomes 5; a last frame at 00:02:10 (a heartbeat-like update elsewhere).
std::string recording(const std::string& product) {
  std::string t(replay::recording_magic);
  replay::append_record(t, k_t0 + 10 * k_s, "coinbase", 1, 'P', product, "");
  replay::append_record(t, k_t0 + 30 * k_s, "coinbase", 1, 'F', {},
                        l2(0, "snapshot", product,
                           {level("bid", "100", "1"), level("bid", "99", "2"), level("offer", "101", "1"),
                            level("offer", "102", "3")}));
  replay::append_record(t, k_t0 + 90 * k_s, "coinbase", 1, 'F', {}, l2(1, "update", product, {level("bid", "100", "5")}));
  replay::append_record(t, k_t0 + 130 * k_s, "coinbase", 1, 'F', {}, l2(2, "update", product, {level("offer", "150", "1")}));
  return t;
}

using key = std::tuple<core::unix_nanos, core::side, std::string>;  // time, side, band

std::map<key, double> collect(const std::vector<std::string>& files, baseline::sample_options opt, bool& ok,
                              std::string& error) {
  std::map<key, double> out;
  ok = baseline::samples_from_raw(files, opt, [&](const baseline::depth_sample& s) {
    CHECK(s.venue == core::venue::coinbase);
    out[{s.time, s.side, core::to_string(s.band_pct)}] = s.depth_usd;
  }, error);
  return out;
}

}  // namespace

TEST_CASE("samples_from_raw samples the replayed book at each minute boundary", "[baseline][raw]") {
  const auto f = write_gz("usd", recording("BTC-USD"));
  baseline::sample_options opt;
  opt.bands_pct = {{1, 0}, {2, 0}};
  std::uint64_t last_done = 0, last_total = 0;
  opt.progress = [&](std::uint64_t d, std::uint64_t t) { last_done = d, last_total = t; };
  bool ok = false;
  std::string error;
  const auto s = collect({f}, opt, ok, error);
  INFO(error);
  REQUIRE(ok);
  // 00:01:00 (before the update at 00:01:30): ±1 % of 100.5 is [99.495, 101.505]: bid 100 x 1,
  // ask 101 x 1; ±2 % is [98.49, 102.51]: bids 100 + 99 x 2, asks 101 + 102 x 3.
  const core::unix_nanos m1 = k_t0 + 60 * k_s, m2 = k_t0 + 120 * k_s;
  CHECK(s.at({m1, core::side::bid, "1"}) == Approx(100));
  CHECK(s.at({m1, core::side::ask, "1"}) == Approx(101));
  CHECK(s.at({m1, core::side::bid, "2"}) == Approx(298));
  CHECK(s.at({m1, core::side::ask, "2"}) == Approx(407));
  // 00:02:00: the 100 bid holds 5 now (the 00:02:10 frame comes after the boundary).
  CHECK(s.at({m2, core::side::bid, "1"}) == Approx(500));
  CHECK(s.at({m2, core::side::bid, "2"}) == Approx(698));
  CHECK(s.at({m2, core::side::ask, "2"}) == Approx(407));
  CHECK(s.size() == 8);  // two boundaries x two bands x two sides; none at 00:00 (book not yet live)
  CHECK(last_total == std::filesystem::file_size(f));
  CHECK(last_done == last_total);

  SECTION("only boundaries inside the window") {
    opt.window_start = k_t0 + 61 * k_s;
    const auto w = collect({f}, opt, ok, error);
    REQUIRE(ok);
    CHECK(w.size() == 4);
    CHECK(w.count({m1, core::side::bid, "1"}) == 0);
    CHECK(w.at({m2, core::side::bid, "1"}) == Approx(500));
  }
  SECTION("a finer cadence samples more boundaries; default bands when none are given") {
    opt.bands_pct.clear();
    opt.sample_every = std::chrono::seconds(30);
    const auto w = collect({f}, opt, ok, error);
    REQUIRE(ok);
    // Boundaries at 00:01:00 (crossed by the 00:01:30 record, which is itself on 00:01:30: that
    // boundary is sampled before it applies) and 00:02:00; seven default bands x two sides.
    std::set<core::unix_nanos> times;
    for (const auto& [k, v] : w) times.insert(std::get<0>(k));
    CHECK(times == std::set<core::unix_nanos>{k_t0 + 90 * k_s, m2});
    CHECK(w.at({k_t0 + 90 * k_s, core::side::bid, "1"}) == Approx(100));
  }
  std::filesystem::remove(f);
}

TEST_CASE("samples_from_raw values a non-USD quote with its rate and refuses a missing one", "[baseline][raw]") {
  const auto f = write_gz("eur", recording("BTC-EUR"));
  baseline::sample_options opt;
  opt.bands_pct = {{1, 0}};
  bool ok = true;
  std::string error;
  (void)collect({f}, opt, ok, error);
  CHECK_FALSE(ok);
  CHECK(error.find("'EUR'") != std::string::npos);
  CHECK(error.find("BTC-EUR") != std::string::npos);
  CHECK(error.find(f) != std::string::npos);

  opt.usd_per_quote["EUR"] = 1.5;
  const auto s = collect({f}, opt, ok, error);
  REQUIRE(ok);
  CHECK(s.at({k_t0 + 60 * k_s, core::side::bid, "1"}) == Approx(150));
  std::filesystem::remove(f);
}

TEST_CASE("samples_from_raw names the file and record of a malformed recording", "[baseline][raw]") {
  std::string t = recording("BTC-USD");
  t += "1759276900000000000 coinbase 1 F - 99999 short\n";
  const auto f = write_gz("bad", t);
  bool ok = true;
  std::string error;
  baseline::sample_options opt;
  (void)collect({f}, opt, ok, error);
  // A record whose length runs past the end of the file is a truncated file: the samples so
  // far stand. A non-recording is refused.
  CHECK(ok);
  const auto g = write_gz("not", "hello\n");
  (void)collect({g}, opt, ok, error);
  CHECK_FALSE(ok);
  CHECK(error.find("not a depthmon recording") != std::string::npos);
  std::filesystem::remove(f);
  std::filesystem::remove(g);
}
