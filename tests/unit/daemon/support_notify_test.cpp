#include <catch2/catch.hpp>

#include "support/notify.hpp"
#include "support/watchdog_gate.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

using namespace depthmon::daemon_support;

namespace {

// A stand-in for the service manager: a unix datagram socket named by $NOTIFY_SOCKET.
class fake_manager {
 public:
  explicit fake_manager(bool abstract) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    name_ = "depthmon-notify-test-" + std::to_string(::getpid()) + (abstract ? "-abs" : "");
    socklen_t len = 0;
    if (abstract) {  // Linux abstract namespace: sun_path[0] = '\0', "@name" in the variable
      std::memcpy(addr.sun_path + 1, name_.data(), name_.size());
      len = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name_.size());
      env_ = "@" + name_;
    } else {
      path_ = "/tmp/" + name_ + ".sock";
      ::unlink(path_.c_str());
      std::memcpy(addr.sun_path, path_.data(), path_.size());
      len = static_cast<socklen_t>(sizeof addr);
      env_ = path_;
    }
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) == 0);
    ::setenv("NOTIFY_SOCKET", env_.c_str(), 1);
  }
  ~fake_manager() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  fake_manager(const fake_manager&) = delete;
  fake_manager& operator=(const fake_manager&) = delete;

  // The next datagram, or nullopt when none arrives within the bound.
  std::optional<std::string> receive(int timeout_ms = 2000) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) != 1) return std::nullopt;
    char buf[4096];
    const auto n = ::recv(fd_, buf, sizeof buf, 0);
    if (n < 0) return std::nullopt;
    return std::string(buf, static_cast<std::size_t>(n));
  }

 private:
  int fd_ = -1;
  std::string name_, path_, env_;
};

}  // namespace

TEST_CASE("notifier sends each state as one datagram to $NOTIFY_SOCKET", "[daemon][notify]") {
  const bool abstract = GENERATE(false, true);
  fake_manager mgr(abstract);
  CHECK(notifier::enabled());

  CHECK(notifier::ready("3/5 books live"));
  CHECK(mgr.receive() == "READY=1\nSTATUS=3/5 books live");

  CHECK(notifier::status("line one\nline two"));
  CHECK(mgr.receive() == "STATUS=line one line two");

  CHECK(notifier::stopping());
  CHECK(mgr.receive() == "STOPPING=1");

  CHECK(notifier::watchdog());
  CHECK(mgr.receive() == "WATCHDOG=1");
}

TEST_CASE("reloading carries MONOTONIC_USEC from CLOCK_MONOTONIC", "[daemon][notify]") {
  fake_manager mgr(false);
  timespec before{};
  ::clock_gettime(CLOCK_MONOTONIC, &before);
  CHECK(notifier::reloading("reloading /etc/depthmon/depthmon.toml"));
  timespec after{};
  ::clock_gettime(CLOCK_MONOTONIC, &after);
  const auto msg = mgr.receive();
  REQUIRE(msg);
  REQUIRE(msg->rfind("RELOADING=1\nMONOTONIC_USEC=", 0) == 0);
  const auto nl = msg->find('\n', 12);
  const auto usec = std::stoull(msg->substr(27, nl - 27));
  const auto us = [](timespec t) {
    return static_cast<unsigned long long>(t.tv_sec) * 1000000ULL +
           static_cast<unsigned long long>(t.tv_nsec) / 1000ULL;
  };
  CHECK(usec >= us(before));
  CHECK(usec <= us(after));
  CHECK(msg->substr(nl) == "\nSTATUS=reloading /etc/depthmon/depthmon.toml");
}

TEST_CASE("without NOTIFY_SOCKET every call is a no-op", "[daemon][notify]") {
  ::unsetenv("NOTIFY_SOCKET");
  CHECK_FALSE(notifier::enabled());
  CHECK_FALSE(notifier::ready("x"));
  CHECK_FALSE(notifier::reloading());
  CHECK_FALSE(notifier::watchdog());
  ::setenv("NOTIFY_SOCKET", "", 1);
  CHECK_FALSE(notifier::enabled());
  CHECK_FALSE(notifier::stopping());
  ::unsetenv("NOTIFY_SOCKET");
}

TEST_CASE("watchdog interval is half of WATCHDOG_USEC for this process", "[daemon][notify]") {
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  CHECK_FALSE(notifier::watchdog_ping_interval());

  ::setenv("WATCHDOG_USEC", "20000000", 1);  // WatchdogSec=20s
  CHECK(notifier::watchdog_ping_interval() == std::chrono::microseconds(10'000'000));

  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  CHECK(notifier::watchdog_ping_interval() == std::chrono::microseconds(10'000'000));

  // Meant for another process (the unit's main PID is not us): no watchdog here.
  ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
  CHECK_FALSE(notifier::watchdog_ping_interval());

  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  ::setenv("WATCHDOG_USEC", "not-a-number", 1);
  CHECK_FALSE(notifier::watchdog_ping_interval());
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
}

TEST_CASE("watchdog_gate withholds the ping while any thread has not beaten", "[daemon][notify]") {
  watchdog_gate gate(3);
  CHECK_FALSE(gate.should_ping());  // nobody has started yet
  gate.beat(0);
  gate.beat(1);
  gate.beat(2);
  CHECK(gate.should_ping());
  CHECK_FALSE(gate.should_ping());  // no beat since the last ping
  gate.beat(0);
  gate.beat(2);
  CHECK_FALSE(gate.should_ping());  // thread 1 is wedged
  gate.beat(0);
  gate.beat(1);
  gate.beat(1);
  gate.beat(2);
  CHECK(gate.should_ping());
}
