// The real 2026 Kraken v2 captures (tests/data/kraken/v2_book25_*_depthcharge_*, from
// shared/reference-data) through the library: replay::replay_session, i.e. the codec, sync, book
// and depth code the daemon uses. BTC/USD: 1,537 checksums at precision 1 / 8 that verify only
// with truncation to 25 levels. MINA/GBP: an unsubscribe and a resubscribe on one connection,
// so a second snapshot replaces the book mid-stream.
#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "core/frame.hpp"
#include "depth/bands.hpp"
#include "replay/replay.hpp"
#include "support/expect_band.hpp"
#include "support/json.hpp"
#include "support/run.hpp"
#include "venues/common/wire.hpp"
#include "venues/kraken/checksum.hpp"
#include "venues/kraken/v2_codec.hpp"

namespace {
using namespace depthmon;
using core::side;

const std::string k_btc = "kraken/v2_book25_btcusd_depthcharge_20260816";
const std::string k_mina = "kraken/v2_book25_minagbp_resync_depthcharge_20260818";

std::unique_ptr<replay::replay_session> session(std::map<std::string, std::string> settings) {
  replay::replay_options opt;
  opt.venue = core::venue::kraken;
  opt.protocol.settings = std::move(settings);
  auto bands = depth::parse_bands("2");
  REQUIRE(bands);
  opt.bands = *bands;
  auto s = replay::replay_session::create(std::move(opt));
  REQUIRE(s);
  return std::move(s).value();
}

std::string expected_text(const std::string& prefix) {
  const auto slash = prefix.find('/');
  return test::read_file(test::data_path(prefix.substr(0, slash + 1) + "expected_" +
                                         prefix.substr(slash + 1) + ".json"));
}

// The checksum the message on 1-based `line` carries.
std::uint32_t checksum_on(const std::vector<std::string>& lines, std::uint64_t line) {
  venues::kraken::v2_codec codec;
  venues::kraken::message m;
  core::padded_buffer buf;
  REQUIRE(codec.parse(buf.assign(lines.at(line - 1)), m).ok());
  REQUIRE(m.kind == venues::kraken::msg_kind::book);
  REQUIRE(m.books[0].has_checksum);
  return m.books[0].checksum;
}

bool is_snapshot(const std::vector<std::string>& lines, std::uint64_t line) {
  venues::kraken::v2_codec codec;
  venues::kraken::message m;
  core::padded_buffer buf;
  REQUIRE(codec.parse(buf.assign(lines.at(line - 1)), m).ok());
  return m.kind == venues::kraken::msg_kind::book && m.books[0].snapshot;
}

// The final book of a capture against its expected "final_book".
void check_final_book(replay::replay_session& s, const book::tracked_book& tb,
                      simdjson::dom::element fb) {
  const auto& bk = tb.book;
  const unsigned ps = bk.price_scale(), qs = bk.qty_scale();
  CHECK(test::same_value(fb["best_bid"].at(0), bk.best(side::bid)->price, ps));
  CHECK(test::same_value(fb["best_bid"].at(1), bk.best(side::bid)->qty, qs));
  CHECK(test::same_value(fb["best_ask"].at(0), bk.best(side::ask)->price, ps));
  CHECK(test::same_value(fb["best_ask"].at(1), bk.best(side::ask)->qty, qs));
  CHECK(bk.size(side::bid) == std::uint64_t(fb["bid_levels"]));
  CHECK(bk.size(side::ask) == std::uint64_t(fb["ask_levels"]));
  const auto v = s.depth_of(tb);
  REQUIRE(v.has_mid);
  CHECK(test::same_value(fb["mid"], v.mid_mantissa(), v.mid_scale()));
  // 25 levels a side: the sums are lower bounds where they do not reach the edge.
  test::check_band_2pct(v, 0, fb["band_2pct"]);
}

}  // namespace

