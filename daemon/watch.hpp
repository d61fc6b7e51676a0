// daemon/watch.hpp — `depthmon watch --config FILE [--duration S]`: the live client before the
// daemon exists. Starts one feed per [[venue]] on one io thread (this one) and prints every
// book's state, mid and ±2 % bid/ask notional once a second, one line per book; stops on
// SIGINT/SIGTERM or after --duration seconds.
//
// Threads: everything on the calling thread. Errors: exit status 2 with a one-line message for
// bad arguments or config; network trouble is logged on stderr and retried, never fatal.
#pragma once

namespace depthmon::cli {

int run_watch(int argc, char** argv);

}  // namespace depthmon::cli
