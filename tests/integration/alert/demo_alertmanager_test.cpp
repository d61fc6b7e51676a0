// depthmond --demo --webhook URL --webhook-secret-file FILE --alertmanager URL, in compressed
// time (DEPTHMON_DEMO_THINNING_S / _RECOVER_AT_S / _RECOVER_S): the demo's books thin, hold and
// recover, so DepthBelowBaseline fires and then resolves, both at the signed direct webhook and
// through a real Alertmanager (Debian's prometheus-alertmanager) routing to a second path of the
// same recording receiver. Issue 9's "Done when". Bounded (one 120 s deadline), 127.0.0.1 only;
// both processes are killed when the test leaves.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <set>

#include "alert_support.hpp"
#include "integration/sim/sim_support.hpp"
#include "support/webhook_receiver.hpp"

using namespace depthmon::test;
using namespace std::chrono_literals;

namespace {

// The raw (still escaped) value of the first `"key":"..."` in a JSON body; "" when absent. The
// first "status" of a v4 body (depthmon's and Alertmanager's) is the notification's own.
std::string json_string_field(const std::string& body, const std::string& key) {
  const std::string needle = "\"" + key + "\":\"";
  const auto at = body.find(needle);
  if (at == std::string::npos) return {};
  std::string out;
  for (auto i = at + needle.size(); i < body.size(); ++i) {
    if (body[i] == '\\' && i + 1 < body.size()) {
      out += body.substr(i, 2);
      ++i;
    } else if (body[i] == '"') {
      return out;
    } else {
      out.push_back(body[i]);
    }
  }
  return {};
}

bool depth_below(const webhook_hit& h) {
  return h.body.find(R"("alertname":"DepthBelowBaseline")") != std::string::npos;
}

// Group keys of the DepthBelowBaseline notifications on `path` with this status.
std::set<std::string> groups(const std::vector<webhook_hit>& hits, const std::string& path,
                             const std::string& status, bool signed_only) {
  std::set<std::string> out;
  for (const auto& h : hits)
    if (h.path == path && (!signed_only || h.signature_ok) && depth_below(h) &&
        json_string_field(h.body, "status") == status)
      out.insert(json_string_field(h.body, "groupKey"));
  return out;
}

bool resolved_after_firing(const std::vector<webhook_hit>& hits, const std::string& path, bool signed_only) {
  const auto fired = groups(hits, path, "firing", signed_only);
  for (const auto& g : groups(hits, path, "resolved", signed_only))
    if (!g.empty() && fired.count(g)) return true;
  return false;
}

}  // namespace

TEST_CASE("depthmond --demo: DepthBelowBaseline fires and resolves at a webhook and through Alertmanager",
          "[daemon][webhook][alertmanager]") {
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  const auto left = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
  };
  const std::string key = "0123456789abcdef0123456789abcdef";
  webhook_receiver rx({.key = key, .tls = false, .lifetime = 150s});
  const auto dir = scratch_dir("demo_alertmanager");
  const std::string secret = dir + "/webhook.secret";
  std::ofstream(secret) << "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n";

  // Alertmanager groups per book, as depthmon does, so one book's firing and resolved
  // notifications share a group key.
  const auto am_port = free_port();
  child_process am(alertmanager_argv(ALERTMANAGER_BIN, dir, am_port, rx.url("/am"),
                                     "['alertname', 'exchange', 'symbol']"));
  const std::string am_url = "http://127.0.0.1:" + std::to_string(am_port);
  REQUIRE(eventually_true([&] { return http_call("GET", am_url + "/-/ready").status == 200; }, 30s));

  // Thin over 8 s, hold, recover from 20 s over 4 s: DepthBelowBaseline (ratio < 0.8 for 10 s)
  // fires at about 15 s, clears at about 23 s and resolves 15 s later (keep_firing_for).
  const auto port = free_port();
  ::setenv("DEPTHMON_DEMO_LISTEN", ("127.0.0.1:" + std::to_string(port)).c_str(), 1);
  ::setenv("DEPTHMON_DEMO_THINNING_S", "8", 1);
  ::setenv("DEPTHMON_DEMO_RECOVER_AT_S", "20", 1);
  ::setenv("DEPTHMON_DEMO_RECOVER_S", "4", 1);
  child_process demo({DEPTHMOND_BIN, "--demo", "--state-dir", dir + "/state", "--webhook", rx.url("/hook"),
                      "--webhook-secret-file", secret, "--alertmanager", am_url});
  for (const char* v : {"DEPTHMON_DEMO_LISTEN", "DEPTHMON_DEMO_THINNING_S", "DEPTHMON_DEMO_RECOVER_AT_S",
                        "DEPTHMON_DEMO_RECOVER_S"})
    ::unsetenv(v);
  const auto explain = [&] {
    std::string hits;
    for (const auto& h : rx.hits())
      hits += h.path + " " + json_string_field(h.body, "status") + " " + json_string_field(h.body, "groupKey") + "\n";
    return "depthmond:\n" + demo.stderr_text() + "\nalertmanager:\n" + am.stderr_text() + "\nhits:\n" + hits;
  };

  // Direct: a signed firing notification, then the resolution of the same group.
  const bool fired = rx.wait_for([](const auto& hits) { return !groups(hits, "/hook", "firing", true).empty(); },
                                 left());
  if (!fired) FAIL("no signed firing DepthBelowBaseline at the webhook\n" << explain());
  const bool resolved = rx.wait_for([](const auto& hits) { return resolved_after_firing(hits, "/hook", true); },
                                    left());
  if (!resolved) FAIL("no resolution of a fired group at the webhook\n" << explain());
  // Through Alertmanager: its webhook gets the same story, firing then resolved for one book.
  const bool am_resolved =
      rx.wait_for([](const auto& hits) { return resolved_after_firing(hits, "/am", false); }, left());
  if (!am_resolved) FAIL("no firing then resolved DepthBelowBaseline through Alertmanager\n" << explain());

  for (const auto& h : rx.hits()) {
    if (h.path == "/hook") {
      CHECK(h.signature_ok);
      CHECK(h.body.find(R"("receiver":"demo-webhook")") != std::string::npos);
    } else {
      CHECK(h.path == "/am");
      CHECK(h.body.find(R"("receiver":"rec")") != std::string::npos);
    }
    CHECK(h.body.find(R"("version":"4")") != std::string::npos);
  }
  const auto m = http_call("GET", "http://127.0.0.1:" + std::to_string(port) + "/metrics").body;
  CHECK(m.find("depthmon_notifications_total{receiver=\"demo-alertmanager\",result=\"delivered\"} 0") ==
        std::string::npos);
  demo.signal(SIGTERM);
  CHECK(demo.wait(10s) == 0);
  const auto log = demo.stderr_text();
  CHECK(log.find("demo alertmanager receiver added") != std::string::npos);
  CHECK(log.find("alert resolved") != std::string::npos);
  CHECK(log.find("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY") == std::string::npos);
  std::filesystem::remove_all(dir);
}
