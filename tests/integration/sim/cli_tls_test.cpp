// `depthmon sim` (all ten venues, --write-config) and `depthmon watch` on that config, over
// wss/https with the printed CA trusted: every book reaches live and prints the truth's mid (cli_flow.hpp).
#include <catch2/catch.hpp>

#include "cli_flow.hpp"

TEST_CASE("depthmon sim + watch over wss/https with the printed CA trusted", "[sim][integration][cli]") {
  depthmon::test::sim_and_watch_flow(true);
}
