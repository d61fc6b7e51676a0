// tests/support/death.hpp — run a callable in a forked child and report how the child ended,
// for tests that must prove a misuse aborts (a death test without a framework for it).
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <string>

namespace depthmon::test {

struct child_end {
  int signal = 0;      // terminating signal, 0 if the child exited
  int exit_code = -1;  // exit status if it exited
  std::string err;     // what the child wrote to stderr
};

// Forks; the child runs fn() and exits 0 if fn returns. _exit skips the test framework's
// atexit handlers, so the child cannot report test results of its own.
template <class F>
child_end run_in_child(F&& fn) {
  int fds[2];
  if (::pipe(fds) != 0) return {};
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    ::dup2(fds[1], STDERR_FILENO);
    std::signal(SIGABRT, SIG_DFL);
    fn();
    ::_exit(0);
  }
  ::close(fds[1]);
  child_end out;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.err.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int st = 0;
  if (pid < 0 || ::waitpid(pid, &st, 0) != pid) return out;
  if (WIFSIGNALED(st)) out.signal = WTERMSIG(st);
  if (WIFEXITED(st)) out.exit_code = WEXITSTATUS(st);
  return out;
}

}  // namespace depthmon::test
