#include "net/backoff.hpp"

#include <catch2/catch.hpp>

using depthmon::net::backoff;
using ms = std::chrono::milliseconds;

TEST_CASE("backoff grows exponentially to a cap and resets", "[backoff]") {
  backoff b(ms(100), ms(1000));
  CHECK(b.next(0.999).count() == 99);   // ceiling 100
  CHECK(b.next(0.999).count() == 199);  // 200
  CHECK(b.next(0.999).count() == 399);  // 400
  CHECK(b.next(0.999).count() == 799);  // 800
  CHECK(b.next(0.999).count() == 999);  // capped at 1000
  CHECK(b.next(0.999).count() == 999);
  CHECK(b.next(0.0).count() == 1);      // full jitter, never zero
  b.reset();
  CHECK(b.attempts() == 0);
  CHECK(b.next(0.5).count() == 50);
}
