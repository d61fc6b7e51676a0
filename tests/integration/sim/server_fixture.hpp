// tests/integration/sim/server_fixture.hpp — a sim::server on 127.0.0.1 running on its own
// thread for the length of a test, stopped (on its thread) when the test ends.
#pragma once

#include <catch2/catch.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <string>
#include <thread>

#include "sim/server.hpp"

namespace depthmon::test {

struct running_sim {
  explicit running_sim(sim::server_options o) : srv(ioc, std::move(o)) {
    std::string why;
    const bool started = srv.start(&why).ok();
    INFO(why);
    REQUIRE(started);
    thread = std::thread([this] { ioc.run(); });
  }
  ~running_sim() {
    boost::asio::post(ioc, [this] {
      srv.stop();
      ioc.stop();
    });
    thread.join();
  }
  std::string control(const std::string& path) const { return srv.http_base() + path; }

  boost::asio::io_context ioc;
  sim::server srv;
  std::thread thread;
};

}  // namespace depthmon::test
