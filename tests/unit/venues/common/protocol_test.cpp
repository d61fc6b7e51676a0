// The shared protocol policies of venues/protocol.hpp: one pending recovery per book, back-off
// per book and spacing per protocol (receive-time clock), crossed books at the venue, and
// failures counted per reason.
#include "venues/protocol.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "venues/registry.hpp"

namespace {

using namespace depthmon;
using venues::request;
constexpr core::unix_nanos k_s = 1'000'000'000;

// A venue reduced to the base's failure path: fail() invalidates book X at receive time t.
struct fake final : venues::venue_protocol {
  venues::book_registry<book::tracked_book> reg;
  fake() : venue_protocol(request::kind::resubscribe) { register_book(reg.add("X")); }
  core::venue venue() const noexcept override { return core::venue::coinbase_exchange; }
  core::status on_frame(core::padded_view, core::unix_nanos) override { return {}; }
  book::tracked_book& x() { return *reg.find("X"); }
  void fail(core::unix_nanos t, core::errc why = core::errc::sequence_gap) {
    x().last_receive_time = t;
    fail_book(x(), {why, "test"});
  }
  void snapshot() { ++x().counters.snapshots; }  // what every venue's snapshot load counts
  std::vector<request> take() {
    auto r = std::move(requests());
    requests().clear();
    return r;
  }
};

}  // namespace

// Regression (issue 6): fail_book queued a request on every failure, whatever was pending.
TEST_CASE("one pending recovery per book", "[venues][protocol][recovery][regression]") {
  fake p;
  p.fail(10 * k_s);
  p.fail(10 * k_s + 1);
  p.fail(11 * k_s);
  auto r = p.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].what == request::kind::resubscribe);
  CHECK(r[0].symbol == "X");
  CHECK(r[0].reason == core::errc::sequence_gap);
  CHECK(r[0].not_before == 10 * k_s);  // the first recovery is not delayed
  CHECK(p.counters().recoveries == 1);
  CHECK(p.counters().recoveries_suppressed == 2);
  CHECK(p.x().counters.resyncs == 3);  // every failure still counts

  SECTION("a snapshot completes it; the next recovery backs off") {
    p.snapshot();
    p.fail(12 * k_s);
    r = p.take();
    REQUIRE(r.size() == 1);
    CHECK(r[0].not_before == 13 * k_s);  // + first_retry
    p.snapshot();
    p.fail(12 * k_s);
    p.snapshot();
    p.fail(12 * k_s);
    r = p.take();
    REQUIRE(r.size() == 2);
    CHECK(r[0].not_before == 14 * k_s);  // + 2 s
    CHECK(r[1].not_before == 16 * k_s);  // + 4 s
  }
  SECTION("the back-off is capped and resets after a quiet window") {
    core::unix_nanos t = 20 * k_s;
    core::unix_nanos last = 0;
    for (int i = 0; i < 12; ++i) {
      p.snapshot();
      p.fail(t);
      r = p.take();
      REQUIRE(r.size() == 1);
      last = r[0].not_before - t;
    }
    CHECK(last == 60 * k_s);
    p.snapshot();
    p.fail(t + 301 * k_s);
    r = p.take();
    REQUIRE(r.size() == 1);
    CHECK(r[0].not_before == t + 301 * k_s);
  }
  SECTION("the owner reports it done (e.g. the fetch failed)") {
    p.recovery_done("X");
    p.fail(12 * k_s);
    CHECK(p.take().size() == 1);
  }
  SECTION("a new connection voids it") {
    p.on_disconnect();
    CHECK(p.x().status == book::book_status::syncing);
    p.fail(12 * k_s);
    CHECK(p.take().size() == 1);
  }
  SECTION("a recovery pending for longer than pending_timeout is presumed lost") {
    p.fail(69 * k_s);
    CHECK(p.take().empty());
    p.fail(71 * k_s);
    CHECK(p.take().size() == 1);
  }
}

