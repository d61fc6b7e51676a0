#include "net/reconnect_limiter.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <random>
#include <thread>
#include <vector>

using depthmon::net::reconnect_limiter;
using namespace std::chrono_literals;
using clk = reconnect_limiter::clock;

TEST_CASE("reconnect_limiter admits N per window and says how long to wait", "[limiter]") {
  reconnect_limiter lim(3, 1000ms);
  const clk::time_point t0{};
  CHECK(lim.acquire(t0) == 0ms);
  CHECK(lim.acquire(t0 + 10ms) == 0ms);
  CHECK(lim.acquire(t0 + 20ms) == 0ms);
  CHECK(lim.acquire(t0 + 30ms) == 970ms);  // until the first grant leaves the window
  CHECK(lim.acquire(t0 + 999ms) == 1ms);
  CHECK(lim.acquire(t0 + 1000ms) == 0ms);
  CHECK(lim.acquire(t0 + 1001ms) == 9ms);
  CHECK(lim.granted() == 4);
}

TEST_CASE("reconnect_limiter never exceeds N in any window (no token-bucket double burst)",
          "[limiter]") {
  // A bucket of 5 refilled at 5/s admits 10 within one second (full bucket, then refill); the
  // sliding window must not. Random attempt times, then every window is checked.
  reconnect_limiter lim(5, 1000ms);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> step(0, 120);
  std::vector<clk::time_point> grants;
  clk::time_point t{};
  for (int i = 0; i < 5000; ++i) {
    t += std::chrono::milliseconds(step(rng));
    if (lim.acquire(t) == clk::duration::zero()) grants.push_back(t);
  }
  REQUIRE(grants.size() > 100);
  for (std::size_t i = 5; i < grants.size(); ++i) CHECK(grants[i] - grants[i - 5] >= 1000ms);
}

TEST_CASE("reconnect_limiter is shared safely across threads", "[limiter]") {
  reconnect_limiter lim(50, std::chrono::hours(1));
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 100; ++j)
        if (lim.acquire(clk::now()) == clk::duration::zero()) ++ok;
    });
  for (auto& th : threads) th.join();
  CHECK(ok.load() == 50);
}
