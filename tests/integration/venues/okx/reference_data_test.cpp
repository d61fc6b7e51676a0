// Real OKX data (tests/data/okx, copied from the project's reference-data/okx) through the
// library: the 2022 `books` capture with legacy checksums, the documentation examples and real
// `books5` frames (2026).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "replay/replay.hpp"
#include "support/json.hpp"
#include "support/run.hpp"
#include "venues/okx/checksum.hpp"
#include "venues/okx/codec.hpp"
#include "venues/okx/sync.hpp"

using namespace depthmon;
using namespace depthmon::test;
using book::book_status;

namespace {

std::unique_ptr<replay::replay_session> session(std::map<std::string, std::string> settings = {}) {
  replay::replay_options o;
  o.venue = core::venue::okx;
  o.protocol.settings = std::move(settings);
  o.bands = *depth::parse_bands("2");
  auto s = replay::replay_session::create(std::move(o));
  REQUIRE(s.ok());
  return std::move(s).value();
}

const book::tracked_book* find(replay::replay_session& s, std::string_view sym) {
  return s.protocol().find_book(sym);
}

std::string dec(core::int128 m, unsigned scale) { return core::to_canonical_string(m, scale); }
std::string price(const book::tracked_book& tb, std::int64_t ticks) {
  return dec(ticks, tb.book.price_scale());
}
std::string qty(const book::tracked_book& tb, std::int64_t ticks) {
  return dec(ticks, tb.book.qty_scale());
}

}  // namespace

TEST_CASE("2022 BTC-USDT books capture: every legacy checksum, final book, ±2 % band",
          "[okx][reference]") {
  simdjson::dom::parser jp;
  const std::string expected_text = read_file(data_path("okx/expected_okx_books_cryptofeed_2022.json"));
  const simdjson::dom::element exp = parse_json(jp, expected_text)["BTC-USDT"];

  auto s = session();
  venues::okx::codec codec;
  venues::okx::message m;
  core::padded_buffer buf;
  std::vector<std::int64_t> checksums;
  std::size_t book_lines = 0, recomputed_matches = 0;
  for (const auto& line : read_lines(data_path("okx/books_cryptofeed_2022.jsonl"))) {
    INFO(line.substr(0, 120));
    REQUIRE(s->feed_line(line).ok());
    REQUIRE(codec.parse(buf.assign(line), m).ok());
    if (m.kind != venues::okx::msg_kind::book_data) continue;
    ++book_lines;
    REQUIRE(m.entry_count == 1);
    CHECK_FALSE(m.entries[0].has_seq_id);  // 2022: before seqId existed
    REQUIRE(m.entries[0].checksum != 0);
    checksums.push_back(m.entries[0].checksum);
    // The book after this message reproduces the venue's checksum.
    const auto* tb = find(*s, "BTC-USDT");
    REQUIRE(tb != nullptr);
    REQUIRE(tb->live());
    if (venues::okx::legacy_checksum(tb->book) == m.entries[0].checksum) ++recomputed_matches;
  }
  const auto* tb = find(*s, "BTC-USDT");
  REQUIRE(tb != nullptr);
  CHECK(book_lines == std::uint64_t(exp["messages"]));
  CHECK(recomputed_matches == std::uint64_t(exp["checksum_matches"]));
  CHECK(tb->counters.messages == 98);
  CHECK(tb->counters.checksums_passed == 98);
  CHECK(tb->counters.checksums_failed == 0);
  CHECK(tb->counters.snapshots == 1);
  CHECK(tb->counters.updates_applied == 97);
  CHECK(tb->counters.resyncs == 0);
  CHECK(tb->counters.crossed == 0);
  CHECK(tb->status == book_status::live);
  CHECK_FALSE(tb->last_update_id.has_value());
  CHECK(s->protocol().requests().empty());

  std::vector<std::int64_t> first;
  for (auto c : simdjson::dom::array(exp["first_checksums"])) first.push_back(std::int64_t(c["checksum"]));
  REQUIRE(first == std::vector<std::int64_t>{47640993, -652563973, 2021784338});
  REQUIRE(checksums.size() == 98);
  CHECK(std::vector<std::int64_t>(checksums.begin(), checksums.begin() + 3) == first);

  const auto fb = exp["final_book"];
  const auto bb = *tb->book.best(core::side::bid);
  const auto ba = *tb->book.best(core::side::ask);
  CHECK(same_decimal(price(*tb, bb.price), str(fb["best_bid"].at(0))));
  CHECK(same_decimal(qty(*tb, bb.qty), str(fb["best_bid"].at(1))));
  CHECK(same_decimal(price(*tb, ba.price), str(fb["best_ask"].at(0))));
  CHECK(same_decimal(qty(*tb, ba.qty), str(fb["best_ask"].at(1))));
  CHECK(tb->book.size(core::side::bid) == std::uint64_t(fb["bid_levels"]));
  CHECK(tb->book.size(core::side::ask) == std::uint64_t(fb["ask_levels"]));

  // ±2 %: the library keeps the exact partial sums, but the 400-level view does not reach the
  // band edge, so the band is incomplete on both sides (and the JSON shows null).
  const auto dv = s->depth_of(*tb);
  REQUIRE(dv.has_mid);
  CHECK(same_decimal(dec(dv.mid_mantissa(), dv.mid_scale()), str(fb["mid"])));
  const auto band = fb["band_2pct"];
  const auto& bid = dv.bands[0][core::side::bid];
  const auto& ask = dv.bands[0][core::side::ask];
  CHECK(same_decimal(dec(bid.qty, dv.qty_scale), str(band["bid_qty"])));
  CHECK(same_decimal(dec(bid.notional, dv.notional_scale()), str(band["bid_notional"])));
  CHECK(same_decimal(dec(ask.qty, dv.qty_scale), str(band["ask_qty"])));
  CHECK(same_decimal(dec(ask.notional, dv.notional_scale()), str(band["ask_notional"])));
  CHECK_FALSE(bool(band["book_covers_band"]["bid"]));
  CHECK_FALSE(bool(band["book_covers_band"]["ask"]));
  CHECK_FALSE(bid.complete);
  CHECK_FALSE(ask.complete);
  // Why: the 400th bid lies above the band floor and the 400th ask below the cap.
  const auto floor = *core::parse_decimal(str(band["bid_price_floor"]));
  const auto cap = *core::parse_decimal(str(band["ask_price_cap"]));
  const auto deepest_bid = tb->book.nth(core::side::bid, 399);
  const auto deepest_ask = tb->book.nth(core::side::ask, 399);
  CHECK(core::compare_scaled(deepest_bid.price, tb->book.price_scale(), floor.mantissa, floor.scale) > 0);
  CHECK(core::compare_scaled(deepest_ask.price, tb->book.price_scale(), cap.mantissa, cap.scale) < 0);

  const auto json = s->books_json();
  REQUIRE(json.size() == 1);
  simdjson::dom::parser bp;
  const auto bj = parse_json(bp, json[0]);
  const auto b0 = bj["bands"].at(0);
  CHECK(b0["bid_qty"].is_null());
  CHECK(b0["bid_notional"].is_null());
  CHECK(b0["ask_qty"].is_null());
  CHECK(b0["ask_notional"].is_null());
  CHECK_FALSE(bool(b0["bid_complete"]));
  CHECK_FALSE(bool(b0["ask_complete"]));
}

