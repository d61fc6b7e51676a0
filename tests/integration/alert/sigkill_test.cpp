// A process delivering from the outbox is killed with SIGKILL mid-delivery (the receiver answers
// slowly, so requests are in flight) and started again on the same state directory: every
// notification arrives, none is lost, and a duplicate carries the id (and bytes) of the first.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "alert_support.hpp"
#include "integration/sim/sim_support.hpp"
#include "support/webhook_receiver.hpp"

using namespace depthmon::test;
using namespace std::chrono_literals;

TEST_CASE("SIGKILL mid-delivery, restart: all delivered, duplicates share the webhook-id", "[delivery][sigkill]") {
  const std::string key = "0123456789abcdef0123456789abcdef";
  webhook_receiver rx({.key = key, .delay = 150ms});
  const auto dir = scratch_dir("sigkill");
  std::set<std::string> ids;
  {
    child_process p({DELIVERY_DRIVER, dir, rx.url(), rx.ca_file(), key, "20"});
    for (;;) {
      auto line = p.read_line(10s);
      REQUIRE(line);
      if (*line == "submitted") break;
      if (line->rfind("id ", 0) == 0) ids.insert(line->substr(3));
    }
    REQUIRE(ids.size() == 20);
    REQUIRE(rx.wait_for([](auto& h) { return h.size() >= 5; }, 10s));
    p.signal(SIGKILL);
    p.wait(5s);
  }
  const auto before = rx.hits().size();
  CHECK(before < 20);  // killed before the end
  child_process again({DELIVERY_DRIVER, dir, rx.url(), rx.ca_file(), key, "0"});
  std::optional<std::string> line;
  do line = again.read_line(30s);
  while (line && *line != "drained");
  REQUIRE(line);
  CHECK(again.wait(5s) == 0);
  std::map<std::string, std::string> body_of;
  for (const auto& h : rx.hits()) {
    CHECK(h.signature_ok);
    CHECK(ids.count(h.id) == 1);
    auto [it, fresh] = body_of.emplace(h.id, h.body);
    if (!fresh) CHECK(it->second == h.body);  // a duplicate is the same message
  }
  CHECK(body_of.size() == 20);  // every notification arrived
  INFO("hits " << rx.hits().size() << ", distinct " << body_of.size());
  CHECK(rx.hits().size() >= 20);
}
