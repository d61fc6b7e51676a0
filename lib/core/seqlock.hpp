// core/seqlock.hpp — a single-writer seqlock publishing a trivially copyable value.
//
// The writer (one thread, always the same) never waits; readers retry until they copy a version
// no write overlapped, so they never see a torn value. The payload is stored as atomic words,
// not plain memory, so the scheme is race-free under the C++ memory model (and TSan): a reader
// that overlaps a write may copy a mix of words, which the sequence check discards. Ordering
// uses release stores / acquire loads of the words instead of standalone fences (TSan does not
// model atomic_thread_fence; g++ warns with -Wtsan): a reader that sees any word of a newer
// store synchronises with it and so sees the odd sequence when it re-checks. On x86 both are
// plain moves, the same code as relaxed.
//
// Threads: store() from the owning writer thread only; load()/try_load() from any thread.
// Errors: none. try_load() reports a read that kept overlapping writes (bounded retries).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace depthmon::core {

template <class T>
class seqlock {
  static_assert(std::is_trivially_copyable_v<T>, "seqlock payloads are copied word by word");
  static constexpr std::size_t words = (sizeof(T) + sizeof(std::uint64_t) - 1) / sizeof(std::uint64_t);

 public:
  seqlock() noexcept { store_words(T{}); }

  // Writer thread only.
  void store(const T& value) noexcept {
    const std::uint64_t s = seq_.load(std::memory_order_relaxed);
    seq_.store(s + 1, std::memory_order_relaxed);  // odd: write in progress
    store_words(value);  // release: a reader that sees a word also sees the odd sequence
    seq_.store(s + 2, std::memory_order_release);
  }

  // Any thread. False if `max_tries` attempts all overlapped a write (`out` then unspecified).
  bool try_load(T& out, unsigned max_tries = 1u << 16) const noexcept {
    for (unsigned i = 0; i < max_tries; ++i) {
      const std::uint64_t before = seq_.load(std::memory_order_acquire);
      if (before & 1u) continue;
      std::array<std::uint64_t, words> buf;
      for (std::size_t w = 0; w < words; ++w) buf[w] = data_[w].load(std::memory_order_acquire);
      if (seq_.load(std::memory_order_relaxed) == before) {
        // void*: T may have default member initialisers (not trivial, still trivially copyable).
        std::memcpy(static_cast<void*>(&out), buf.data(), sizeof(T));
        return true;
      }
    }
    return false;
  }

  // Any thread; spins until a consistent copy is read (the writer never holds it for long).
  T load() const noexcept {
    T out;
    while (!try_load(out)) {
    }
    return out;
  }

  // Completed stores so far (any thread).
  std::uint64_t version() const noexcept { return seq_.load(std::memory_order_acquire) / 2; }

 private:
  void store_words(const T& value) noexcept {
    std::array<std::uint64_t, words> buf{};
    std::memcpy(buf.data(), &value, sizeof(T));
    for (std::size_t w = 0; w < words; ++w) data_[w].store(buf[w], std::memory_order_release);
  }

  alignas(64) std::atomic<std::uint64_t> seq_{0};
  std::array<std::atomic<std::uint64_t>, words> data_{};
};

}  // namespace depthmon::core
