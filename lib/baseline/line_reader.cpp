#include "baseline/line_reader.hpp"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace depthmon::baseline {
namespace {
constexpr std::size_t k_chunk = 256u << 10;
gzFile as_gz(void* p) { return static_cast<gzFile>(p); }
}  // namespace

line_reader::~line_reader() {
  if (gz_) gzclose(as_gz(gz_));
}

bool line_reader::open(const std::string& path) {
  path_ = path;
  std::error_code ec;
  size_ = std::filesystem::file_size(path, ec);
  if (ec) size_ = 0;
  gz_ = gzopen(path.c_str(), "rb");
  if (!gz_) {
    error_ = path + ": cannot open: " + std::strerror(errno);
    return false;
  }
  gzbuffer(as_gz(gz_), k_chunk);
  buf_.resize(k_chunk * 2);
  return true;
}

std::uint64_t line_reader::bytes_done() const noexcept {
  if (!gz_) return 0;
  const auto off = gzoffset(as_gz(gz_));
  return off < 0 ? 0 : static_cast<std::uint64_t>(off);
}

void line_reader::set_too_long() {
  error_ = path_ + ":" + std::to_string(line_no_ + 1) + ": line longer than " +
           std::to_string(max_line) + " bytes";
}

// Moves the unread tail to the front and reads more after it; false at the end or on error.
bool line_reader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // What is left is one unfinished line: the bound is on it, not on the buffer's size.
  if (end_ > max_line) {
    set_too_long();
    return false;
  }
  if (buf_.size() - end_ < k_chunk) buf_.resize(buf_.size() * 2);
  const int n = gzread(as_gz(gz_), buf_.data() + end_, static_cast<unsigned>(buf_.size() - end_));
  if (n < 0) {
    int code = 0;
    const char* msg = gzerror(as_gz(gz_), &code);
    error_ = path_ + ":" + std::to_string(line_no_ + 1) + ": read error: " +
             (code == Z_ERRNO ? std::strerror(errno) : msg);
    return false;
  }
  if (n == 0) {
    // zlib returns what it has and flags a stream cut short only through gzerror.
    int code = Z_OK;
    gzerror(as_gz(gz_), &code);
    if (code == Z_BUF_ERROR) {
      error_ = path_ + ":" + std::to_string(line_no_ + 1) +
               ": read error: the gzip stream is truncated (unexpected end of file)";
      return false;
    }
    eof_ = true;
    return false;
  }
  end_ += static_cast<std::size_t>(n);
  return true;
}

bool line_reader::next(std::string_view& line) {
  if (!gz_ || !error_.empty()) return false;
  std::size_t scanned = begin_;
  while (true) {
    const void* nl = std::memchr(buf_.data() + scanned, '\n', end_ - scanned);
    if (nl) {
      const auto pos = static_cast<std::size_t>(static_cast<const char*>(nl) - buf_.data());
      if (pos - begin_ > max_line) {
        set_too_long();
        return false;
      }
      line = std::string_view(buf_.data() + begin_, pos - begin_);
      begin_ = pos + 1;
      break;
    }
    const std::size_t seen = end_ - begin_;
    if (!fill()) {
      if (!error_.empty()) return false;
      if (end_ == begin_) return false;
      line = std::string_view(buf_.data() + begin_, end_ - begin_);  // last line without '\n'
      begin_ = end_;
      break;
    }
    scanned = begin_ + seen;
  }
  ++line_no_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return true;
}

std::uint64_t total_size(const std::vector<std::string>& files) {
  std::uint64_t total = 0;
  for (const auto& f : files) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(f, ec);
    if (!ec) total += n;
  }
  return total;
}

}  // namespace depthmon::baseline
