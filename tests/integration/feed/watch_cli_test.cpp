// `depthmon watch --config FILE --duration S` against the simulator: reads the DESIGN.md
// [[venue]] keys, prints one line per book per second, stops by itself.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "feed_harness.hpp"
#include "support/run.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("depthmon watch prints every book once a second and stops", "[feed][integration][cli]") {
  sim_server srv({.venue = core::venue::binance, .symbols = 2});
  const auto cfg = config_for(srv);
  const std::string path = "/tmp/depthmon_watch_" + std::to_string(::getpid()) + ".toml";
  {
    std::ofstream f(path);
    f << "state_dir = \"/tmp\"\n\n[[venue]]\nname = \"binance\"\nsymbols = [\"" << cfg.symbols[0]
      << "\", \"" << cfg.symbols[1] << "\"]\nws_url = \"" << cfg.ws_url << "\"\nrest_url = \""
      << cfg.rest_url << "\"\nsettings = {}\n";
  }
  const auto r = run({DEPTHMON_CLI, "watch", "--config", path, "--duration", "3.5"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const auto lines = r.lines();
  CHECK(lines.size() >= 4);  // 3 ticks x 2 books, the first may still be syncing
  std::size_t live = 0;
  for (const auto& l : lines) {
    CHECK(l.rfind("binance ", 0) == 0);
    if (l.find(" live mid=") != std::string::npos && l.find("bid2%=") != std::string::npos) ++live;
  }
  CHECK(live >= 2);
  ::unlink(path.c_str());
}
