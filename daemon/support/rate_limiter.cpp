#include "support/rate_limiter.hpp"

#include <cctype>

namespace depthmon::daemon_support {

rate_limiter::rate_limiter(std::uint32_t burst, clock::duration interval, std::size_t max_keys)
    : burst_(burst == 0 ? 1 : burst), interval_(interval), max_keys_(max_keys < 2 ? 2 : max_keys) {}

void rate_limiter::evict_closed(clock::time_point now) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    if (now - it->second.start >= interval_) {
      if (it->second.suppressed > 0)
        evicted_.push_back({it->first, it->second.suppressed, it->second.tag});
      it = windows_.erase(it);
    } else {
      ++it;
    }
  }
}

rate_limiter::verdict rate_limiter::admit(std::string_view key, std::uint8_t tag,
                                          clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(std::string(key));
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) evict_closed(now);
    const std::string k(windows_.size() >= max_keys_ - 1 ? overflow_key : key);
    it = windows_.try_emplace(k, window{now, 0, 0, tag}).first;
  }
  window& w = it->second;
  verdict v;
  if (now - w.start >= interval_) {
    v.suppressed = w.suppressed;
    v.suppressed_tag = w.tag;
    w = window{now, 0, 0, tag};
  }
  if (w.count < burst_) {
    ++w.count;
  } else {
    ++w.suppressed;
    v.log = false;
  }
  return v;
}

std::vector<rate_limiter::closed> rate_limiter::drain(clock::time_point now) {
  std::lock_guard lock(mu_);
  evict_closed(now);
  std::vector<closed> out;
  out.swap(evicted_);
  return out;
}

std::string rate_limiter::similarity_key(std::string_view scope, std::string_view message) {
  std::string k(scope);
  k += '\x1f';
  bool in_digits = false;
  for (const char c : message) {
    const bool d = std::isdigit(static_cast<unsigned char>(c)) != 0;
    // "2.5" is one run: a '.' between digits stays inside it.
    if (d || (in_digits && c == '.')) {
      if (!in_digits) k += '#';
      in_digits = true;
      continue;
    }
    in_digits = false;
    k += c;
  }
  return k;
}

}  // namespace depthmon::daemon_support
