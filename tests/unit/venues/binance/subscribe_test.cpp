#include "venues/binance/subscribe.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace depthmon::venues::binance;

TEST_CASE("subscribe builders use lowercase stream names", "[binance][subscribe]") {
  const std::vector<std::string> syms{"BTCUSDT", "ETHUSDT"};
  CHECK(subscribe_message(syms, 7) ==
        R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@bookTicker","ethusdt@depth@100ms","ethusdt@bookTicker"],"id":7})");
  CHECK(unsubscribe_message(std::vector<std::string>{"BTCUSDT"}, 8) ==
        R"({"method":"UNSUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@bookTicker"],"id":8})");
  CHECK(combined_stream_path(syms) ==
        "/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker/ethusdt@depth@100ms/ethusdt@bookTicker");
  CHECK(snapshot_target(market::spot, "BTCUSDT", 5000) == "/api/v3/depth?symbol=BTCUSDT&limit=5000");
  CHECK(snapshot_target(market::usdm, "BTCUSDT", 1000) == "/fapi/v1/depth?symbol=BTCUSDT&limit=1000");
}
