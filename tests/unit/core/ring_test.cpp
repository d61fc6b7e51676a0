#include "core/ring.hpp"

#include <catch2/catch.hpp>

#include <vector>

using depthmon::core::ring;

namespace {
std::vector<int> contents(const ring<int, 4>& r) {
  std::vector<int> out;
  for (std::size_t i = 0; i < r.size(); ++i) out.push_back(r.at(i));
  return out;
}
}  // namespace

TEST_CASE("ring keeps the newest values, newest first", "[core][ring]") {
  ring<int, 4> r;
  CHECK(r.empty());
  CHECK(r.capacity() == 4);
  r.push(1);
  r.push(2);
  CHECK(contents(r) == std::vector<int>{2, 1});
  for (int v = 3; v <= 7; ++v) r.push(v);
  CHECK(r.size() == 4);
  CHECK(contents(r) == std::vector<int>{7, 6, 5, 4});
}

TEST_CASE("ring clear never exposes values pushed before it", "[core][ring]") {
  ring<int, 4> r;
  for (int v = 1; v <= 6; ++v) r.push(v);  // write position is mid-array
  r.clear();
  CHECK(r.empty());
  CHECK(r.find_if([](int) { return true; }) == nullptr);
  r.push(10);
  CHECK(contents(r) == std::vector<int>{10});
  CHECK(r.find_if([](int v) { return v == 6; }) == nullptr);  // the stale slot is not seen
  r.push(11);
  r.push(12);
  r.push(13);
  r.push(14);  // wraps over the stale slots
  CHECK(contents(r) == std::vector<int>{14, 13, 12, 11});
}

TEST_CASE("ring find_if returns the newest match", "[core][ring]") {
  ring<std::pair<int, int>, 3> r;
  r.push({1, 10});
  r.push({2, 20});
  r.push({1, 30});
  auto* p = r.find_if([](const auto& v) { return v.first == 1; });
  REQUIRE(p != nullptr);
  CHECK(p->second == 30);
  CHECK(r.find_if([](const auto& v) { return v.first == 3; }) == nullptr);
}

TEST_CASE("ring push_slot reuses a slot's storage", "[core][ring]") {
  ring<std::vector<int>, 2> r;
  r.push_slot().assign(100, 1);
  r.push_slot().assign(100, 2);
  const int* storage = r.at(1).data();  // the oldest: the next slot to be written
  auto& s = r.push_slot();
  CHECK(s.data() == storage);  // the evicted vector, capacity kept
  s.assign(3, 3);
  CHECK(r.at(0) == std::vector<int>{3, 3, 3});
  CHECK(r.at(1).size() == 100);
}