TEST_CASE("failures are counted per reason with stable labels", "[venues][protocol][reason]") {
  fake p;
  p.fail(1, core::errc::checksum_mismatch);
  p.fail(2, core::errc::checksum_mismatch);
  p.fail(3, core::errc::number_overflow);
  p.fail(4, core::errc::bad_number);
  const auto& c = p.x().counters;
  CHECK(c.resyncs_for(book::resync_reason::checksum_mismatch) == 2);
  CHECK(c.resyncs_for(book::resync_reason::number_overflow) == 1);
  CHECK(c.resyncs_for(book::resync_reason::other) == 1);
  CHECK(c.resyncs_for(book::resync_reason::sequence_gap) == 0);
  std::uint64_t sum = 0;
  for (auto n : c.resyncs_by_reason) sum += n;
  CHECK(sum == c.resyncs);
  CHECK(p.x().last_error.code == core::errc::bad_number);
  // The label set is a metrics contract: every reason has a distinct snake_case label.
  std::set<std::string_view> labels;
  for (std::size_t i = 0; i < book::resync_reason_count; ++i) {
    const auto l = book::label(static_cast<book::resync_reason>(i));
    CHECK(l.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string_view::npos);
    labels.insert(l);
  }
  CHECK(labels.size() == book::resync_reason_count);
  CHECK(book::label(book::resync_reason::crossed_book) == "crossed_book");
  CHECK(book::resync_reason_of(core::errc::stale_snapshot) == book::resync_reason::stale_snapshot);
}

// Recoveries of one protocol are spaced by what the venue allows: Coinbase Advanced Trade takes
// 8 client messages per second and a resubscribe costs two, so 250 ms apart.
TEST_CASE("recoveries of one protocol are spaced", "[venues][protocol][recovery]") {
  venues::protocol_options opt;
  opt.symbols = {"A-USD", "B-USD", "C-USD"};
  auto made = venues::make_protocol(core::venue::coinbase, opt);
  REQUIRE(made);
  auto& p = *made.value();
  core::padded_buffer buf;
  // One l2_data frame whose three snapshots are all crossed.
  std::string frame = R"({"channel":"l2_data","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":0,"events":[)";
  for (const char* sym : {"A-USD", "B-USD", "C-USD"}) {
    if (frame.back() == '}') frame += ',';
    frame += std::string(R"({"type":"snapshot","product_id":")") + sym +
             R"(","updates":[{"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"101","new_quantity":"1"},{"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"100","new_quantity":"1"}]})";
  }
  frame += "]}";
  REQUIRE(p.on_frame(buf.assign(frame), 5 * k_s));
  const auto& r = p.requests();
  REQUIRE(r.size() == 3);
  CHECK(r[0].not_before == 5 * k_s);
  CHECK(r[1].not_before == 5 * k_s + k_s / 4);
  CHECK(r[2].not_before == 5 * k_s + k_s / 2);
  for (auto* tb : p.books()) {
    CHECK(tb->status == book::book_status::invalid);
    CHECK(tb->counters.resyncs_for(book::resync_reason::crossed_book) == 1);
  }
}

// Regression (issue 6): Coinbase queued a resubscribe for every crossed message; a book that
// comes back crossed from each fresh snapshot now backs off (receive-time clock).
TEST_CASE("a book that keeps coming back crossed backs off", "[venues][protocol][recovery][regression]") {
  venues::protocol_options opt;
  opt.symbols = {"BTC-USD"};
  auto made = venues::make_protocol(core::venue::coinbase_exchange, opt);
  REQUIRE(made);
  auto& p = *made.value();
  core::padded_buffer buf;
  const std::string crossed =
      R"({"type":"snapshot","product_id":"BTC-USD","bids":[["101","1"]],"asks":[["100","1"]]})";
  for (int i = 0; i < 3; ++i) REQUIRE(p.on_frame(buf.assign(crossed), 5 * k_s));
  const auto& r = p.requests();
  REQUIRE(r.size() == 3);
  CHECK(r[0].not_before == 5 * k_s);
  CHECK(r[1].not_before == 6 * k_s);
  CHECK(r[2].not_before == 7 * k_s);
  CHECK(p.books()[0]->counters.crossed == 3);
}
