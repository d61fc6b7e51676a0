#include "core/result.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace depthmon::core;

TEST_CASE("result carries a value or an error", "[result]") {
  result<int> ok = 5;
  CHECK(ok.ok());
  CHECK(*ok == 5);
  CHECK(ok.code() == errc::ok);
  result<int> bad{errc::bad_number, "price"};
  CHECK_FALSE(bad.ok());
  CHECK(bad.code() == errc::bad_number);
  CHECK(std::string(bad.err().detail) == "price");
  status s;
  CHECK(s.ok());
  status f{errc::sequence_gap, "U > u + 1"};
  CHECK_FALSE(f);
}

TEST_CASE("conditions group errors by what the caller does", "[result]") {
  CHECK(condition_of(errc::malformed_json) == condition::drop_message);
  CHECK(condition_of(errc::unknown_message) == condition::drop_message);
  CHECK(condition_of(errc::sequence_gap) == condition::resync_book);
  CHECK(condition_of(errc::checksum_mismatch) == condition::resync_book);
  CHECK(condition_of(errc::crossed_book) == condition::resync_book);
  CHECK(condition_of(errc::ok) == condition::none);
  for (int e = 0; e <= static_cast<int>(errc::invalid_argument); ++e)
    CHECK(to_string(static_cast<errc>(e)) != "?");
}

#include "core/time.hpp"

TEST_CASE("time conversions saturate instead of overflowing", "[time]") {
  CHECK(from_millis(1633998512068) == 1633998512068000000LL);
  CHECK(from_millis(17866173159748) == 0);  // year 2536: unknown, not wrapped
  CHECK(from_micros(1641343691244908) == 1641343691244908000LL);
  CHECK(from_micros(INT64_MAX) == 0);
  CHECK(parse_rfc3339("0001-01-01T00:00:00Z").code() == errc::number_overflow);

}

// Regression: a day past its month's end was accepted and rolled into the next month, so a
// baseline window ending "2025-09-31" silently meant 1 October.
TEST_CASE("RFC 3339 days must exist in their month; leap years counted", "[time]") {
  CHECK(parse_rfc3339("2025-02-31T00:00:00Z").code() == errc::bad_number);
  CHECK(parse_rfc3339("2025-09-31T00:00:00Z").code() == errc::bad_number);
  CHECK(parse_rfc3339("2025-02-29T00:00:00Z").code() == errc::bad_number);
  CHECK(parse_rfc3339("2100-02-29T00:00:00Z").code() == errc::bad_number);
  REQUIRE(parse_rfc3339("2024-02-29T00:00:00Z"));
  REQUIRE(parse_rfc3339("2000-02-29T00:00:00Z"));
  REQUIRE(parse_rfc3339("2025-10-31T23:59:59Z"));
  CHECK(*parse_rfc3339("2025-10-01T00:00:00Z") == 1'759'276'800'000'000'000);
}

#include "support/death.hpp"

// Regression: value() of an error result used to return a default-constructed T, so a caller
// that forgot to check read 0 as a price. Every accessor must abort, in every build type.
TEST_CASE("reading the value of an error result aborts", "[result]") {
  const result<long> bad{errc::number_overflow, "qty"};
  const auto via_value = depthmon::test::run_in_child([&] {
    volatile long v = bad.value();
    (void)v;
  });
  CHECK(via_value.signal == SIGABRT);
  CHECK(via_value.err.find("value() of an error result: number overflow (qty)") != std::string::npos);
  const auto via_star = depthmon::test::run_in_child([&] {
    volatile long v = *bad;
    (void)v;
  });
  CHECK(via_star.signal == SIGABRT);
  const auto via_move = depthmon::test::run_in_child([] {
    result<std::string> r{errc::bad_number, "price"};
    volatile std::size_t n = std::move(r).value().size();
    (void)n;
  });
  CHECK(via_move.signal == SIGABRT);
  const auto via_arrow = depthmon::test::run_in_child([] {
    const result<std::string> r{errc::bad_number, "price"};
    volatile std::size_t n = r->size();
    (void)n;
  });
  CHECK(via_arrow.signal == SIGABRT);
  // The check itself: a child that reads an ok value exits normally.
  const auto fine = depthmon::test::run_in_child([] {
    const result<long> r = 7;
    if (*r != 7) std::abort();
  });
  CHECK(fine.signal == 0);
  CHECK(fine.exit_code == 0);
}
