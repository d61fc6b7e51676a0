// tests/integration/alert/alert_support.hpp — what the delivery tests share: a scratch state
// directory, notifications built by hand, a log sink that keeps every line, a free loopback
// port, the command line of a real Alertmanager routing to a webhook. Test support only:
// exceptions allowed.
#pragma once

#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "alert/notification.hpp"
#include "alert/receivers.hpp"
#include "feed/log_sink.hpp"

namespace depthmon::test {

inline std::string scratch_dir(const std::string& name) {
  static std::atomic<int> n{0};
  const auto dir = std::filesystem::temp_directory_path() /
                   ("depthmon_alert_" + name + "_" + std::to_string(::getpid()) + "_" +
                    std::to_string(n++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

inline alert::notification sample(const std::string& receiver, int i,
                                  alert::alert_status s = alert::alert_status::firing) {
  alert::alert_instance a;
  a.labels = {{"alertname", "DepthBelowBaseline"}, {"exchange", "binance"},
              {"severity", "warning"}, {"symbol", "BTCUSDT" + std::to_string(i)}};
  a.annotations = {{"summary", "Depth within 2% is below baseline."}};
  a.status = s;
  a.starts_at = 1'787'562'930'123'000'000 + i;
  if (s == alert::alert_status::resolved) a.ends_at = a.starts_at + 60'000'000'000;
  a.fingerprint = 0x1000 + static_cast<std::uint64_t>(i);
  alert::notification n;
  n.receiver = receiver;
  n.group_key = "{}:{symbol=\"BTCUSDT" + std::to_string(i) + "\"}";
  n.group_labels = {{"symbol", "BTCUSDT" + std::to_string(i)}};
  n.common_labels = a.labels;
  n.status = s;
  n.alerts = {a};
  n.created = std::chrono::duration_cast<std::chrono::nanoseconds>(
                  std::chrono::system_clock::now().time_since_epoch()).count() + i;
  return n;
}

inline alert::receiver_endpoint endpoint(const std::string& name, alert::receiver_kind kind,
                                         const std::string& url, const std::string& ca_file,
                                         const std::string& secret = {}) {
  alert::receiver_config c;
  c.name = name;
  c.kind = kind;
  c.url = url;
  c.ca_file = ca_file;
  c.timeout = std::chrono::milliseconds(2000);
  c.backoff_initial = std::chrono::milliseconds(100);
  c.backoff_max = std::chrono::milliseconds(400);
  c.rate_limit_per_s = 100;
  c.rate_limit_burst = 100;
  return {c, url, secret};
}

class collect_log final : public feed::log_sink {
 public:
  void log(feed::log_level, std::string_view venue, std::string_view message) override {
    std::lock_guard lock(mu_);
    lines_.push_back(std::string(venue) + ": " + std::string(message));
  }
  std::vector<std::string> lines() const {
    std::lock_guard lock(mu_);
    return lines_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> lines_;
};

// Polls a condition another thread or process makes true, until `timeout`.
inline bool eventually_true(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return pred();
}

// A port nothing listens on right now (bound, read, closed).
inline std::uint16_t free_port() {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return a.local_endpoint().port();
}

// Writes <dir>/am.yml (one route to `webhook_url`, send_resolved, 1 s group wait and interval)
// and returns the argv of Debian's prometheus-alertmanager (`bin`) on 127.0.0.1:`port`, state
// in <dir>/data, clustering off.
inline std::vector<std::string> alertmanager_argv(const std::string& bin, const std::string& dir,
                                                  std::uint16_t port, const std::string& webhook_url,
                                                  const std::string& group_by = "['alertname', 'symbol']") {
  {
    std::ofstream cfg(dir + "/am.yml");
    cfg << "route:\n  receiver: rec\n  group_by: " << group_by << "\n"
           "  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 1h\n"
           "receivers:\n  - name: rec\n    webhook_configs:\n      - url: " << webhook_url
        << "\n        send_resolved: true\n";
    if (!cfg) throw std::runtime_error("cannot write " + dir + "/am.yml");
  }
  return {bin, "--config.file=" + dir + "/am.yml", "--storage.path=" + dir + "/data",
          "--web.listen-address=127.0.0.1:" + std::to_string(port), "--cluster.listen-address="};
}

}  // namespace depthmon::test
