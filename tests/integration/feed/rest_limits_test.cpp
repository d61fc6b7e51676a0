// Binance REST snapshots honour 429 and then 418 with Retry-After: no request is sent while
// either runs (counted at the server), and the books go live once the ban is over.
#include <catch2/catch.hpp>

#include "feed_harness.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("429 then 418 with Retry-After are honoured", "[feed][integration]") {
  sim_server srv({.venue = core::venue::binance, .symbols = 3});
  srv.with_sim([&](sim::venue_sim& s, sim_server_log&) {
    sim::fault f;
    f.kind = sim::fault_kind::rest_429;
    f.duration_s = 1.0;
    REQUIRE(s.inject(f));
    return 0;
  });
  feed_fixture fx(srv);
  fx.fd->start();
  REQUIRE(fx.run_until([&] { return fx.fd->stats().rest_429 >= 1; }, ms(3000)));
  srv.with_sim([&](sim::venue_sim& s, sim_server_log&) {
    sim::fault f;
    f.kind = sim::fault_kind::rest_418;
    f.duration_s = 2.0;
    REQUIRE(s.inject(f));
    return 0;
  });
  REQUIRE(fx.run_until([&] { return fx.all_live(); }, ms(9000)));
  const auto log = srv.with_sim([](sim::venue_sim&, sim_server_log& l) { return l.rest; });
  // Requests by outcome, and the silence after the first refusal of each kind.
  std::size_t n429 = 0, n418 = 0;
  std::optional<steady::time_point> first429, first418;
  for (const auto& r : log) {
    if (r.status == 429 && ++n429 == 1) first429 = r.at;
    if (r.status == 418 && ++n418 == 1) first418 = r.at;
  }
  REQUIRE(first429);
  REQUIRE(first418);
  CHECK(n429 <= 2);  // at most the requests already in flight
  CHECK(n418 <= 2);
  for (const auto& r : log) {
    INFO(r.target << " " << r.status);
    const bool in_flight_429 = r.at - *first429 < ms(50);
    const bool in_flight_418 = r.at - *first418 < ms(50);
    if (r.at > *first429 && !in_flight_429) CHECK(r.at - *first429 >= ms(950));
    if (r.at > *first418 && !in_flight_418) CHECK(r.at - *first418 >= ms(950));
  }
  CHECK(fx.fd->stats().rest_418 >= 1);
  CHECK(fx.rec.lines_containing("REST 418") >= 1);
  fx.run_for(ms(200));
  CHECK(fx.compare_all() == "");
}
