// Zero-filled windows for the book's tick ladders (book/tick_window_ladder.hpp, detail::): fresh
// ones from the kernel, returned ones from a small pool.
#include <cstdlib>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include "book/tick_window_ladder.hpp"

#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#define DEPTHMON_HAVE_MMAP 1
#endif

namespace depthmon::book::detail {
namespace {

// Books are created and dropped on their feed threads (sessions, resubscriptions, reloads), so
// the pool takes a lock; it is touched once per window's life, never per update.
// Both are leaked on purpose: a book in static storage may be destroyed after them at exit.
constexpr std::size_t k_pool_max = 64;  // at most 64 × 130 KB kept for reuse
std::mutex& pool_mutex() {
  static auto* m = new std::mutex;
  return *m;
}
std::vector<std::pair<std::size_t, void*>>& pool() {
  static auto* p = new std::vector<std::pair<std::size_t, void*>>;
  return *p;
}

void* fresh(std::size_t bytes) {
#ifdef DEPTHMON_HAVE_MMAP
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  return p;
#else
  void* p = std::calloc(1, bytes);
  if (p == nullptr) throw std::bad_alloc();
  return p;
#endif
}

void release(void* p, std::size_t bytes) noexcept {
#ifdef DEPTHMON_HAVE_MMAP
  ::munmap(p, bytes);
#else
  (void)bytes;
  std::free(p);
#endif
}

}  // namespace

void* map_zeroed(std::size_t bytes) {
  {
    const std::lock_guard<std::mutex> lock(pool_mutex());
    auto& p = pool();
    for (std::size_t i = p.size(); i-- > 0;) {
      if (p[i].first != bytes) continue;
      void* w = p[i].second;
      p[i] = p.back();
      p.pop_back();
      return w;
    }
  }
  return fresh(bytes);
}

void unmap_zeroed(void* w, std::size_t bytes) noexcept {
  {
    const std::lock_guard<std::mutex> lock(pool_mutex());
    auto& p = pool();
    if (p.size() < k_pool_max) {
      try {
        p.emplace_back(bytes, w);
        return;
      } catch (...) {  // no room to remember it: give it back
      }
    }
  }
  release(w, bytes);
}

}  // namespace depthmon::book::detail
