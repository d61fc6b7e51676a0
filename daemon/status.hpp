// daemon/status.hpp — `depthmon status`: a terminal table of a running depthmond's books, read
// from its /api/v1/books.
//
//   depthmon status [--url http://127.0.0.1:18095] [--watch [--interval S]]
//
// Columns: venue, symbol, state, mid, spread bps, ±2 % bid and ask USD, ratio to baseline
// ((bid + ask) / (baseline bid + ask) at ±2 %), age of the last update. Figures the daemon
// reports as missing print as "-". Colour (state, ratio) only when stdout is a terminal;
// --watch redraws in place every S seconds (default 2) until interrupted.
//
// Threads: the caller's (one io_context run per fetch). Errors: exit 0 after a table; 1 when
// the daemon cannot be reached or answers something else than book JSON (one line on stderr,
// --watch keeps trying); 2 on bad arguments.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace depthmon::cli {

int run_status(int argc, char** argv);

// The table for one /api/v1/books body; empty + `error` when the
// body is not a JSON array of book objects. `colour`: ANSI colours.
std::string status_table(std::string_view books_json, bool colour, std::string* error);

// Shared with `depthmon alerts`: GET url (5 s timeouts): the body of a 200, else nullopt with
// `err`.
std::optional<std::string> fetch_body(const std::string& url, std::string& err);
// One table cell padded to `width` (right-aligned or not) and two spaces; `colour` an ANSI
// sequence or null.
void table_cell(std::string& out, const std::string& s, std::size_t width, bool right, const char* colour);

}  // namespace depthmon::cli
