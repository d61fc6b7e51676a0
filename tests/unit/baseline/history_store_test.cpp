// baseline::history_store against real SQLite files in a scratch directory: round trip with
// NULLs, replacement of a minute, prune, migrations (empty file, an older version, a newer one
// refused), and a writer killed with SIGKILL mid-loop leaving a sound file with every batch it
// had committed.
#include "baseline/history_store.hpp"

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <set>

using namespace depthmon;
namespace fs = std::filesystem;

namespace {

constexpr core::unix_nanos k_min = 60'000'000'000;
constexpr core::unix_nanos k_t0 = 1'759'276'800'000'000'000;  // 2025-10-01T00:00:00Z

std::string scratch(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("depthmon_history_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return (dir / "history.sqlite").string();
}

baseline::minute_row row(core::venue v, const std::string& sym, core::unix_nanos minute, double bid2) {
  baseline::minute_row r;
  r.venue = v;
  r.symbol = sym;
  r.base = "BTC";
  r.quote = "USDT";
  r.minute = minute;
  r.mid = 60000.5;
  r.spread_bps = 0.25;
  r.live_fraction = 0.75;
  r.bands = {{{5, 1}, 10000.0, 12000.0}, {{2, 0}, bid2, std::nullopt}, {{10, 0}, std::nullopt, std::nullopt}};
  r.impacts = {{100'000, 1.5, std::nullopt}, {1'000'000, std::nullopt, 9.0}};
  return r;
}

std::vector<baseline::minute_row> rows_of(const baseline::history_store& s, core::unix_nanos from, core::unix_nanos to) {
  std::vector<baseline::minute_row> out;
  std::string err;
  REQUIRE(s.for_each_row(from, to, [&](const baseline::minute_row& r) { out.push_back(r); }, err));
  return out;
}

std::vector<baseline::depth_sample> samples_of(const baseline::history_store& s, core::unix_nanos from,
                                               core::unix_nanos to) {
  std::vector<baseline::depth_sample> out;
  std::string err;
  REQUIRE(s.for_each_sample(from, to, [&](const baseline::depth_sample& d) { out.push_back(d); }, err));
  return out;
}

}  // namespace

TEST_CASE("history store: rows round-trip with their NULLs, in (venue, symbol, minute) order", "[baseline]") {
  const auto path = scratch("roundtrip");
  std::string err;
  {
    auto s = baseline::history_store::open(path, err);
    REQUIRE(s);
    CHECK(s->schema_version() == 1);
    REQUIRE(s->insert({row(core::venue::okx, "BTC-USDT", k_t0 + k_min, 3.0), row(core::venue::binance, "BTCUSDT", k_t0 + k_min, 2.0),
                       row(core::venue::binance, "BTCUSDT", k_t0, 1.0)},
                      err));
  }
  auto s = baseline::history_store::open(path, err);  // reopened: the rows are on disk
  REQUIRE(s);
  const auto rows = rows_of(*s, k_t0, k_t0 + 2 * k_min);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].venue == core::venue::binance);
  CHECK(rows[0].minute == k_t0);
  CHECK(rows[1].minute == k_t0 + k_min);
  CHECK(rows[2].venue == core::venue::okx);
  const auto& r = rows[0];
  CHECK(r.symbol == "BTCUSDT");
  CHECK(r.base == "BTC");
  CHECK(r.quote == "USDT");
  CHECK(r.mid == 60000.5);
  CHECK(r.spread_bps == 0.25);
  CHECK(r.live_fraction == 0.75);
  REQUIRE(r.bands.size() == 3);  // by band value: 0.5, 2, 10
  CHECK(r.bands[0].band_pct == core::decimal{5, 1});
  CHECK(r.bands[0].bid_usd == 10000.0);
  CHECK(r.bands[0].ask_usd == 12000.0);
  CHECK(r.bands[1].band_pct == core::decimal{2, 0});
  CHECK(r.bands[1].bid_usd == 1.0);
  CHECK_FALSE(r.bands[1].ask_usd);
  CHECK(r.bands[2].band_pct == core::decimal{10, 0});
  CHECK_FALSE(r.bands[2].bid_usd);
  CHECK_FALSE(r.bands[2].ask_usd);
  REQUIRE(r.impacts.size() == 2);
  CHECK(r.impacts[0].notional_usd == 100'000);
  CHECK(r.impacts[0].bid_bps == 1.5);
  CHECK_FALSE(r.impacts[0].ask_bps);
  CHECK_FALSE(r.impacts[1].bid_bps);
  CHECK(r.impacts[1].ask_bps == 9.0);

  // Samples: only complete figures, the window half-open.
  const auto d = samples_of(*s, k_t0, k_t0 + k_min);
  REQUIRE(d.size() == 3);  // binance minute 0: 0.5 bid, 0.5 ask, 2 bid
  std::multiset<double> values;
  for (const auto& x : d) {
    CHECK(x.venue == core::venue::binance);
    CHECK(x.time == k_t0);
    values.insert(x.depth_usd);
  }
  CHECK(values == std::multiset<double>{1.0, 10000.0, 12000.0});
  CHECK(samples_of(*s, k_t0 + 2 * k_min, k_t0 + 3 * k_min).empty());

  // One book's samples only; a book never recorded has none.
  std::vector<baseline::depth_sample> okx;
  REQUIRE(s->for_each_sample(core::venue::okx, "BTC-USDT", k_t0, k_t0 + 2 * k_min,
                             [&](const baseline::depth_sample& x) { okx.push_back(x); }, err));
  REQUIRE(okx.size() == 3);
  for (const auto& x : okx) CHECK(x.time == k_t0 + k_min);
  std::size_t none = 0;
  CHECK(s->for_each_sample(core::venue::okx, "ETH-USDT", 0, k_t0 + 2 * k_min, [&](const auto&) { ++none; }, err));
  CHECK(none == 0);
}

TEST_CASE("history store: a minute written again replaces the old row, bands and impacts included", "[baseline]") {
  std::string err;
  auto s = baseline::history_store::open(scratch("replace"), err);
  REQUIRE(s);
  REQUIRE(s->insert({row(core::venue::binance, "BTCUSDT", k_t0, 1.0)}, err));
  auto again = row(core::venue::binance, "BTCUSDT", k_t0, 7.0);
  again.bands.resize(2);
  again.impacts.clear();
  again.live_fraction = 1;
  REQUIRE(s->insert({again}, err));
  const auto rows = rows_of(*s, k_t0, k_t0 + k_min);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].live_fraction == 1);
  REQUIRE(rows[0].bands.size() == 2);
  CHECK(rows[0].bands[1].bid_usd == 7.0);
  CHECK(rows[0].impacts.empty());
}

