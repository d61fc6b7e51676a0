#include <catch2/catch.hpp>

#include "support/feed_log.hpp"
#include "support/logging.hpp"
#include "support/rate_limiter.hpp"

#include <simdjson.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <algorithm>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace depthmon::daemon_support;
namespace lvl = spdlog::level;

namespace {

struct captured {
  std::ostringstream out;
  std::shared_ptr<spdlog::logger> logger;
  explicit captured(log_format f) {
    logger = make_logger("test", f, std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
    logger->set_level(lvl::debug);
  }
  std::vector<std::string> lines() const {
    std::vector<std::string> v;
    std::istringstream in(out.str());
    for (std::string l; std::getline(in, l);) v.push_back(l);
    return v;
  }
};

}  // namespace

TEST_CASE("parse_log_format", "[daemon][logging]") {
  CHECK(parse_log_format("auto") == log_format::automatic);
  CHECK(parse_log_format("text") == log_format::text);
  CHECK(parse_log_format("json") == log_format::json);
  CHECK(parse_log_format("journal") == log_format::journal);
  CHECK_FALSE(parse_log_format("logfmt"));
  CHECK_FALSE(parse_log_format("JSON"));
  for (auto f : {log_format::automatic, log_format::text, log_format::json, log_format::journal})
    CHECK(parse_log_format(to_string(f)) == f);
}

TEST_CASE("parse_log_level", "[daemon][logging]") {
  CHECK(parse_log_level("debug") == lvl::debug);
  CHECK(parse_log_level("info") == lvl::info);
  CHECK(parse_log_level("warn") == lvl::warn);
  CHECK(parse_log_level("error") == lvl::err);
  CHECK_FALSE(parse_log_level("warning"));
  for (auto l : {lvl::debug, lvl::info, lvl::warn, lvl::err})
    CHECK(parse_log_level(level_name(l)) == l);
}

TEST_CASE("journal format: <N> priority prefix per sd-daemon(3), no timestamp", "[daemon][logging]") {
  captured c(log_format::journal);
  log(*c.logger, lvl::debug, "d");
  log(*c.logger, lvl::info, "book live", {{"exchange", "kraken"}, {"symbol", "BTC/USD"}});
  log(*c.logger, lvl::warn, "feed stale");
  log(*c.logger, lvl::err, "checksum mismatch");
  log(*c.logger, lvl::critical, "cannot bind");
  c.logger->info("plain spdlog call\nsecond line");
  log(*c.logger, lvl::info, "braces {} {:x} stay verbatim");
  const auto l = c.lines();
  REQUIRE(l.size() == 7);
  CHECK(l[0] == "<7>d");
  CHECK(l[1] == "<6>book live exchange=kraken symbol=BTC/USD");
  CHECK(l[2] == "<4>feed stale");
  CHECK(l[3] == "<3>checksum mismatch");
  CHECK(l[4] == "<2>cannot bind");
  CHECK(l[5] == "<6>plain spdlog call\\nsecond line");  // one line: no unprefixed journal entry
  CHECK(l[6] == "<6>braces {} {:x} stay verbatim");  // a message is never a format string
  CHECK(syslog_priority(lvl::trace) == 7);
}

TEST_CASE("text format: UTC timestamp, level, message, logfmt fields", "[daemon][logging]") {
  captured c(log_format::text);
  log(*c.logger, lvl::warn, "reconnecting", {{"exchange", "okx"}, {"reason", "idle timeout"},
                                             {"empty", ""}, {"q", "a\"b"}});
  const auto l = c.lines();
  REQUIRE(l.size() == 1);
  const std::regex re(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z warn  reconnecting exchange=okx reason="idle timeout" empty="" q="a\\"b"$)");
  INFO(l[0]);
  CHECK(std::regex_match(l[0], re));
}

TEST_CASE("json format: one valid object per line with fields as members", "[daemon][logging]") {
  captured c(log_format::json);
  log(*c.logger, lvl::err, "bad \"frame\"\n\ttab", {{"exchange", "binance"}, {"symbol", "BTCUSDT"}});
  log(*c.logger, lvl::info, std::string("ctl\x01") + "x");
  c.logger->warn("no fields");
  // Valid UTF-8 kept; a stray byte and a truncated/overlong sequence become U+FFFD.
  log(*c.logger, lvl::info, "caf\xC3\xA9 \xFF \xC0\xAF");
  const auto l = c.lines();
  REQUIRE(l.size() == 4);
  simdjson::dom::parser p;
  {
    auto doc = p.parse(l[0]);
    CHECK(std::string_view(doc["level"]) == "error");
    CHECK(std::string_view(doc["msg"]) == "bad \"frame\"\n\ttab");
    CHECK(std::string_view(doc["exchange"]) == "binance");
    CHECK(std::string_view(doc["symbol"]) == "BTCUSDT");
    const std::string t{std::string_view(doc["time"])};
    CHECK(std::regex_match(t, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")));
  }
  CHECK(std::string_view(p.parse(l[1])["msg"]) == "ctl\x01x");
  CHECK(std::string_view(p.parse(l[3])["msg"]) == "caf\xC3\xA9 \xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(std::string_view(p.parse(l[2])["level"]) == "warn");
}

TEST_CASE("every format redacts secrets in message and fields", "[daemon][logging]") {
  for (auto f : {log_format::text, log_format::json, log_format::journal}) {
    captured c(f);
    log(*c.logger, lvl::warn, "POST https://hooks.slack.com/services/T1/B2/SECRET3 failed",
        {{"url", "https://u:pw@relay.example/x?token=SECRET4"}});
    c.logger->error("Bearer SECRET5");
    const std::string s = c.out.str();
    INFO(to_string(f) << ": " << s);
    CHECK(s.find("SECRET") == std::string::npos);
    CHECK(s.find("hooks.slack.com/services/***") != std::string::npos);
    CHECK(s.find("relay.example/x?token=***") != std::string::npos);
  }
}

TEST_CASE("auto picks journal only when stderr is $JOURNAL_STREAM", "[daemon][logging]") {
  char path[] = "/tmp/depthmon-journal-XXXXXX";
  const int fd = ::mkstemp(path);
  REQUIRE(fd >= 0);
  struct stat st{};
  REQUIRE(::fstat(fd, &st) == 0);
  const std::string js = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  CHECK(fd_is_journal_stream(fd, js.c_str()));
  CHECK_FALSE(fd_is_journal_stream(fd, (std::to_string(st.st_dev) + ":" +
                                        std::to_string(st.st_ino + 1)).c_str()));
  CHECK_FALSE(fd_is_journal_stream(fd, "garbage"));
  CHECK_FALSE(fd_is_journal_stream(fd, (js + "x").c_str()));
  CHECK_FALSE(fd_is_journal_stream(fd, nullptr));

  // Point stderr at the file, as systemd points it at the journal socket.
  const int saved = ::dup(2);
  REQUIRE(saved >= 0);
  REQUIRE(::dup2(fd, 2) == 2);
  ::setenv("JOURNAL_STREAM", js.c_str(), 1);
  const auto with_stream = resolve(log_format::automatic);
  ::setenv("JOURNAL_STREAM", "1:2", 1);
  const auto other_stream = resolve(log_format::automatic);
  ::unsetenv("JOURNAL_STREAM");
  const auto no_stream = resolve(log_format::automatic);
  ::dup2(saved, 2);
  ::close(saved);
  ::close(fd);
  ::unlink(path);
  CHECK(with_stream == log_format::journal);
  CHECK(other_stream == log_format::text);
  CHECK(no_stream == log_format::text);
  CHECK(resolve(log_format::json) == log_format::json);
}

TEST_CASE("feed_log_adapter: venue as exchange field, storms rate-limited per venue",
          "[daemon][logging]") {
  captured c(log_format::journal);
  rate_limiter limiter(2, std::chrono::seconds(10));
  feed_log_adapter sink(c.logger, limiter);
  depthmon::feed::log_sink& as_sink = sink;  // feeds see only the interface
  (void)as_sink;
  const rate_limiter::clock::time_point t0{};
  using std::chrono::seconds;
  for (int i = 0; i < 5; ++i)
    sink.log_at(depthmon::feed::log_level::warn, "kraken",
                "reconnecting in " + std::to_string(i + 1) + ".5 s", t0 + seconds(i));
  sink.log_at(depthmon::feed::log_level::info, "okx", "reconnecting in 1.5 s", t0 + seconds(1));
  // Next window for kraken: the summary comes first, then the line.
  sink.log_at(depthmon::feed::log_level::warn, "kraken", "reconnecting in 9.5 s", t0 + seconds(12));
  const auto l = c.lines();
  REQUIRE(l.size() == 5);
  CHECK(l[0] == "<4>reconnecting in 1.5 s exchange=kraken");
  CHECK(l[1] == "<4>reconnecting in 2.5 s exchange=kraken");
  CHECK(l[2] == "<6>reconnecting in 1.5 s exchange=okx");
  CHECK(l[3] == "<4>suppressed 3 similar messages exchange=kraken like=\"reconnecting in # s\"");
  CHECK(l[4] == "<4>reconnecting in 9.5 s exchange=kraken");
}

TEST_CASE("feed_log_adapter: flush reports a window that closed without a later line",
          "[daemon][logging]") {
  captured c(log_format::journal);
  rate_limiter limiter(1, std::chrono::seconds(5));
  feed_log_adapter sink(c.logger, limiter);
  const rate_limiter::clock::time_point t0{};
  for (int i = 0; i < 4; ++i)
    sink.log_at(depthmon::feed::log_level::error, "bybit", "resubscribe rejected", t0);
  sink.flush_suppressed(t0 + std::chrono::seconds(4));  // window still open: nothing yet
  CHECK(c.lines().size() == 1);
  sink.flush_suppressed(t0 + std::chrono::seconds(5));
  sink.flush_suppressed(t0 + std::chrono::seconds(9));  // reported once only
  const auto l = c.lines();
  REQUIRE(l.size() == 2);
  CHECK(l[1] == "<3>suppressed 3 similar messages exchange=bybit like=\"resubscribe rejected\"");
  // Below the logger's level nothing is counted or written.
  c.logger->set_level(lvl::info);
  sink.log_at(depthmon::feed::log_level::debug, "bybit", "dbg", t0);
  CHECK(c.lines().size() == 2);
}

TEST_CASE("feed_log_adapter shared by feed threads: counts add up exactly", "[daemon][logging]") {
  captured c(log_format::journal);
  rate_limiter limiter(5, std::chrono::seconds(10));
  feed_log_adapter sink(c.logger, limiter);
  const rate_limiter::clock::time_point t0{};
  constexpr int k_threads = 4, k_each = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < k_each; ++i)
        sink.log_at(depthmon::feed::log_level::warn, t % 2 ? "okx" : "kraken",
                    "reconnect attempt " + std::to_string(i), t0);
    });
  for (auto& th : threads) th.join();
  sink.flush_suppressed(t0 + std::chrono::seconds(10));
  const auto l = c.lines();
  // Per venue: 5 lines, then one summary of the other 995; every line whole.
  REQUIRE(l.size() == 12);
  int kraken = 0, okx = 0;
  for (const auto& line : l) {
    INFO(line);
    CHECK(line.rfind("<4>", 0) == 0);
    kraken += line.find("exchange=kraken") != std::string::npos;
    okx += line.find("exchange=okx") != std::string::npos;
  }
  CHECK(kraken == 6);
  CHECK(okx == 6);
  CHECK(std::count(l.begin(), l.end(),
                   "<4>suppressed 995 similar messages exchange=kraken like=\"reconnect attempt #\"") == 1);
}
