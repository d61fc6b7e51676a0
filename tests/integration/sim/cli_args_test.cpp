// `depthmon sim` arguments: bad flags exit 2 with a one-line message naming the problem; a good
// run prints exactly one ready line (DESIGN.md shape, nulls without --tls / --write-config) and
// stops by itself after --duration with status 0.
#include <catch2/catch.hpp>

#include "support/json.hpp"
#include "support/run.hpp"

using namespace depthmon::test;

TEST_CASE("depthmon sim rejects bad flags with status 2", "[sim][cli]") {
  const struct {
    std::vector<std::string> args;
    const char* says;
  } bad[] = {
      {{"--venues", "binance,nowhere"}, "unknown venue 'nowhere'"},
      {{"--scenario", "meltdown"}, "--scenario must be steady, thinning or flash-crash"},
      {{"--listen", "localhost"}, "--listen expects HOST:PORT"},
      {{"--symbols-per-venue", "0"}, "--symbols-per-venue expects an integer"},
      {{"--rate", "-3"}, "--rate expects a positive number"},
      {{"--seed"}, "--seed needs a value"},
      {{"--bogus"}, "unknown option '--bogus'"},
      {{"stray"}, "unexpected argument 'stray'"},
  };
  for (const auto& b : bad) {
    std::vector<std::string> cmd = {DEPTHMON_CLI, "sim"};
    cmd.insert(cmd.end(), b.args.begin(), b.args.end());
    const auto r = run(cmd);
    INFO(b.args[0] << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(b.says) != std::string::npos);
    CHECK(r.out.empty());
  }
}

TEST_CASE("depthmon sim prints one ready line and stops after --duration", "[sim][cli]") {
  const auto r = run({DEPTHMON_CLI, "sim", "--venues", "okx,bitstamp", "--symbols-per-venue", "1",
                      "--duration", "0.5"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  const auto lines = r.lines();
  REQUIRE(lines.size() == 1);
  simdjson::dom::parser p;
  auto j = parse_json(p, lines[0]);
  CHECK(str(j["listen"]).rfind("127.0.0.1:", 0) == 0);
  CHECK(str(j["listen"]) != "127.0.0.1:0");  // the port actually bound
  CHECK(j["ca_file"].is_null());
  CHECK(j["config"].is_null());
}