TEST_CASE("Kraken v2 BTC/USD 2026 capture: 1,537 checksums with truncation to 25",
          "[kraken][reference]") {
  simdjson::dom::parser ep;
  const std::string text = expected_text(k_btc);
  const simdjson::dom::element expected = ep.parse(text);
  const simdjson::dom::element exp = expected["BTC/USD"];
  const auto lines = test::read_lines(test::data_path(k_btc + ".jsonl"));
  REQUIRE(lines.size() == std::uint64_t(expected["source_repository_figures_reproduced"]["frames"]));
  CHECK(is_snapshot(lines, std::uint64_t(exp["snapshot_line"])));
  CHECK(checksum_on(lines, std::uint64_t(exp["first_update"]["line"])) ==
        std::uint64_t(exp["first_update"]["checksum"]));
  CHECK(checksum_on(lines, std::uint64_t(exp["last_book_message"]["line"])) ==
        std::uint64_t(exp["last_book_message"]["checksum"]));

  // Without a setting the precision is learnt from the wire (v2 numbers drop trailing zeros,
  // so it is probed); with the pair's precision and depth given it is used as is.
  for (const auto& settings : {std::map<std::string, std::string>{},
                               std::map<std::string, std::string>{{"precision.BTC/USD", "1:8"},
                                                                  {"depth", "25"}}}) {
    INFO("settings: " << settings.size());
    auto s = session(settings);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      INFO("line " << i + 1);
      REQUIRE(s->feed_line(lines[i]));
    }
    auto& proto = s->protocol();
    const simdjson::dom::element frames = expected["frame_counts"];
    CHECK(proto.counters().malformed == 0);
    CHECK(proto.counters().unknown == 0);
    CHECK(proto.counters().book_messages ==
          std::uint64_t(frames["book/snapshot"]) + std::uint64_t(frames["book/update"]));
    CHECK(proto.counters().control == std::uint64_t(frames["heartbeat"]) +
                                          std::uint64_t(frames["status/update"]) +
                                          std::uint64_t(frames["method:subscribe"]));
    CHECK(proto.requests().empty());
    REQUIRE(proto.books().size() == 1);
    const book::tracked_book& tb = *proto.find_book("BTC/USD");
    CHECK(tb.live());
    CHECK(tb.counters.messages == std::uint64_t(exp["book_messages"]));
    CHECK(tb.counters.snapshots == std::uint64_t(exp["snapshots"]));
    CHECK(tb.counters.updates_applied == std::uint64_t(exp["updates"]));
    CHECK(tb.counters.checksums_passed == std::uint64_t(exp["checksums_verified"]));
    CHECK(tb.counters.checksums_failed == std::uint64_t(exp["checksum_mismatches"]));
    CHECK(tb.counters.resyncs == 0);
    CHECK(tb.counters.crossed == 0);
    CHECK(tb.book.get_coverage(side::bid).k == book::coverage::kind::to_nth_level);
    CHECK(tb.book.get_coverage(side::bid).n == std::uint64_t(exp["subscribed_depth"]));
    check_final_book(*s, tb, exp["final_book"]);
  }
}

TEST_CASE("Kraken v2 BTC/USD 2026 capture catches a book that does not truncate",
          "[kraken][reference]") {
  // The same frames into a bare book that keeps every level: only the expected 460 checksums
  // still verify, so the 1,537 above prove the truncation.
  simdjson::dom::parser ep;
  const std::string text = expected_text(k_btc);
  const simdjson::dom::element figures = ep.parse(text)["source_repository_figures_reproduced"];
  const simdjson::dom::element exp = ep.parse(text)["BTC/USD"];
  const unsigned pp = static_cast<unsigned>(std::uint64_t(exp["price_precision"]));
  const unsigned qp = static_cast<unsigned>(std::uint64_t(exp["qty_precision"]));
  venues::kraken::v2_codec codec;
  venues::kraken::message m;
  core::padded_buffer buf;
  book::l2_book truncating, untruncated;
  std::uint64_t ok_truncating = 0, ok_untruncated = 0, checksummed = 0;
  for (const auto& l : test::read_lines(test::data_path(k_btc + ".jsonl"))) {
    REQUIRE(codec.parse(buf.assign(l), m).ok());
    if (m.kind != venues::kraken::msg_kind::book) continue;
    const auto& d = m.books[0];
    for (book::l2_book* bk : {&truncating, &untruncated}) {
      if (d.snapshot) bk->clear();
      REQUIRE(venues::apply_levels(*bk, side::bid, d.bids));
      REQUIRE(venues::apply_levels(*bk, side::ask, d.asks));
    }
    truncating.truncate(std::uint64_t(exp["subscribed_depth"]));
    ++checksummed;
    const auto a = venues::kraken::book_checksum(truncating, pp, qp);
    const auto b = venues::kraken::book_checksum(untruncated, pp, qp);
    REQUIRE(a);
    REQUIRE(b);
    ok_truncating += *a == d.checksum;
    ok_untruncated += *b == d.checksum;
  }
  CHECK(checksummed == std::uint64_t(figures["checksummed"]));
  CHECK(ok_truncating == std::uint64_t(figures["ok_truncating"]));
  CHECK(ok_untruncated == std::uint64_t(figures["ok_never_truncating"]));
}