TEST_CASE("OKX price and size strings are canonical decimals", "[okx][reference]") {
  // The legacy checksum is over the strings received; the book re-creates them with canonical
  // formatting, which is exact only if OKX's strings are canonical. Check every level we have.
  simdjson::dom::parser p;
  std::size_t n = 0;
  for (const char* f : {"okx/books_cryptofeed_2022.jsonl", "okx/books_doc_examples.jsonl",
                        "okx/books5_ccxt_2026.jsonl"}) {
    for (const auto& line : read_lines(data_path(f))) {
      const auto doc = parse_json(p, line);
      simdjson::dom::array data;
      if (doc["data"].get(data)) continue;
      for (auto e : data)
        for (const char* side : {"bids", "asks"})
          for (auto lvl : simdjson::dom::array(e[side]))
            for (std::size_t i = 0; i < 2; ++i) {
              const std::string t = str(lvl.at(i));
              const auto d = core::parse_decimal(t);
              REQUIRE(d.ok());
              CHECK(core::to_string(*d) == t);
              ++n;
            }
    }
  }
  CHECK(n == 10104);
}

TEST_CASE("documentation examples", "[okx][reference]") {
  const auto lines = read_lines(data_path("okx/books_doc_examples.jsonl"));
  REQUIRE(lines.size() == 7);
  SECTION("books: snapshot then update, seqId chain") {
    auto s = session();
    // Line 1 is the client's subscribe request, not something OKX sends.
    CHECK(s->feed_line(lines[0]).code() == core::errc::unknown_message);
    for (std::size_t i = 1; i < lines.size(); ++i) {
      INFO(i);
      CHECK(s->feed_line(lines[i]).ok());
    }
    const auto* tb = find(*s, "BTC-USDT");
    REQUIRE(tb != nullptr);
    CHECK(tb->status == book_status::live);
    CHECK(*tb->last_update_id == 123457);
    CHECK(tb->counters.snapshots == 1);
    CHECK(tb->counters.updates_applied == 1);
    CHECK(tb->book.size(core::side::bid) == 8);
    CHECK(price(*tb, tb->book.best(core::side::bid)->price) == "8476.97");
    CHECK(price(*tb, tb->book.best(core::side::ask)->price) == "8476.98");
    CHECK(s->protocol().books().size() == 1);  // books5 / bbo-tbt lines are other views
    CHECK(s->protocol().counters().control == 2);  // ack + notice
  }
  SECTION("notice 64008 asks for a reconnect") {
    venues::protocol_options o;
    auto p = std::move(venues::make_protocol(core::venue::okx, o)).value();
    core::padded_buffer buf;
    REQUIRE(p->on_frame(buf.assign(lines[6]), 0).ok());
    REQUIRE(p->requests().size() == 1);
    CHECK(p->requests()[0].what == venues::request::kind::reconnect);
    CHECK(p->counters().control == 1);
  }
  SECTION("books5 and bbo-tbt examples") {
    for (auto [ch, levels] : {std::pair{"books5", 5u}, std::pair{"bbo-tbt", 1u}}) {
      auto s = session({{"channel", ch}});
      for (std::size_t i = 1; i < lines.size(); ++i) CHECK(s->feed_line(lines[i]).ok());
      const auto* tb = find(*s, "BCH-USDT-SWAP");
      REQUIRE(tb != nullptr);
      CHECK(tb->status == book_status::live);
      CHECK(tb->counters.snapshots == 1);
      CHECK(tb->book.size(core::side::ask) == levels);
      CHECK(*tb->last_update_id == 363996337);
      CHECK(qty(*tb, tb->book.best(core::side::bid)->qty) == "57745");  // contracts, as sent
      CHECK(find(*s, "BTC-USDT") == nullptr);
    }
  }
}

