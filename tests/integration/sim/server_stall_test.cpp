// A stall fault with a duration on sim::server: the connection stays open, nothing reaches the
// client for that long (no data, not even pongs: half-open as the client sees it), and at the
// stall's scheduled end the same connection carries data and pongs again. (The test server this
// replaced never ended a stall: the client saw silence until it gave up.)
#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <vector>

#include "net/ws_client.hpp"
#include "server_fixture.hpp"
#include "sim_support.hpp"

using namespace depthmon;
using namespace depthmon::test;
using clk = std::chrono::steady_clock;
using ms = std::chrono::milliseconds;

TEST_CASE("sim server: a stall with a duration ends at its scheduled time", "[sim][integration]") {
  sim::server_options o;
  o.venues = {core::venue::binance};
  o.symbols_per_venue = 1;
  o.levels_scale = 0.2;
  o.rate = 50;  // a frame every ~20 ms: silence is easy to tell from a quiet market
  running_sim s(o);

  boost::asio::io_context ioc;
  std::vector<clk::time_point> frames, pongs;
  bool closed = false;
  net::ws_options wo;
  wo.url = s.srv.ws_url(core::venue::binance) + "/stream?streams=btcusdt@depth@100ms";
  wo.ping_interval = ms(50);
  net::ws_callbacks cb;
  cb.on_message = [&](core::padded_view, bool, net::rx_time t) { frames.push_back(t.steady); };
  cb.on_control = [&](net::control_kind k, std::string_view) {
    if (k == net::control_kind::pong) pongs.push_back(clk::now());
  };
  cb.on_closed = [&](const net::ws_closed&) { closed = true; };
  auto conn = net::ws_connection::create(ioc, wo, cb);
  conn->start();
  REQUIRE(pump_until(ioc, [&] { return frames.size() >= 10 && pongs.size() >= 2; }, ms(5000)));

  const auto r = http_call("POST", s.control("/sim/v1/faults"),
                           R"({"venue":"binance","symbol":null,"kind":"stall","duration_s":1.0})");
  REQUIRE(r.status == 200);
  const auto stalled_at = clk::now();
  // Frames written before the stall was applied may still arrive in the first moments.
  (void)pump_until(ioc, [] { return false; }, ms(2500));
  REQUIRE_FALSE(closed);

  auto count_between = [](const std::vector<clk::time_point>& v, clk::time_point a, clk::time_point b) {
    std::size_t n = 0;
    for (auto t : v) n += t >= a && t < b;
    return n;
  };
  const auto quiet_from = stalled_at + ms(150), quiet_to = stalled_at + ms(850);
  CHECK(count_between(frames, quiet_from, quiet_to) == 0);
  CHECK(count_between(pongs, quiet_from, quiet_to) == 0);
  // Ended at its time (1 s after it began, on the simulator's clock), on the same connection.
  const auto after_from = stalled_at + ms(1000), after_to = stalled_at + ms(2500);
  CHECK(count_between(frames, after_from, after_to) >= 10);
  CHECK(count_between(pongs, after_from, after_to) >= 2);
  {
    std::lock_guard lock(s.srv.mutex());
    CHECK(s.srv.counters(core::venue::binance)->ws_connections == 1);
    CHECK(s.srv.counters(core::venue::binance)->ws_open == 1);
  }
  conn->abort();
}
