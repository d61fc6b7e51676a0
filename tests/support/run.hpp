// tests/support/run.hpp — run a command (the real depthmon binary) and capture its output.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace depthmon::test {

struct run_result {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  std::vector<std::string> lines() const {
    std::vector<std::string> v;
    std::istringstream ss(out);
    for (std::string l; std::getline(ss, l);)
      if (!l.empty()) v.push_back(l);
    return v;
  }
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs `args` (argv[0] first) with a shell, capturing stdout and stderr separately.
inline run_result run(const std::vector<std::string>& args) {
  static int counter = 0;
  const std::string errfile =
      "/tmp/depthmon_test_stderr_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  std::string cmd;
  for (const auto& a : args) cmd += shell_quote(a) + " ";
  cmd += "2>" + shell_quote(errfile);
  run_result r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed");
  std::array<char, 65536> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = ::pclose(p);
  r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream ef(errfile);
  std::stringstream ss;
  ss << ef.rdbuf();
  r.err = ss.str();
  std::remove(errfile.c_str());
  return r;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::vector<std::string> v;
  for (std::string l; std::getline(in, l);) v.push_back(l);
  return v;
}

inline std::string data_path(const std::string& rel) { return std::string(DEPTHMON_TEST_DATA) + "/" + rel; }

}  // namespace depthmon::test
