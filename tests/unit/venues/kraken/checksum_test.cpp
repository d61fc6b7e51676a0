// Kraken's book checksum (lib/venues/kraken/checksum.hpp): CRC-32, value formatting, and the
// documented examples — which reproduce only with the pair's precision.
#include "venues/kraken/checksum.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "core/decimal.hpp"
#include "support/json.hpp"
#include "support/run.hpp"
#include "support/seed.hpp"

namespace {

using namespace depthmon;
using venues::kraken::book_checksum;
using venues::kraken::checksum_input;
using venues::kraken::checksum_text;
using venues::kraken::crc32;

std::string text_of(std::int64_t ticks, unsigned scale, unsigned precision) {
  char buf[64];
  auto n = checksum_text(buf, ticks, scale, precision);
  REQUIRE(n);
  return std::string(buf, *n);
}

void set(book::l2_book& b, core::side s, std::string_view price, std::string_view qty) {
  auto p = core::parse_decimal(price);
  auto q = core::parse_decimal(qty);
  REQUIRE(p);
  REQUIRE(q);
  REQUIRE(b.set(s, *p, *q));
}

// The MATIC/USD snapshot of Kraken's v2 book channel page (as JSON numbers: shortest text).
const std::vector<std::pair<const char*, const char*>> k_matic_bids = {
    {"0.5666", "4831.75496356"}, {"0.5665", "6658.22734739"}, {"0.5664", "18724.91513344"},
    {"0.5663", "11563.92544914"}, {"0.5662", "14006.65365711"}, {"0.5661", "17454.85679807"},
    {"0.566", "18097.1547"},     {"0.5659", "33644.89175666"}, {"0.5658", "148.3464"},
    {"0.5657", "606.70854372"}};
const std::vector<std::pair<const char*, const char*>> k_matic_asks = {
    {"0.5668", "4410.79769741"}, {"0.5669", "4655.40412487"}, {"0.567", "49844.89424998"},
    {"0.5671", "24306.41678"},   {"0.5672", "29783.25223475"}, {"0.5673", "57234.71239278"},
    {"0.5674", "45065.04744"},   {"0.5675", "5912.76380354"},  {"0.5676", "42514.92434778"},
    {"0.5677", "36304.0847022"}};

void load_matic(book::l2_book& b) {
  for (auto [p, q] : k_matic_bids) set(b, core::side::bid, p, q);
  for (auto [p, q] : k_matic_asks) set(b, core::side::ask, p, q);
}

// What a checksum over the shortest number texts (the JSON tokens as sent) would hash.
std::string shortest_text_input(const book::l2_book& b) {
  std::string out;
  auto strip = [](std::string s) {
    std::string r;
    for (char c : s)
      if (c != '.' && !(r.empty() && c == '0')) r += c;
    return r;
  };
  std::vector<book::level> top;
  for (core::side s : {core::side::ask, core::side::bid}) {
    b.top(s, 10, top);
    for (const auto& l : top)
      out += strip(core::to_canonical_string(l.price, b.price_scale())) +
             strip(core::to_canonical_string(l.qty, b.qty_scale()));
  }
  return out;
}

}  // namespace

TEST_CASE("crc32 is zlib's IEEE CRC-32", "[kraken][checksum]") {
  CHECK(crc32("") == 0U);
  CHECK(crc32("123456789") == 0xCBF43926U);
  CHECK(crc32("The quick brown fox jumps over the lazy dog") == 0x414FA339U);
  // Incremental use continues the same CRC.
  CHECK(crc32("56789", crc32("1234")) == 0xCBF43926U);
}

TEST_CASE("the checksum guide's BTC/USD string gives 3310070434", "[kraken][checksum]") {
  simdjson::dom::parser p;
  const std::string text = test::read_file(test::data_path("kraken/expected_kraken_v2_docs.json"));
  auto doc = test::parse_json(p, text);
  const std::string s = test::str(doc["btcusd_guide"]["checksum_string"]);
  const std::uint64_t want = doc["btcusd_guide"]["crc32"].get_uint64();
  CHECK(crc32(s) == want);
  CHECK(want == 3310070434U);
}

TEST_CASE("checksum text: fixed precision, point and leading zeros removed", "[kraken][checksum]") {
  // Guide examples: price "45285.2" -> "452852"; qty "0.00100000" -> "100000".
  CHECK(text_of(452852, 1, 1) == "452852");
  CHECK(text_of(1, 3, 8) == "100000");
  // Precision pads with zeros that the value's own text does not have.
  CHECK(text_of(566, 3, 4) == "5660");                 // 0.566 at 4 -> "0.5660"
  CHECK(text_of(181, 1, 8) == "1810000000");           // 18.1 at 8
  CHECK(text_of(180971547, 4, 8) == "1809715470000");  // 18097.1547 at 8
  // A book held at a finer scale than the pair's precision formats with the precision.
  CHECK(text_of(56600000, 8, 4) == "5660");
  // Integers and precision 0.
  CHECK(text_of(45281, 0, 1) == "452810");
  CHECK(text_of(7, 0, 0) == "7");
  CHECK(text_of(10, 0, 0) == "10");  // only leading zeros go; inner and trailing stay
  CHECK(text_of(1001, 3, 3) == "1001");
  // Zero prints as nothing (every digit is a leading zero).
  CHECK(text_of(0, 0, 8) == "");
  // Large values with 18 decimals do not overflow.
  CHECK(text_of(999999999999999999LL, 8, 18) == "9999999999999999990000000000");
}

