// CRC-32/IEEE and OKX's legacy top-25 checksum (docs/protocols.md §4.4).
#include "venues/okx/checksum.hpp"
#include "venues/okx/crc32.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

using namespace depthmon;
using namespace depthmon::venues::okx;

namespace {
core::decimal dec(const char* s) { return *core::parse_decimal(s); }

void fill(book::l2_book& b, const std::vector<std::pair<const char*, const char*>>& bids,
          const std::vector<std::pair<const char*, const char*>>& asks) {
  for (auto [p, q] : bids) REQUIRE(b.set(core::side::bid, dec(p), dec(q)).ok());
  for (auto [p, q] : asks) REQUIRE(b.set(core::side::ask, dec(p), dec(q)).ok());
}
}  // namespace

TEST_CASE("crc32 matches the IEEE check values", "[okx][crc32]") {
  CHECK(crc32_of("") == 0u);
  CHECK(crc32_of("123456789") == 0xCBF43926u);
  CHECK(crc32_of("The quick brown fox jumps over the lazy dog") == 0x414FA339u);
  // Piecewise updates equal one pass.
  crc32 c;
  c.update("12345").update('6').update("789");
  CHECK(c.value() == 0xCBF43926u);
}

TEST_CASE("legacy checksum text: the documentation's two strings", "[okx][checksum]") {
  {
    book::l2_book b;
    fill(b, {{"3366.1", "7"}, {"3366", "6"}}, {{"3366.8", "9"}, {"3368", "8"}});
    CHECK(legacy_checksum_text(b) == "3366.1:7:3366.8:9:3366:6:3368:8");
    // zlib.crc32(b"3366.1:7:3366.8:9:3366:6:3368:8") = 2413953002 -> signed -1881014294
    CHECK(legacy_checksum(b) == -1881014294);
    CHECK(static_cast<std::uint32_t>(legacy_checksum(b)) ==
          crc32_of("3366.1:7:3366.8:9:3366:6:3368:8"));
  }
  {
    // One side shorter: its missing entries are skipped ("bid:ask:ask:ask").
    book::l2_book b;
    fill(b, {{"3366.1", "7"}}, {{"3366.8", "9"}, {"3368", "8"}, {"3372", "8"}});
    CHECK(legacy_checksum_text(b) == "3366.1:7:3366.8:9:3368:8:3372:8");
    CHECK(legacy_checksum(b) == 831078360);
  }
}

TEST_CASE("legacy checksum uses 25 levels per side, canonical text", "[okx][checksum]") {
  book::l2_book b;
  // 30 levels per side; sizes with trailing zeros on the wire are canonical in the book.
  for (int i = 0; i < 30; ++i) {
    REQUIRE(b.set(core::side::bid, dec(std::to_string(100 - i).c_str()), dec("1.50")).ok());
    REQUIRE(b.set(core::side::ask, dec(std::to_string(101 + i).c_str()), dec("0.25")).ok());
  }
  REQUIRE(b.set(core::side::bid, dec("99.5"), dec("2")).ok());  // grows the price scale
  const std::string t = legacy_checksum_text(b);
  CHECK(t.rfind("100:1.5:101:0.25:99.5:2:102:0.25:99:1.5:103:0.25:", 0) == 0);
  // 25 bids + 25 asks, 2 fields each, 99 separators.
  CHECK(std::count(t.begin(), t.end(), ':') == 99);
  CHECK(t.find(":125:") != std::string::npos);   // 25th ask
  CHECK(t.find(":126:") == std::string::npos);   // 26th ask is left out
  CHECK(static_cast<std::uint32_t>(legacy_checksum(b)) == crc32_of(t));
  book::l2_book empty;
  CHECK(legacy_checksum_text(empty).empty());
  CHECK(legacy_checksum(empty) == 0);
}
