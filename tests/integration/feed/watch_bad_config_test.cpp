// `depthmon watch` with a config naming an unknown venue exits 2 and says why.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "support/run.hpp"

using namespace depthmon;
using namespace depthmon::test;

TEST_CASE("depthmon watch rejects a config without venues", "[feed][cli]") {
  const std::string path = "/tmp/depthmon_watch_bad_" + std::to_string(::getpid()) + ".toml";
  {
    std::ofstream f(path);
    f << "state_dir = \"/tmp\"\n[[venue]]\nname = \"nosuch\"\nsymbols = [\"X\"]\n";
  }
  const auto r = run({DEPTHMON_CLI, "watch", "--config", path, "--duration", "1"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("unknown venue") != std::string::npos);
  ::unlink(path.c_str());
}