TEST_CASE("checksum text refuses a precision coarser than the value", "[kraken][checksum]") {
  char buf[64];
  auto r = checksum_text(buf, 5666, 4, 3);  // 0.5666 cannot be printed with 3 decimals
  REQUIRE_FALSE(r);
  CHECK(r.code() == core::errc::precision_loss);
  auto r2 = checksum_text(buf, 1, 0, 19);
  REQUIRE_FALSE(r2);
  CHECK(r2.code() == core::errc::invalid_argument);
}

TEST_CASE("MATIC/USD doc example: precision 4/8 gives the documented CRCs", "[kraken][checksum]") {
  book::l2_book b;
  load_matic(b);
  auto c = book_checksum(b, 4, 8);
  REQUIRE(c);
  CHECK(*c == 2439117997U);

  SECTION("the shortest number text gives 3830085102, which is wrong") {
    const std::string shortest = shortest_text_input(b);
    CHECK(crc32(shortest) == 3830085102U);
    auto padded = checksum_input(b, 4, 8);
    REQUIRE(padded);
    CHECK(*padded != shortest);
    CHECK(padded->find("5660") != std::string::npos);
  }
  SECTION("after the documented update (bid 0.5657 -> 1098.3947558)") {
    set(b, core::side::bid, "0.5657", "1098.3947558");
    auto c2 = book_checksum(b, 4, 8);
    REQUIRE(c2);
    CHECK(*c2 == 2114181697U);
  }
  SECTION("a coarser precision than the book's values is an error, not a CRC") {
    auto bad = book_checksum(b, 3, 8);
    REQUIRE_FALSE(bad);
    CHECK(bad.code() == core::errc::precision_loss);
  }
  SECTION("a finer precision gives another CRC") {
    auto other = book_checksum(b, 5, 8);
    REQUIRE(other);
    CHECK(*other != 2439117997U);
  }
}

TEST_CASE("checksum uses only the top 10 levels, asks first", "[kraken][checksum]") {
  book::l2_book b;
  for (int i = 0; i < 15; ++i) {
    set(b, core::side::bid, std::to_string(100 - i), "1");
    set(b, core::side::ask, std::to_string(101 + i), "2");
  }
  auto in = checksum_input(b, 0, 0);
  REQUIRE(in);
  CHECK(*in == "10121022103210421052106210721082109211021001991981971961951941931921911");
  // Levels beyond the 10th do not matter.
  auto before = book_checksum(b, 0, 0);
  set(b, core::side::bid, "80", "5");
  set(b, core::side::ask, "130", "5");
  auto after = book_checksum(b, 0, 0);
  REQUIRE(before);
  REQUIRE(after);
  CHECK(*before == *after);
  CHECK(*before == crc32(*in));
}

TEST_CASE("checksum of an empty or one-sided book", "[kraken][checksum]") {
  book::l2_book b;
  auto e = book_checksum(b, 2, 8);
  REQUIRE(e);
  CHECK(*e == crc32(""));
  set(b, core::side::bid, "1.5", "2");
  auto in = checksum_input(b, 2, 8);
  REQUIRE(in);
  CHECK(*in == "150200000000");
}

TEST_CASE("the checksum cache gives book_checksum's result after any change", "[kraken][checksum]") {
  // Random books and random top-of-book traffic: every cached result equals a fresh one.
  DEPTHMON_PROPERTY_SEED(seed, 5);
  std::mt19937_64 rng(seed);
  book::l2_book b;
  venues::kraken::checksum_cache cache;
  for (int i = 0; i < 40; ++i) {
    b.set_ticks(core::side::bid, 100000 - i * 3, 1 + i);
    b.set_ticks(core::side::ask, 100001 + i * 3, 1 + i);
  }
  for (int step = 0; step < 5000; ++step) {
    const auto s = (rng() & 1) ? core::side::bid : core::side::ask;
    const std::int64_t off = static_cast<std::int64_t>(rng() % 60);
    const std::int64_t price = s == core::side::bid ? 100000 - off : 100001 + off;
    b.set_ticks(s, price, (rng() % 4 == 0) ? 0 : static_cast<std::int64_t>(1 + rng() % 999));
    if (rng() % 500 == 0) REQUIRE(b.ensure_scales(b.price_scale() + 1, b.qty_scale()));
    const unsigned pp = b.price_scale() + static_cast<unsigned>(rng() % 2);
    const auto want = venues::kraken::book_checksum(b, pp, 8);
    const auto got = cache.checksum(b, pp, 8);
    REQUIRE(want.ok());
    REQUIRE(got.ok());
    REQUIRE(*got == *want);
  }
}
