// daemon::history_recorder against the simulator over loopback, with the real runtime and publishing
// listener and a 1-s "minute": rows appear per book per minute with their live fraction, a band
// side the read model never saw complete is NULL in every row, one it always saw complete is
// filled, the effective baseline falls back to the trailing median of the recorded minutes,
// and a restarted recorder keeps the rows and appends to them.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "baseline/history_store.hpp"
#include "daemon/publishing.hpp"
#include "daemon/history_recorder.hpp"
#include "daemon/runtime.hpp"
#include "depth/bands.hpp"
#include "integration/feed/feed_harness.hpp"
#include "support/published_fixture.hpp"

using namespace depthmon;
using namespace depthmon::test;
using namespace std::chrono_literals;

namespace {

struct null_log final : feed::log_sink {
  std::mutex mu;
  std::vector<std::string> lines;
  void log(feed::log_level, std::string_view venue, std::string_view message) override {
    std::lock_guard lk(mu);
    lines.push_back(std::string(venue) + ": " + std::string(message));
  }
};

bool wait_for(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(20ms);  // polling a condition other threads make true
  }
  return pred();
}

using band_key = std::tuple<std::string, std::size_t, int>;  // symbol, band, side

std::vector<baseline::minute_row> all_rows(const std::string& path) {
  std::string err;
  auto s = baseline::history_store::open(path, err);  // a second connection, as a reader
  REQUIRE(s);
  std::vector<baseline::minute_row> rows;
  REQUIRE(s->for_each_row(0, std::numeric_limits<core::unix_nanos>::max(),
                          [&](const baseline::minute_row& r) { rows.push_back(r); }, err));
  return rows;
}

}  // namespace

