#include "venues/binance/subscribe.hpp"

#include <catch2/catch.hpp>

#include "../common/spec_checks.hpp"

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

TEST_CASE("binance instruments: base and quote split at the longest known quote", "[binance][spec]") {
  auto spot = spec_test::make(depthmon::core::venue::binance);
  CHECK(spec_test::instrument(*spot, "BTCUSDT") == spec_test::inst{"BTC", "USDT", "1"});
  CHECK(spec_test::instrument(*spot, "ETHBTC") == spec_test::inst{"ETH", "BTC", "1"});
  CHECK(spec_test::instrument(*spot, "BTCFDUSD") == spec_test::inst{"BTC", "FDUSD", "1"});  // not BTCFD / USD
  CHECK(spec_test::instrument(*spot, "SOLUSDC") == spec_test::inst{"SOL", "USDC", "1"});
  CHECK(spec_test::instrument(*spot, "BTCTRY") == spec_test::inst{"BTC", "TRY", "1"});
  CHECK(spec_test::instrument(*spot, "btcusdt") == spec_test::inst{"BTC", "USDT", "1"});
  CHECK(spec_test::instrument(*spot, "USDT") == spec_test::inst{"", "", ""});   // nothing left for a base
  CHECK(spec_test::instrument(*spot, "BTCXYZ") == spec_test::inst{"", "", ""});
  // USD-M contracts are sized in base units; delivery contracts carry a date suffix.
  auto usdm = spec_test::make(depthmon::core::venue::binance_usdm);
  CHECK(spec_test::instrument(*usdm, "BTCUSDT") == spec_test::inst{"BTC", "USDT", "1"});
  CHECK(spec_test::instrument(*usdm, "ETHUSDT_250328") == spec_test::inst{"ETH", "USDT", "1"});
}
