// baseline::line_reader: lines across buffer refills, CRLF, a last line without '\n', the
// max_line bound, gzip and plain alike.
#include <catch2/catch.hpp>
#include <unistd.h>
#include <zlib.h>

#include <fstream>

#include "baseline/line_reader.hpp"

using namespace depthmon;

namespace {

std::string temp(const std::string& name) {
  return "/tmp/depthmon_line_reader_" + std::to_string(::getpid()) + "_" + name;
}

std::vector<std::string> read_all(const std::string& path, std::string& error) {
  baseline::line_reader r;
  std::vector<std::string> out;
  if (!r.open(path)) {
    error = r.error();
    return out;
  }
  std::string_view l;
  while (r.next(l)) out.emplace_back(l);
  error = r.error();
  CHECK(r.line_no() == out.size());
  return out;
}

}  // namespace

TEST_CASE("line_reader: lines of any length up to the bound, plain and gzip", "[baseline][line_reader]") {
  // 3 000 lines of 0..2 999 'x' (4.5 MB): lines straddle every 256 kB refill.
  std::string text;
  for (int i = 0; i < 3000; ++i) text += std::string(static_cast<std::size_t>(i), 'x') + (i % 2 ? "\r\n" : "\n");
  text += "last";
  const auto plain = temp("plain.csv"), gz = temp("lines.csv.gz");
  std::ofstream(plain, std::ios::binary) << text;
  gzFile g = gzopen(gz.c_str(), "wb1");
  gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
  gzclose(g);
  for (const auto& path : {plain, gz}) {
    std::string error;
    const auto lines = read_all(path, error);
    CHECK(error.empty());
    REQUIRE(lines.size() == 3001);
    bool all = true;
    for (int i = 0; i < 3000; ++i) all = all && lines[static_cast<std::size_t>(i)] == std::string(static_cast<std::size_t>(i), 'x');
    CHECK(all);  // CR stripped, nothing lost at refill boundaries
    CHECK(lines.back() == "last");
    std::remove(path.c_str());
  }
}

TEST_CASE("line_reader: a line longer than max_line is an error naming its line", "[baseline][line_reader]") {
  const auto path = temp("long.csv");
  std::ofstream(path, std::ios::binary) << "a\n" << std::string(baseline::line_reader::max_line + (512u << 10), 'y') << "\n";
  std::string error;
  const auto lines = read_all(path, error);
  CHECK(lines.size() == 1);
  CHECK(error == path + ":2: line longer than " + std::to_string(baseline::line_reader::max_line) + " bytes");
  std::remove(path.c_str());
}