TEST_CASE("recorder: minute rows from the read model, NULL while incomplete, kept across a restart",
          "[daemon][integration]") {
  sim_server bin({.venue = core::venue::binance, .symbols = 2, .lifetime = 60'000ms});
  feed::venue_config bc = config_for(bin);
  bc.snapshot_depth = 100;  // a truncated view: the wide bands stay incomplete
  const auto dir = std::filesystem::temp_directory_path() / ("depthmon_recorder_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);

  daemon::runtime_options o;
  o.tick = 20ms;
  o.connections = std::make_shared<net::reconnect_limiter>(20, std::chrono::seconds(1));
  o.identify = daemon::identify_book;
  std::unique_ptr<daemon::api_state> st;
  o.make_listener = [&st](daemon::venue_binding& b) { return daemon::make_publishing_listener(b, *st); };
  daemon::runtime rt(o);
  st = std::make_unique<daemon::api_state>(rt.board());
  {
    auto in = std::make_shared<daemon::read_inputs>();
    in->rates = std::make_unique<feed::usd_rates>(std::vector{testing::fixed_rate("USDT", "1")}, rt.board());
    in->baseline = std::make_shared<baseline::table>();
    st->set_inputs(std::move(in));
  }
  std::string err;
  REQUIRE(rt.start({bc}, &err));
  REQUIRE(wait_for([&] {
    const auto v = st->view();
    return v.books.size() == 2 && std::all_of(v.books.begin(), v.books.end(), [](const auto& b) { return b.live(); });
  }, 15s));

  daemon::history_settings rs;
  rs.state_dir = dir.string();
  rs.history.min_samples = 3;
  rs.history.trailing_window = std::chrono::hours(1);
  rs.file = st->inputs()->baseline;
  daemon::history_recorder_options ro;
  ro.sample_every = 100ms;
  ro.minute = 1000ms;
  ro.resolve_every = 500ms;
  null_log log;
  const std::string path = daemon::history_recorder::store_path(rs);
  CHECK(path == (dir / "history.sqlite").string());

  // What the read model showed while recording: per band side, ever complete / ever not.
  std::map<band_key, std::pair<bool, bool>> seen;
  auto watch = [&] {
    const auto v = st->view();
    for (const auto& b : v.books)
      for (std::size_t i = 0; i < v.settings.bands.size(); ++i)
        for (int s = 0; s < 2; ++s) {
          auto& f = seen[{b.id().symbol, i, s}];
          (b.depth_usd(i, static_cast<core::side>(s)) ? f.first : f.second) = true;
        }
  };
  const auto bands = depth::default_bands();
  std::size_t rows_before_restart = 0;
  {
    daemon::history_recorder rec(*st, log, ro);
    rec.start(rs);
    REQUIRE(wait_for([&] {
      watch();
      return rec.current().minutes_written >= 5;
    }, 20s));
    // The trailing median has had minutes to work with (min_samples 3).
    REQUIRE(wait_for([&] {
      const auto r = st->resolved_baseline();
      return r && r->count(baseline::source::trailing_median) > 0;
    }, 10s));
    // A reload: configure() returns once the baseline is resolved under the new settings.
    auto strict = rs;
    strict.history.min_samples = 1'000'000;
    rec.configure(strict);
    CHECK(st->resolved_baseline()->count(baseline::source::trailing_median) == 0);
    CHECK(st->resolved_baseline()->min_samples == 1'000'000);
    rec.configure(rs);
    CHECK(st->resolved_baseline()->count(baseline::source::trailing_median) > 0);
    rec.stop();
    const auto f = rec.current();
    CHECK(f.write_failures == 0);
    CHECK(f.open_failures == 0);
    CHECK(f.rows_written >= 10);
  }
  const auto rows = all_rows(path);
  rows_before_restart = rows.size();
  REQUIRE(rows.size() >= 10);
  std::map<std::string, std::vector<const baseline::minute_row*>> by_book;
  for (const auto& r : rows) by_book[r.symbol].push_back(&r);
  REQUIRE(by_book.size() == 2);

  std::size_t full_minutes = 0, null_checked = 0, filled_checked = 0;
  for (const auto& [sym, list] : by_book) {
    INFO(sym);
    for (std::size_t k = 0; k < list.size(); ++k) {
      const auto& r = *list[k];
      CHECK(r.venue == core::venue::binance);
      CHECK_FALSE(r.base.empty());
      CHECK(r.quote == "USDT");
      CHECK(r.minute % 1'000'000'000 == 0);  // minute starts on the (1-s) minute grid
      if (k > 0) CHECK(r.minute > list[k - 1]->minute);
      CHECK(r.live_fraction > 0);
      CHECK(r.live_fraction <= 1);
      // Inner minutes were watched whole: live (nearly) all of them.
      if (k > 0 && k + 1 < list.size()) {
        CHECK(r.live_fraction >= 0.7);
        full_minutes += r.live_fraction >= 0.99;
      }
      REQUIRE(r.bands.size() == bands.size());
      CHECK(r.mid.has_value());
      CHECK(r.spread_bps.has_value());
      REQUIRE(r.impacts.size() == 2);
      for (std::size_t i = 0; i < bands.size(); ++i) {
        CHECK(r.bands[i].band_pct == bands[i].pct);
        for (int s = 0; s < 2; ++s) {
          const auto& v = s == 0 ? r.bands[i].bid_usd : r.bands[i].ask_usd;
          const auto f = seen[{sym, i, s}];
          if (!f.first) {  // never complete while we watched: never a figure
            CHECK_FALSE(v.has_value());
            ++null_checked;
          } else if (!f.second) {  // always complete: a figure in every minute
            CHECK(v.has_value());
            ++filled_checked;
          }
        }
      }
    }
  }
  CHECK(full_minutes >= 2);
  CHECK(null_checked > 0);    // the truncated view left some band incomplete throughout
  CHECK(filled_checked > 0);  // and some complete throughout

  // The baseline: trailing medians for complete band sides, missing (0 samples) for the rest.
  const auto res = st->resolved_baseline();
  REQUIRE(res);
  for (const auto& e : res->baseline->entries()) {
    CHECK(e.from == baseline::source::trailing_median);
    CHECK(e.samples >= 3);
  }
  bool missing_never_complete = false;
  for (const auto& m : res->missing)
    for (std::size_t i = 0; i < bands.size(); ++i)
      if (m.band_pct == bands[i].pct && !seen[{m.symbol, i, static_cast<int>(m.side)}].first) {
        missing_never_complete = true;
        CHECK(m.window_samples == 0);
        CHECK(m.trailing_samples == 0);
      }
  CHECK(missing_never_complete);
  // The read model carries the resolved figures.
  const auto v = st->view();
  bool attached = false;
  for (const auto& b : v.books)
    for (std::size_t i = 0; i < v.settings.bands.size(); ++i)
      attached = attached || b.baseline_usd(i, core::side::bid).has_value();
  CHECK(attached);

  // A restart keeps every row and appends; history disabled on reload closes the store.
  {
    daemon::history_recorder rec(*st, log, ro);
    rec.start(rs);
    CHECK(rec.current().path == path);
    REQUIRE(wait_for([&] { return rec.current().minutes_written >= 2; }, 10s));
    auto off = rs;
    off.history.enabled = false;
    rec.configure(off);
    CHECK(rec.current().path.empty());
    const auto before = rec.current();
    // Two (1-s) minutes of samples pass: nothing may be written.
    REQUIRE(wait_for([&] { return rec.current().samples >= before.samples + 20; }, 10s));
    CHECK(rec.current().minutes_written == before.minutes_written);
    rec.stop();
  }
  const auto after = all_rows(path);
  CHECK(after.size() >= rows_before_restart + 2);
  std::set<std::pair<std::string, core::unix_nanos>> keys;
  for (const auto& r : after) keys.insert({r.symbol, r.minute});
  for (const auto& r : rows) CHECK(keys.count({r.symbol, r.minute}) == 1);
  rt.stop();
  std::filesystem::remove_all(dir);
}

TEST_CASE("recorder: a store that cannot be opened is logged and counted, never fatal", "[daemon][integration]") {
  feed::board board;
  daemon::api_state st(board);
  auto in = std::make_shared<daemon::read_inputs>();
  in->rates = std::make_unique<feed::usd_rates>(std::vector<config::rate_source>{}, board);
  in->baseline = std::make_shared<baseline::table>();
  st.set_inputs(in);
  daemon::history_settings rs;
  rs.state_dir = "/proc/depthmon-cannot-be-here";
  rs.file = in->baseline;
  daemon::history_recorder_options ro;
  ro.sample_every = 50ms;
  ro.minute = 200ms;
  null_log log;
  daemon::history_recorder rec(st, log, ro);
  rec.start(rs);
  REQUIRE(st.resolved_baseline());  // resolved (from the file alone) before start returns
  REQUIRE(wait_for([&] { return rec.current().open_failures >= 2; }, 5s));
  rec.stop();
  std::lock_guard lk(log.mu);
  std::size_t said = 0;
  for (const auto& l : log.lines) said += l.find("cannot open the history store") != std::string::npos;
  CHECK(said >= 1);
  CHECK(said <= 3);  // rate-limited: 3 per 10 minutes
}
