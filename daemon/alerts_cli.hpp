// daemon/alerts_cli.hpp — `depthmon alerts`: a terminal table of a running depthmond's active
// alerts, read from its /api/v1/alerts.
//
//   depthmon alerts [--url http://127.0.0.1:18095]
//   depthmon alerts dead-letters [--state-dir DIR] [--bodies]
//   depthmon alerts requeue (--all | SEQ...) [--state-dir DIR]
//
// Columns: state (firing / pending, "muted" when inhibited by its venue's feed_down), alertname,
// severity, exchange, symbol (or the base for an asset alert), side, band (%), value, since
// (firing: startsAt, pending: activeAt), summary. Colour only when stdout is a terminal.
// dead-letters and requeue open the daemon's outbox (STATE_DIR/outbox.sqlite, never created
// here) beside the running daemon (SQLite WAL): a requeued row is sent by the daemon's delivery
// sweep (alert/delivery.hpp) under its webhook-id.
//
// Threads: the caller's. Errors: exit 0 after a table (also when nothing is active); 1 when the
// daemon cannot be reached or answers something else than the alerts JSON, or the outbox is
// missing or refuses (an unknown seq moves nothing) (one line on stderr); 2 on bad arguments.
#pragma once

#include <string>
#include <string_view>

#include "core/time.hpp"

namespace depthmon::cli {

int run_alerts(int argc, char** argv);

// The table for one /api/v1/alerts body at `now` (for the SINCE column); empty + `error` when
// the body is not the alerts JSON.
std::string alerts_table(std::string_view alerts_json, core::unix_nanos now, bool colour, std::string* error);

}  // namespace depthmon::cli
