// core/ring.hpp — a fixed-capacity ring holding the N most recent values, newest first.
//
// push() writes the newest value, overwriting the oldest once the ring is full; at(0) is the
// newest, at(size() - 1) the oldest; clear() forgets every value. Indexing is relative to the
// write position, so a clear() can never expose a slot written before it (the bug this type
// replaced: writes at a moving slot, reads over slots [0, count)). push_slot() hands back the
// slot to overwrite in place, so values that own buffers (vectors) keep their capacity and a
// steady stream of pushes allocates nothing.
//
// Threads: a plain value with one owner. Errors: none; at(i) requires i < size().
#pragma once

#include <array>
#include <cstddef>
#include <utility>

namespace depthmon::core {

template <class T, std::size_t N>
class ring {
  static_assert(N > 0, "a ring holds at least one value");

 public:
  static constexpr std::size_t capacity() noexcept { return N; }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }

  // The slot that becomes the newest value. It still holds what it held before (the evicted
  // oldest value, or a value forgotten by clear()): the caller assigns every field it reads.
  T& push_slot() noexcept {
    T& slot = slots_[next_];
    next_ = next_ + 1 == N ? 0 : next_ + 1;
    if (size_ < N) ++size_;
    return slot;
  }
  void push(T v) { push_slot() = std::move(v); }

  // i = 0 is the newest value.
  T& at(std::size_t i) noexcept { return slots_[index(i)]; }
  const T& at(std::size_t i) const noexcept { return slots_[index(i)]; }

  // The newest value for which pred holds, or nullptr.
  template <class Pred>
  T* find_if(Pred pred) noexcept(noexcept(pred(std::declval<const T&>()))) {
    for (std::size_t i = 0; i < size_; ++i)
      if (T& v = at(i); pred(static_cast<const T&>(v))) return &v;
    return nullptr;
  }

  void clear() noexcept { size_ = 0; }

 private:
  std::size_t index(std::size_t i) const noexcept { return (next_ + N - 1 - i) % N; }

  std::array<T, N> slots_{};
  std::size_t next_ = 0;  // slot the next push writes
  std::size_t size_ = 0;
};

}  // namespace depthmon::core
