// core/spsc_bytes.hpp — a bounded lock-free single-producer single-consumer byte queue of
// variable-size records (the raw-frame recorder's hand-off from a feed thread to its writer).
//
// push() copies a record (given as pieces, e.g. header + frame + "\n") in whole or not at all:
// when the free space is short it writes nothing and returns false, so the producer never
// waits and a consumer only ever sees whole records. drain() appends every byte published so
// far to a string. Positions are monotonically increasing 64-bit counters; the buffer index is
// position & (capacity - 1).
//
// Threads: exactly one producer thread calls push(), one consumer thread calls drain()
// (acquire/release on the two positions; each side caches the other's). Errors: none;
// push() of a record larger than the capacity always returns false.
#pragma once

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace depthmon::core {

class spsc_bytes {
 public:
  // `capacity` is rounded up to a power of two (at least 4 KiB).
  explicit spsc_bytes(std::size_t capacity)
      : cap_(std::bit_ceil(capacity < 4096 ? std::size_t{4096} : capacity)),
        buf_(std::make_unique<char[]>(cap_)) {}
  spsc_bytes(const spsc_bytes&) = delete;
  spsc_bytes& operator=(const spsc_bytes&) = delete;

  std::size_t capacity() const noexcept { return cap_; }

  bool push(std::initializer_list<std::string_view> pieces) noexcept {
    std::size_t n = 0;
    for (auto p : pieces) n += p.size();
    const std::uint64_t tail = tail_.load(std::memory_order_relaxed);
    if (tail + n - head_cache_ > cap_) {
      head_cache_ = head_.load(std::memory_order_acquire);
      if (tail + n - head_cache_ > cap_) return false;
    }
    std::uint64_t pos = tail;
    for (auto p : pieces) {
      copy_in(pos, p);
      pos += p.size();
    }
    tail_.store(pos, std::memory_order_release);
    return true;
  }

  // Appends every published byte to `out`; returns how many.
  std::size_t drain(std::string& out) {
    const std::uint64_t head = head_.load(std::memory_order_relaxed);
    const std::uint64_t tail = tail_.load(std::memory_order_acquire);
    const std::size_t n = static_cast<std::size_t>(tail - head);
    if (n == 0) return 0;
    const std::size_t at = static_cast<std::size_t>(head & (cap_ - 1));
    const std::size_t first = n < cap_ - at ? n : cap_ - at;
    out.append(buf_.get() + at, first);
    out.append(buf_.get(), n - first);
    head_.store(tail, std::memory_order_release);
    return n;
  }

 private:
  void copy_in(std::uint64_t pos, std::string_view p) noexcept {
    if (p.empty()) return;
    const std::size_t at = static_cast<std::size_t>(pos & (cap_ - 1));
    const std::size_t first = p.size() < cap_ - at ? p.size() : cap_ - at;
    std::memcpy(buf_.get() + at, p.data(), first);
    if (first < p.size()) std::memcpy(buf_.get(), p.data() + first, p.size() - first);
  }

  const std::size_t cap_;
  std::unique_ptr<char[]> buf_;
  alignas(64) std::atomic<std::uint64_t> tail_{0};  // written by the producer
  std::uint64_t head_cache_ = 0;                     // producer's copy of head_
  alignas(64) std::atomic<std::uint64_t> head_{0};  // written by the consumer
};

}  // namespace depthmon::core