TEST_CASE("real books5 frames (2026): each frame is a snapshot", "[okx][reference]") {
  auto s = session({{"channel", "books5"}, {"ctval.BTC-USDT-SWAP", "0.01"}});
  for (const auto& line : read_lines(data_path("okx/books5_ccxt_2026.jsonl"))) CHECK(s->feed_line(line).ok());
  REQUIRE(s->protocol().books().size() == 2);
  const auto* spot = find(*s, "BTC-USDT");
  const auto* swap = find(*s, "BTC-USDT-SWAP");
  REQUIRE(spot);
  REQUIRE(swap);
  for (const auto* tb : {spot, swap}) {
    CHECK(tb->status == book_status::live);
    CHECK(tb->counters.snapshots == 2);
    CHECK(tb->counters.updates_applied == 0);
    CHECK(tb->book.size(core::side::bid) == 5);
    CHECK(tb->book.size(core::side::ask) == 5);
    // Five levels cannot show ±2 %: incomplete on both sides.
    const auto dv = s->depth_of(*tb);
    CHECK_FALSE(dv.bands[0][core::side::bid].complete);
    CHECK_FALSE(dv.bands[0][core::side::ask].complete);
  }
  // The second frame replaced the first: its bids 4 and 5 are new levels, old ones are gone.
  CHECK(qty(*spot, spot->book.best(core::side::bid)->qty) == "0.2330179");
  CHECK(price(*spot, spot->book.nth(core::side::bid, 3).price) == "64071.5");
  CHECK(price(*spot, spot->book.nth(core::side::bid, 4).price) == "64070.4");
  CHECK(*spot->last_update_id == 79706756227);
  CHECK(price(*swap, swap->book.nth(core::side::bid, 1).price) == "63920.7");
  CHECK(qty(*swap, swap->book.best(core::side::ask)->qty) == "790.41");  // contracts
  const auto& okx = dynamic_cast<const venues::okx::protocol&>(s->protocol());
  CHECK(okx.contract_value("BTC-USDT-SWAP") == core::decimal{1, 2});
  CHECK(okx.contract_value("BTC-USDT") == core::decimal{1, 0});
}

TEST_CASE("every truncation of real frames is refused without touching the book",
          "[okx][reference][failure]") {
  const auto lines = read_lines(data_path("okx/books_cryptofeed_2022.jsonl"));
  REQUIRE(lines.size() == 99);
  venues::protocol_options o;
  auto p = std::move(venues::make_protocol(core::venue::okx, o)).value();
  core::padded_buffer buf;
  REQUIRE(p->on_frame(buf.assign(lines[1]), 0).ok());  // the snapshot
  const auto& tb = *p->books().front();
  const std::int32_t before = venues::okx::legacy_checksum(tb.book);
  std::size_t refused = 0;
  for (std::size_t li : {1u, 2u, 3u, 50u}) {
    const std::string& line = lines[li];
    const std::size_t stride = line.size() > 5000 ? 37 : 1;
    for (std::size_t n = 0; n < line.size(); n += stride) {
      const auto st = p->on_frame(buf.assign(std::string_view(line).substr(0, n)), 0);
      REQUIRE_FALSE(st.ok());
      REQUIRE(core::condition_of(st.code()) == core::condition::drop_message);
      ++refused;
    }
  }
  CHECK(refused > 4000);
  CHECK(tb.live());
  CHECK(tb.counters.messages == 1);
  CHECK(venues::okx::legacy_checksum(tb.book) == before);
  CHECK(p->requests().empty());
}
