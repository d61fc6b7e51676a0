// core::spsc_bytes: records go in whole or not at all, wrap around the buffer intact, a full
// queue refuses without blocking, and a producer and a consumer thread hand over every record
// in order.
#include <catch2/catch.hpp>

#include <thread>

#include "core/spsc_bytes.hpp"

using depthmon::core::spsc_bytes;

TEST_CASE("spsc_bytes keeps records whole, in order, across the wrap", "[core][spsc]") {
  spsc_bytes q(4096);
  CHECK(q.capacity() == 4096);
  std::string out;
  const std::string a(3000, 'a'), b(2000, 'b');
  REQUIRE(q.push({a, "|"}));
  CHECK_FALSE(q.push({b}));  // 3001 + 2000 > 4096: refused, nothing written
  REQUIRE(q.drain(out) == 3001);
  CHECK(out == a + "|");
  REQUIRE(q.push({b, "x", b}));  // wraps past the end of the buffer
  out.clear();
  REQUIRE(q.drain(out) == 4001);
  CHECK(out == b + "x" + b);
  CHECK(q.drain(out) == 0);
  CHECK_FALSE(q.push({std::string(5000, 'c')}));  // larger than the queue: never fits
}

TEST_CASE("spsc_bytes hands every record from one thread to another", "[core][spsc]") {
  spsc_bytes q(1 << 14);
  constexpr int n = 200'000;
  std::thread producer([&] {
    for (int i = 0; i < n; ++i) {
      const std::string rec = std::to_string(i) + "\n";
      while (!q.push({rec})) std::this_thread::yield();  // the test's producer may wait; a feed drops
    }
  });
  std::string all, chunk;
  int next = 0;
  bool in_order = true;
  while (next < n) {
    chunk.clear();
    if (q.drain(chunk) == 0) {
      std::this_thread::yield();
      continue;
    }
    all += chunk;
    std::size_t at = 0;
    for (std::size_t nl; (nl = all.find('\n', at)) != std::string::npos; at = nl + 1)
      in_order = in_order && all.compare(at, nl - at, std::to_string(next++)) == 0;
    all.erase(0, at);
  }
  producer.join();
  CHECK(in_order);
  CHECK(all.empty());
}