TEST_CASE("Kraken v2 MINA/GBP 2026 capture: a second snapshot after a resubscribe",
          "[kraken][reference]") {
  simdjson::dom::parser ep;
  const std::string text = expected_text(k_mina);
  const simdjson::dom::element expected = ep.parse(text);
  const simdjson::dom::element exp = expected["MINA/GBP"];
  const auto lines = test::read_lines(test::data_path(k_mina + ".jsonl"));
  REQUIRE(lines.size() == std::uint64_t(expected["source_repository_figures_reproduced"]["frames"]));

  // .sent.meta.tsv: the first .jsonl line received after each request (subscribe, unsubscribe,
  // subscribe); the frames before the resubscribe belong to the first subscription.
  std::vector<std::uint64_t> before_ws_line;
  for (const auto& row : test::read_lines(test::data_path(k_mina + ".sent.meta.tsv"))) {
    std::istringstream cells(row);
    std::string line, sent, before;
    std::getline(cells, line, '\t');
    std::getline(cells, sent, '\t');
    std::getline(cells, before, '\t');
    if (line != "line") before_ws_line.push_back(std::stoull(before));
  }
  REQUIRE(before_ws_line.size() == 3);
  const simdjson::dom::array detail = exp["snapshots_detail"];
  REQUIRE(detail.size() == 2);
  const simdjson::dom::element first = detail.at(0), second = detail.at(1);
  CHECK(std::uint64_t(second["snapshot"]["jsonl_line"]) >= before_ws_line[2]);
  CHECK(std::uint64_t(first["last_update"]["jsonl_line"]) < before_ws_line[1]);
  // Each segment's snapshot, first and last update carry the expected checksums, and the
  // re-snapshot's checksum is the last one before the unsubscribe.
  for (const simdjson::dom::element d : detail) {
    CHECK(is_snapshot(lines, std::uint64_t(d["snapshot"]["jsonl_line"])));
    CHECK(checksum_on(lines, std::uint64_t(d["snapshot"]["jsonl_line"])) ==
          std::uint64_t(d["snapshot"]["checksum"]));
    CHECK(checksum_on(lines, std::uint64_t(d["first_update"]["jsonl_line"])) ==
          std::uint64_t(d["first_update"]["checksum"]));
    CHECK(checksum_on(lines, std::uint64_t(d["last_update"]["jsonl_line"])) ==
          std::uint64_t(d["last_update"]["checksum"]));
  }
  CHECK(std::uint64_t(second["snapshot"]["checksum"]) == std::uint64_t(first["last_update"]["checksum"]));

  for (const auto& settings : {std::map<std::string, std::string>{},
                               std::map<std::string, std::string>{{"precision.MINA/GBP", "4:8"}}}) {
    INFO("settings: " << settings.size());
    auto s = session(settings);
    const book::tracked_book* tb = nullptr;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::uint64_t line = i + 1;
      INFO("line " << line);
      if (line == std::uint64_t(second["snapshot"]["jsonl_line"])) {
        // Everything of the first subscription, and nothing more; since the unsubscribe ack
        // the book waits for this snapshot instead of staying live on unmaintained content.
        REQUIRE(tb != nullptr);
        CHECK(tb->status == book::book_status::syncing);
        CHECK(tb->counters.snapshots == 1);
        CHECK(tb->counters.updates_applied == std::uint64_t(first["update_checksums_verified"]));
        CHECK(tb->counters.checksums_passed == std::uint64_t(first["update_checksums_verified"]) + 1);
      }
      REQUIRE(s->feed_line(lines[i]));
      if (!tb) tb = s->protocol().find_book("MINA/GBP");
      if (line == std::uint64_t(second["snapshot"]["jsonl_line"])) {
        CHECK(tb->counters.snapshots == 2);  // replaced, checksum verified
        CHECK(tb->counters.checksums_passed == std::uint64_t(first["update_checksums_verified"]) + 2);
        CHECK(tb->live());
      }
    }
    auto& proto = s->protocol();
    CHECK(proto.counters().malformed == 0);
    CHECK(proto.counters().unknown == 0);
    CHECK(proto.requests().empty());
    REQUIRE(tb != nullptr);
    CHECK(tb->live());
    CHECK(tb->counters.messages == std::uint64_t(exp["book_messages"]));
    CHECK(tb->counters.snapshots == std::uint64_t(exp["snapshots"]));
    CHECK(tb->counters.updates_applied == std::uint64_t(exp["updates"]));
    CHECK(tb->counters.updates_applied == std::uint64_t(first["update_checksums_verified"]) +
                                              std::uint64_t(second["update_checksums_verified"]));
    CHECK(tb->counters.checksums_passed == std::uint64_t(exp["checksums_verified"]));
    CHECK(tb->counters.checksums_failed == std::uint64_t(exp["checksum_mismatches"]));
    CHECK(tb->counters.resyncs == 0);
    check_final_book(*s, *tb, exp["final_book"]);
  }
}
