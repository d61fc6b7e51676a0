// Enforces the dependency direction of DESIGN.md on the sources themselves: a module may only
// include project headers from the modules it is allowed to depend on, and book, depth and
// venues never include Asio, Beast or spdlog. (CMake links enforce the same at link time.)
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>

namespace fs = std::filesystem;

namespace {
const std::map<std::string, std::set<std::string>> k_allowed = {
    {"core", {"core"}},
    {"book", {"core", "book"}},
    {"depth", {"core", "book", "depth"}},
    {"venues", {"core", "book", "venues"}},
    {"net", {"core", "net"}},
    {"replay", {"core", "book", "depth", "venues", "replay"}},
    // The simulator never uses the client's venue code: its frames are its own.
    {"sim", {"core", "book", "depth", "sim"}},
    // The feed composes the client side; it never uses the simulator.
    {"feed", {"core", "book", "depth", "venues", "net", "feed", "baseline", "config"}},
    // The config reads feed/config.hpp's plain values only (no sockets: k_no_io).
    {"config", {"core", "book", "depth", "venues", "feed", "alert", "config"}},
    // The baseline file and (issue 9) history store: below feed, above core only.
    // The baseline file, history store and (baseline_build) the builders: the raw-feed source
    // replays through the real codecs, the Tardis source rebuilds books; never net or feed.
    {"baseline", {"core", "book", "depth", "venues", "replay", "baseline"}},
    // Rules evaluate the read model (feed/published_view.hpp); receivers post through net.
    {"alert", {"core", "book", "depth", "baseline", "config", "feed", "net", "alert"}},
    // /metrics is rendered from the read model (feed/published_view.hpp), never a live book.
    {"metrics", {"core", "book", "depth", "baseline", "config", "feed", "metrics"}},
};
const std::set<std::string> k_no_io = {"core", "book", "depth", "venues", "replay", "sim", "config"};
// lib/sim/server.* and capture_server.* alone put the simulator on net's sockets.
const std::set<std::string> k_sim_server = {"core", "book", "depth", "sim", "net"};
}  // namespace

TEST_CASE("modules include only what the dependency direction allows", "[layering]") {
  const fs::path lib = fs::path(DEPTHMON_SOURCE_DIR) / "lib";
  const std::regex inc(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
  std::size_t files = 0;
  for (const auto& [module, allowed] : k_allowed) {
    const fs::path dir = lib / module;
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      const auto ext = e.path().extension();
      if (ext != ".hpp" && ext != ".cpp") continue;
      ++files;
      const bool sim_server = module == "sim" && (e.path().stem() == "server" ||
                                                   e.path().stem() == "capture_server");
      std::ifstream in(e.path());
      std::string line;
      while (std::getline(in, line)) {
        std::smatch m;
        if (!std::regex_search(line, m, inc)) continue;
        const std::string target = m[1];
        INFO(e.path().string() << ": " << line);
        const auto slash = target.find('/');
        const std::string top = target.substr(0, slash);
        if (k_allowed.count(top) && slash != std::string::npos)
          CHECK((sim_server ? k_sim_server : allowed).count(top) == 1);
        if (k_no_io.count(module) && !sim_server) {
          CHECK(target.rfind("boost/asio", 0) != 0);
          CHECK(target.rfind("boost/beast", 0) != 0);
          CHECK(target.rfind("spdlog", 0) != 0);
        }
        if (module == "core") CHECK(target.rfind("simdjson", 0) != 0);
        // Logging goes through feed::log_sink: no logging library in the feed.
        if (module == "feed") CHECK(target.rfind("spdlog", 0) != 0);
      }
    }
  }
  CHECK(files > 20);
}
