#include <catch2/catch.hpp>

#include "support/rate_limiter.hpp"

using namespace depthmon::daemon_support;
using std::chrono::seconds;
using std::chrono::milliseconds;

TEST_CASE("rate_limiter logs the first N per interval and counts the rest", "[daemon][ratelimit]") {
  rate_limiter r(3, seconds(10));
  const rate_limiter::clock::time_point t0{};
  int logged = 0;
  for (int i = 0; i < 10; ++i) {
    const auto v = r.admit("k", 4, t0 + milliseconds(100 * i));
    logged += v.log;
    CHECK(v.suppressed == 0);
  }
  CHECK(logged == 3);
  // Window closed: the next event carries the count of the previous window, and is logged.
  const auto v = r.admit("k", 4, t0 + seconds(10));
  CHECK(v.log);
  CHECK(v.suppressed == 7);
  CHECK(v.suppressed_tag == 4);
  CHECK(r.drain(t0 + seconds(30)).empty());  // already reported with that event
}

TEST_CASE("rate_limiter keys are independent", "[daemon][ratelimit]") {
  rate_limiter r(1, seconds(10));
  const rate_limiter::clock::time_point t0{};
  CHECK(r.admit("a", 0, t0).log);
  CHECK_FALSE(r.admit("a", 0, t0).log);
  CHECK(r.admit("b", 0, t0).log);
  const auto closed = r.drain(t0 + seconds(10));
  REQUIRE(closed.size() == 1);
  CHECK(closed[0].key == "a");
  CHECK(closed[0].suppressed == 1);
  CHECK(r.drain(t0 + seconds(20)).empty());
  CHECK(r.admit("a", 0, t0 + seconds(21)).suppressed == 0);  // forgotten after the drain
}

TEST_CASE("rate_limiter stays bounded in keys", "[daemon][ratelimit]") {
  rate_limiter r(1, seconds(10), 4);
  const rate_limiter::clock::time_point t0{};
  int logged = 0;
  for (int i = 0; i < 100; ++i) logged += r.admit("key" + std::to_string(i), 0, t0).log;
  // 3 own keys, then everything shares the overflow key (logged once).
  CHECK(logged == 4);
  // Later, closed windows are evicted to make room, and their counts still come out.
  CHECK(r.admit("fresh", 0, t0 + seconds(11)).log);
  const auto closed = r.drain(t0 + seconds(11));
  REQUIRE(closed.size() == 1);
  CHECK(closed[0].key == rate_limiter::overflow_key);
  CHECK(closed[0].suppressed == 96);
}

TEST_CASE("similarity_key folds numbers and keeps scopes apart", "[daemon][ratelimit]") {
  CHECK(rate_limiter::similarity_key("kraken", "reconnect in 2.5 s (attempt 7)") ==
        rate_limiter::similarity_key("kraken", "reconnect in 10.25 s (attempt 12)"));
  CHECK(rate_limiter::similarity_key("kraken", "reconnect in 2.5 s") !=
        rate_limiter::similarity_key("okx", "reconnect in 2.5 s"));
  CHECK(rate_limiter::similarity_key("okx", "gap at 123") == "okx\x1fgap at #");
}