TEST_CASE("history store: prune deletes minutes before the cutoff and their children", "[baseline]") {
  std::string err;
  auto s = baseline::history_store::open(scratch("prune"), err);
  REQUIRE(s);
  std::vector<baseline::minute_row> rows;
  for (int i = 0; i < 5; ++i) rows.push_back(row(core::venue::kraken, "BTC/USD", k_t0 + i * k_min, i));
  REQUIRE(s->insert(rows, err));
  REQUIRE(s->prune(k_t0 + 3 * k_min, err));
  const auto left = rows_of(*s, 0, k_t0 + 10 * k_min);
  REQUIRE(left.size() == 2);
  CHECK(left[0].minute == k_t0 + 3 * k_min);
  CHECK(left[1].minute == k_t0 + 4 * k_min);
  CHECK(samples_of(*s, 0, k_t0 + 3 * k_min).empty());  // no orphaned band rows
  CHECK(samples_of(*s, 0, k_t0 + 10 * k_min).size() == 6);
  CHECK(s->integrity_check() == "ok");
}

TEST_CASE("history store: migrations from an empty file, from an older version, and a newer one refused",
          "[baseline]") {
  std::string err;
  SECTION("an empty (v0) file is migrated to the current version") {
    const auto path = scratch("v0");
    std::ofstream(path).close();  // zero bytes: SQLite's empty database, user_version 0
    auto s = baseline::history_store::open(path, err);
    REQUIRE(s);
    CHECK(s->schema_version() == baseline::history_store::current_schema_version);
    CHECK(s->insert({row(core::venue::binance, "BTCUSDT", k_t0, 1.0)}, err));
  }
  // A future v2 adds a column; a v1 file with rows (the older-version fixture) is migrated in
  // place and keeps its rows.
  static const std::array<baseline::migration, 2> k_future{
      {baseline::history_store::migrations()[0], {2, "ALTER TABLE minutes ADD COLUMN note TEXT;"}}};
  const auto path = scratch("v1");
  {
    auto v1 = baseline::history_store::open(path, err, baseline::history_store::migrations());
    REQUIRE(v1);
    REQUIRE(v1->schema_version() == 1);
    REQUIRE(v1->insert({row(core::venue::binance, "BTCUSDT", k_t0, 4.0)}, err));
  }
  {
    auto v2 = baseline::history_store::open(path, err, k_future);
    REQUIRE(v2);
    CHECK(v2->schema_version() == 2);
    const auto rows = rows_of(*v2, k_t0, k_t0 + k_min);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].bands[1].bid_usd == 4.0);
  }
  {
    auto again = baseline::history_store::open(path, err, k_future);  // nothing left to run
    REQUIRE(again);
    CHECK(again->schema_version() == 2);
  }
  // This build knows v1 only: a v2 file is refused, never written to.
  err.clear();
  CHECK_FALSE(baseline::history_store::open(path, err));
  CHECK(err.find("schema version 2 is newer than this build knows (1)") != std::string::npos);
  CHECK(err.find(path) != std::string::npos);

  SECTION("a file that is not a database is refused with SQLite's reason") {
    const auto bad = scratch("garbage");
    std::ofstream(bad) << std::string(4096, 'x');
    err.clear();
    CHECK_FALSE(baseline::history_store::open(bad, err));
    CHECK(err.find(bad) != std::string::npos);
  }
}

