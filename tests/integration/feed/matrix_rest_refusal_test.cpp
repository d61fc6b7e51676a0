// Fault matrix, REST 429 and 418 with Retry-After, on the venues whose books start from a REST
// snapshot (Binance, USD-M, Bitstamp; every other venue starts from a websocket snapshot and
// makes no REST request, so the REST faults do not apply there). While every book needs a new
// snapshot (a crossed update on every symbol), the simulator refuses REST for 1.5 s: the books
// stay non-live, no request is sent while Retry-After runs (beyond the requests already in
// flight: no request is refused twice), and every book is live and equal to the truth once it is over. Then the same with
// 418 (the IP ban).
#include <catch2/catch.hpp>

#include "matrix_rig.hpp"

using namespace depthmon;
using namespace depthmon::test;

namespace {
void refuse_then_recover(matrix& m, sim::fault_kind refusal) {
  const unsigned status = refusal == sim::fault_kind::rest_429 ? 429 : 418;
  std::vector<std::size_t> log0;
  std::vector<std::uint64_t> refused0;
  for (auto& r : m.rigs) {
    log0.push_back(r->srv->with_sim([](sim::venue_sim&, sim_server_log& l) { return l.rest.size(); }));
    refused0.push_back(status == 429 ? r->fd->stats().rest_429 : r->fd->stats().rest_418);
    REQUIRE(r->inject(make_fault(refusal, std::nullopt, 1.5)));
    for (const auto& b : r->fd->books()) REQUIRE(r->inject(make_fault(sim::fault_kind::crossed, b->symbol)));
  }
  REQUIRE(m.run_until([&] {
    for (std::size_t i = 0; i < m.rigs.size(); ++i) {
      auto& r = *m.rigs[i];
      const auto n = status == 429 ? r.fd->stats().rest_429 : r.fd->stats().rest_418;
      if (n <= refused0[i] || !r.all_live()) return false;
    }
    return true;
  }, ms(10'000)));
  for (std::size_t i = 0; i < m.rigs.size(); ++i) {
    auto& r = *m.rigs[i];
    INFO(r.name() << " " << status);
    const auto log = r.srv->with_sim([](sim::venue_sim&, sim_server_log& l) { return l.rest; });
    std::optional<steady::time_point> first;
    std::size_t refused = 0;
    for (std::size_t k = log0[i]; k < log.size(); ++k)
      if (log[k].status == int(status) && ++refused == 1) first = log[k].at;
    REQUIRE(first);
    CHECK(refused <= 2);  // at most the requests already in flight (two per feed)
    for (std::size_t k = log0[i]; k < log.size(); ++k) {
      const auto& e = log[k];
      if (e.at <= *first || e.at - *first < ms(50)) continue;  // in flight when refused
      INFO(e.target << " " << e.status);
      CHECK(e.at - *first >= ms(950));  // Retry-After (whole seconds, at least 1) honoured
      CHECK(e.status == 200);            // and so never refused again
    }
    for (const auto& b : r.fd->books()) CHECK(b->book->counters.crossed >= 1);
  }
}
}  // namespace

TEST_CASE("matrix: REST 429 and 418 are honoured and every book recovers", "[feed][integration][matrix]") {
  std::vector<core::venue> rest;
  for (core::venue v : core::all_venues) {
    INFO(core::to_string(v));
    // The simulator answers REST faults exactly where the feed makes REST snapshot requests.
    CHECK(sim_accepts(v, sim::fault_kind::rest_429) == traits_of(v).rest_snapshot);
    if (traits_of(v).rest_snapshot) rest.push_back(v);
  }
  REQUIRE(rest.size() == 3);
  matrix m(rest);
  REQUIRE(m.start_live());
  refuse_then_recover(m, sim::fault_kind::rest_429);
  refuse_then_recover(m, sim::fault_kind::rest_418);
  m.run_for(ms(600));
  CHECK(m.compare_all() == "");
  CHECK(violations_text(m) == "");
  for (auto& r : m.rigs) {
    INFO(r->name());
    CHECK(r->fd->stats().disconnects == 0);
    CHECK(r->rec.lines_containing("REST 418") >= 1);
  }
}
