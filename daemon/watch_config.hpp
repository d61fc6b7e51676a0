// daemon/watch_config.hpp — the minimal config reader `depthmon watch` needs: state_dir and
// the [[venue]] tables with DESIGN.md's keys (name, symbols, ws_url, rest_url, ca_file,
// settings). The full config module (schema, file:line errors, reload) is issue 8's lib/config;
// this reader only fills feed::venue_config and rejects what it cannot use.
//
// Threads: call from anywhere. Errors: false with a one-line message naming the file and key.
#pragma once

#include <string>
#include <vector>

#include "feed/config.hpp"

namespace depthmon::cli {

struct watch_config {
  std::string state_dir;
  std::vector<feed::venue_config> venues;
};

bool read_watch_config(const std::string& path, watch_config& out, std::string& error);

}  // namespace depthmon::cli
