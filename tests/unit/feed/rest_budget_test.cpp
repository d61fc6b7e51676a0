#include <catch2/catch.hpp>

#include "feed/book_state.hpp"
#include "feed/rest_budget.hpp"

using namespace depthmon::feed;
using clk = rest_budget::clock;
using std::chrono::seconds;
using std::chrono::milliseconds;

TEST_CASE("rest_budget keeps a minute's weight under the usable share", "[feed]") {
  rest_budget b(1000, 0.8);  // 800 usable
  const clk::time_point t0{};
  for (int i = 0; i < 3; ++i) CHECK(b.acquire(250, t0 + milliseconds(i)) == clk::duration::zero());
  // 750 used: a fourth 250 would exceed 800; it may go when the first grant leaves the minute.
  const auto wait = b.acquire(250, t0 + milliseconds(10));
  CHECK(wait == seconds(60) - milliseconds(10));
  CHECK(b.acquire(250, t0 + seconds(60)) == clk::duration::zero());
}

TEST_CASE("rest_budget trusts a higher server figure", "[feed]") {
  rest_budget b(1000, 0.8);
  const clk::time_point t0{};
  b.on_response(200, "790", "", t0);
  CHECK(b.used(t0) == 790);
  CHECK(b.acquire(50, t0) > clk::duration::zero());
  CHECK(b.acquire(50, t0 + seconds(61)) == clk::duration::zero());
}

TEST_CASE("rest_budget pauses on 429 and stops on 418 for Retry-After", "[feed]") {
  rest_budget b(6000);
  const clk::time_point t0{};
  b.on_response(429, "", "3", t0);
  CHECK(b.acquire(5, t0 + seconds(2)) == seconds(1));
  CHECK(b.acquire(5, t0 + seconds(3)) == clk::duration::zero());
  b.on_response(418, "", "120", t0 + seconds(3));
  CHECK(b.blocked(t0 + seconds(100)));
  CHECK(b.acquire(5, t0 + seconds(100)) == seconds(23));
  CHECK(b.too_many() == 1);
  CHECK(b.banned() == 1);
  // No Retry-After: conservative defaults.
  rest_budget c(0);
  c.on_response(418, "", "", t0);
  CHECK(c.acquire(1, t0 + seconds(299)) == seconds(1));
}

TEST_CASE("book_state_machine counts transitions, not repeats", "[feed]") {
  book_state_machine m;
  CHECK(m.state() == book_state::syncing);
  CHECK(m.move(book_state::live, transition_reason::synced));
  CHECK_FALSE(m.move(book_state::live, transition_reason::synced));
  CHECK(m.publishable());
  CHECK(m.move(book_state::stale, transition_reason::stale));
  CHECK_FALSE(m.publishable());
  CHECK(m.move(book_state::live, transition_reason::resumed));
  CHECK(m.move(book_state::live, transition_reason::switched));  // counted, state unchanged
  CHECK(m.transitions() == 4);
  CHECK(m.count(transition_reason::synced) == 1);
  CHECK(m.count(transition_reason::stale) == 1);
}
