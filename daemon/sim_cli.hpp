// daemon/sim_cli.hpp — `depthmon sim`: the exchange simulator (lib/sim/server.hpp) as a
// process, with DESIGN.md's flags, its one ready line on stdout and --write-config.
//
//   depthmon sim [--listen 127.0.0.1:0] [--tls] [--scenario steady|thinning|flash-crash]
//                [--seed N] [--venues binance,okx,...] [--symbols-per-venue N]
//                [--rate MSGS_PER_S] [--write-config FILE] [--daemon-listen ADDR]
//                [--duration S] [--levels-scale X] [--thinning-s S] [--crash-start-s S]
//
// Ready: `{"listen":"127.0.0.1:PORT","ca_file":"PATH" or null,"config":"FILE" or null}` on
// stdout, flushed, once everything is listening and written. Under --tls a fresh CA and a
// loopback server certificate are generated; the CA goes to FILE.pki/ca.pem next to
// --write-config FILE, else to a temporary directory removed at exit.
//
// Threads: everything on the calling thread (one io_context). Errors: bad flags or a failed
// start exit 2 with a one-line message on stderr; SIGINT, SIGTERM and --duration stop it with
// exit status 0.
#pragma once

namespace depthmon::cli {

int run_sim(int argc, char** argv);

}  // namespace depthmon::cli
