// tests/integration/sim/sim_support.hpp — what the simulator tests share: a blocking HTTP(S)
// call with a deadline (GET truth, POST faults; https verified against the simulator's CA) and
// a child process whose stdout is read line by line with timeouts and which is killed when
// the test ends, pass or fail.
//
// Test support only: exceptions are allowed; a failed call is a reply with status -1 and the
// reason, so the test reports it instead of aborting.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace depthmon::test {

struct http_reply {
  int status = -1;
  std::string body;
  std::string error;
};

// METHOD url (http://host:port/target or https://...), optional JSON body, 10 s deadline;
// `authorization`, when given, is sent as the Authorization header.
inline http_reply http_call(const std::string& method, const std::string& url,
                            const std::string& body = {}, const std::string& ca_file = {},
                            const std::string& authorization = {}) {
  namespace asio = boost::asio;
  namespace http = boost::beast::http;
  http_reply out;
  try {
    const bool tls = url.rfind("https://", 0) == 0;
    const std::size_t host_at = url.find("://") + 3;
    const std::size_t path_at = url.find('/', host_at);
    const std::string hostport = url.substr(host_at, path_at - host_at);
    const std::string target = path_at == std::string::npos ? "/" : url.substr(path_at);
    const auto colon = hostport.rfind(':');
    const std::string host = hostport.substr(0, colon), port = hostport.substr(colon + 1);

    asio::io_context ioc;
    asio::ip::tcp::socket sock(ioc);
    asio::connect(sock, asio::ip::tcp::resolver(ioc).resolve(host, port));
    // The deadline for the blocking calls below: a hung server fails the call, not the suite.
    timeval tv{10, 0};
    ::setsockopt(sock.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(sock.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);

    http::request<http::string_body> req(method == "POST" ? http::verb::post : http::verb::get, target, 11);
    req.set(http::field::host, hostport);
    req.set(http::field::connection, "close");
    if (!authorization.empty()) req.set(http::field::authorization, authorization);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    boost::beast::flat_buffer buf;
    http::response<http::string_body> res;
    if (tls) {
      asio::ssl::context ctx(asio::ssl::context::tls_client);
      ctx.set_verify_mode(asio::ssl::verify_peer);  // trusted: the simulator's CA, nothing else
      ctx.load_verify_file(ca_file);
      asio::ssl::stream<asio::ip::tcp::socket&> s(sock, ctx);
      s.handshake(asio::ssl::stream_base::client);
      http::write(s, req);
      http::read(s, buf, res);
    } else {
      http::write(sock, req);
      http::read(sock, buf, res);
    }
    out.status = static_cast<int>(res.result_int());
    out.body = res.body();
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

// Runs `ioc` on this thread until pred() holds or `timeout` passes; true if pred held.
template <class Pred>
bool pump_until(boost::asio::io_context& ioc, Pred pred, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    ioc.restart();
    ioc.run_for(std::chrono::milliseconds(5));
  }
  return true;
}

// A child process (argv[0] is the program path); stdout read through a pipe, stderr to a file.
class child_process {
 public:
  explicit child_process(const std::vector<std::string>& argv) {
    static int counter = 0;
    err_path_ = "/tmp/depthmon_sim_child_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      const int e = ::open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (e >= 0) ::dup2(e, 2);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> args;
      for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = fds[0];
  }
  ~child_process() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
    if (out_ >= 0) ::close(out_);
    ::unlink(err_path_.c_str());
  }
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // The next stdout line (without '\n'), or nullopt after `timeout` or at end of output.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto nl = buf_.find('\n'); nl != std::string::npos) {
        std::string line = buf_.substr(0, nl);
        buf_.erase(0, nl + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || eof_) return std::nullopt;
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char tmp[65536];
      const ssize_t n = ::read(out_, tmp, sizeof tmp);
      if (n <= 0) eof_ = true;
      else buf_.append(tmp, static_cast<std::size_t>(n));
    }
  }

  void signal(int sig) { ::kill(pid_, sig); }

  // Exit status once it ends within `timeout` (-1: still running or killed by a signal).
  int wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exited_) {
      int st = 0;
      const pid_t r = ::waitpid(pid_, &st, WNOHANG);
      if (r == pid_) {
        exited_ = true;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) return -1;
      pollfd p{out_, POLLIN, 0};  // drain stdout meanwhile so the child never blocks on it
      if (::poll(&p, 1, 20) > 0) {
        char tmp[65536];
        const ssize_t n = ::read(out_, tmp, sizeof tmp);
        if (n > 0) buf_.append(tmp, static_cast<std::size_t>(n));
      }
    }
    return status_;
  }

  std::string stderr_text() const {
    std::string s;
    if (FILE* f = std::fopen(err_path_.c_str(), "rb")) {
      char tmp[4096];
      std::size_t n;
      while ((n = std::fread(tmp, 1, sizeof tmp, f)) > 0) s.append(tmp, n);
      std::fclose(f);
    }
    return s;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buf_;
  bool eof_ = false, exited_ = false;
  int status_ = -1;
  std::string err_path_;
};

}  // namespace depthmon::test