TEST_CASE("history store: a writer killed with SIGKILL leaves a sound file with every committed batch",
          "[baseline]") {
  const auto path = scratch("sigkill");
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    std::string err;
    auto s = baseline::history_store::open(path, err);
    if (!s) ::_exit(3);
    for (std::int64_t batch = 0;; ++batch) {
      std::vector<baseline::minute_row> rows;
      for (int b = 0; b < 20; ++b)
        rows.push_back(row(core::venue::binance, "SYM" + std::to_string(b), k_t0 + batch * k_min, static_cast<double>(batch)));
      if (!s->insert(rows, err)) ::_exit(4);
      // Acknowledged only once insert() returned: the commit is done.
      if (::write(fds[1], &batch, sizeof batch) != sizeof batch) ::_exit(5);
    }
  }
  ::close(fds[1]);
  std::int64_t acked = -1, b = 0;
  // Kill it mid-stream, well into the loop (a commit is very likely in flight).
  while (acked < 150 && ::read(fds[0], &b, sizeof b) == sizeof b) acked = b;
  ::kill(pid, SIGKILL);
  int st = 0;
  REQUIRE(::waitpid(pid, &st, 0) == pid);
  CHECK(WIFSIGNALED(st));
  // Batches acknowledged after our last read also count as committed.
  while (::read(fds[0], &b, sizeof b) == sizeof b) acked = b;
  ::close(fds[0]);
  REQUIRE(acked >= 150);

  std::string err;
  auto s = baseline::history_store::open(path, err);
  REQUIRE(s);
  CHECK(s->integrity_check() == "ok");
  std::set<std::int64_t> minutes;
  std::size_t n = 0;
  REQUIRE(s->for_each_row(0, k_t0 + 100'000 * k_min, [&](const baseline::minute_row& r) {
    minutes.insert((r.minute - k_t0) / k_min);
    ++n;
  }, err));
  // Every acknowledged batch is there whole (20 books), and at most one more.
  for (std::int64_t i = 0; i <= acked; ++i) CHECK(minutes.count(i) == 1);
  CHECK(static_cast<std::int64_t>(minutes.size()) <= acked + 2);
  CHECK(n == 20 * minutes.size());
}
