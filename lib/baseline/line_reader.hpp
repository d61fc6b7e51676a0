// baseline/line_reader.hpp — a CSV file, plain or gzip-compressed, read line by line through
// zlib's gzread (which passes uncompressed files through), in a fixed buffer: memory stays
// bounded whatever the file size, so baseline building streams multi-GB vendor exports.
//
// Threads: one reader per thread. Errors: next() returns false at the end and on error;
// error() then says which (empty at a clean end), naming the file. A line longer than
// max_line is an error, not a reason to grow without bound.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace depthmon::baseline {

class line_reader {
 public:
  static constexpr std::size_t max_line = 1u << 20;

  line_reader() = default;
  ~line_reader();
  line_reader(const line_reader&) = delete;
  line_reader& operator=(const line_reader&) = delete;

  bool open(const std::string& path);
  // The next line without its '\n' (and a '\r' before it); valid until the next call.
  bool next(std::string_view& line);
  std::uint64_t line_no() const noexcept { return line_no_; }
  const std::string& error() const noexcept { return error_; }
  const std::string& path() const noexcept { return path_; }
  // Bytes of the file (compressed, for .gz) consumed so far, and the file's size.
  std::uint64_t bytes_done() const noexcept;
  std::uint64_t file_size() const noexcept { return size_; }

 private:
  bool fill();
  void set_too_long();
  void* gz_ = nullptr;  // gzFile, kept opaque so zlib.h stays out of this header
  std::string path_, error_;
  std::vector<char> buf_;
  std::size_t begin_ = 0, end_ = 0;
  std::uint64_t line_no_ = 0, size_ = 0;
  bool eof_ = false;
};

// Total size of `files` (progress totals); files that cannot be stat'ed count 0.
std::uint64_t total_size(const std::vector<std::string>& files);

}  // namespace depthmon::baseline
