// core/frame.hpp — a received text frame with the zeroed tail padding JSON parsers read past.
//
// simdjson reads up to 64 bytes past the end of its input; a frame handed to a codec always
// owns that slack so the codec never copies. `padded_buffer` is reused across frames by one
// thread (net's read loop, the replay reader), so steady state allocates nothing.
//
// Threads: single owner. Errors: none (allocation failure terminates, as everywhere).
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>
#include <vector>

namespace depthmon::core {

inline constexpr std::size_t frame_padding = 64;

// A view of frame bytes that guarantees `frame_padding` readable bytes after size().
class padded_view {
 public:
  padded_view(const char* data, std::size_t size) noexcept : data_(data), size_(size) {}
  const char* data() const noexcept { return data_; }
  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return size_ + frame_padding; }
  std::string_view text() const noexcept { return {data_, size_}; }

 private:
  const char* data_;
  std::size_t size_;
};

class padded_buffer {
 public:
  padded_view assign(std::string_view bytes) {
    if (buf_.size() < bytes.size() + frame_padding) buf_.resize(bytes.size() + frame_padding);
    if (!bytes.empty()) std::memcpy(buf_.data(), bytes.data(), bytes.size());
    std::memset(buf_.data() + bytes.size(), 0, frame_padding);
    size_ = bytes.size();
    return view();
  }
  padded_view view() const noexcept { return {buf_.data(), size_}; }

 private:
  std::vector<char> buf_;
  std::size_t size_ = 0;
};

}  // namespace depthmon::core
