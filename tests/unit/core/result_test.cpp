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
