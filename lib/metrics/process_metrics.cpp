#include "metrics/process_metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace depthmon::metrics {
namespace {

std::optional<double> boot_time_seconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime" && in >> value) return value;
    in.ignore(1 << 20, '\n');
  }
  return std::nullopt;
}

void gauge(std::vector<prometheus::MetricFamily>& out, const char* name, const char* help,
           std::optional<double> v, prometheus::MetricType type = prometheus::MetricType::Gauge) {
  if (!v) return;
  prometheus::MetricFamily f{name, help, type, {}};
  prometheus::ClientMetric m;
  if (type == prometheus::MetricType::Counter)
    m.counter.value = *v;
  else
    m.gauge.value = *v;
  f.metric.push_back(std::move(m));
  out.push_back(std::move(f));
}

double num(const std::string& s) noexcept { return std::strtod(s.c_str(), nullptr); }

}  // namespace

process_figures read_process_figures() {
  process_figures p;
  const long ticks = ::sysconf(_SC_CLK_TCK);
  const long page = ::sysconf(_SC_PAGESIZE);
  std::ifstream stat("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces and parentheses: fields count from the last ')'.
  if (const auto close = text.rfind(')'); close != std::string::npos && ticks > 0) {
    std::istringstream rest(text.substr(close + 2));
    std::string f[22];  // fields 3 .. 24
    for (auto& s : f) rest >> s;
    if (rest) {
      const double utime = num(f[11]), stime = num(f[12]);
      p.cpu_seconds = (utime + stime) / static_cast<double>(ticks);
      if (const auto btime = boot_time_seconds())
        p.start_time_seconds = *btime + num(f[19]) / static_cast<double>(ticks);
      p.virtual_bytes = num(f[20]);
      if (page > 0) p.resident_bytes = num(f[21]) * static_cast<double>(page);
    }
  }
  std::error_code ec;
  std::size_t fds = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++fds;
  if (!ec) p.open_fds = static_cast<double>(fds);
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY)
    p.max_fds = static_cast<double>(lim.rlim_cur);
  return p;
}

void append_process_families(const process_figures& p,
                             std::vector<prometheus::MetricFamily>& out) {
  gauge(out, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.",
        p.cpu_seconds, prometheus::MetricType::Counter);
  gauge(out, "process_resident_memory_bytes", "Resident memory size in bytes.", p.resident_bytes);
  gauge(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.", p.virtual_bytes);
  gauge(out, "process_open_fds", "Number of open file descriptors.", p.open_fds);
  gauge(out, "process_max_fds", "Maximum number of open file descriptors.", p.max_fds);
  gauge(out, "process_start_time_seconds",
        "Start time of the process since unix epoch in seconds.", p.start_time_seconds);
}

}  // namespace depthmon::metrics
