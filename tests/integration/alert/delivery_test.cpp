// Outbox + delivery thread against the recording HTTPS receiver (tests/support/
// webhook_receiver.hpp) on 127.0.0.1, time compressed (backoff 100..400 ms): signed delivery,
// outage then recovery, 500 then 429 + Retry-After, 400 dead-lettered, a hanging receiver next
// to a healthy one, restart resends under the same webhook-id, rate limit, max_attempts, and no
// secret in any log line.
#include "alert/delivery.hpp"

#include <catch2/catch.hpp>

#include <set>

#include "alert_support.hpp"
#include "support/run.hpp"
#include "support/webhook_receiver.hpp"

using namespace depthmon;
using namespace depthmon::test;
using namespace std::chrono_literals;
using alert::receiver_kind;

namespace {

const std::string k_key = "0123456789abcdef0123456789abcdef";

struct rig {
  explicit rig(const std::string& name) : dir(scratch_dir(name)) { reopen(); }
  void reopen() {
    std::string err;
    box.reset();
    box = alert::outbox::open(dir + "/outbox.sqlite", &err);
    if (!box) throw std::runtime_error(err);
  }
  alert::delivery_options options() {
    alert::delivery_options o;
    o.log = &log;
    o.seed = 42;
    o.use_proxy_environment = false;
    return o;
  }
  std::string dir;
  collect_log log;
  std::unique_ptr<alert::outbox> box;
};

const alert::receiver_counters& of(const std::vector<alert::receiver_counters>& v,
                                   const std::string& name) {
  for (const auto& c : v)
    if (c.receiver == name) return c;
  throw std::runtime_error("no receiver " + name);
}

}  // namespace

TEST_CASE("delivery: a signed Alertmanager v4 body arrives once; the row is removed after 2xx", "[delivery]") {
  webhook_receiver rx({.key = k_key});
  rig r("signed");
  alert::delivery d(*r.box, {endpoint("desk", receiver_kind::webhook, rx.url(), rx.ca_file(), k_key)},
                    r.options());
  // Durable before the first attempt: the thread is not running yet, the row is on disk.
  REQUIRE(d.submit(sample("desk", 1)));
  std::string err;
  REQUIRE(alert::outbox::open(r.dir + "/outbox.sqlite", &err)->pending().size() == 1);
  CHECK(of(d.counters(), "desk").outbox_pending == 1);
  d.start();
  REQUIRE(rx.wait_for([](auto& h) { return h.size() == 1; }, 5s));
  const auto h = rx.hits()[0];
  CHECK(h.signature_ok);
  CHECK(h.method == "POST");
  CHECK(h.content_type == "application/json");
  CHECK(h.id.rfind("msg_", 0) == 0);
  CHECK(h.body.find(R"("version":"4")") != std::string::npos);
  REQUIRE(eventually_true([&] { return r.box->pending().empty(); }, 3s));
  const auto c = of(d.counters(), "desk");
  CHECK(c.delivered == 1);
  CHECK(c.failed == 0);
  CHECK(c.outbox_pending == 0);
  CHECK(d.submit(sample("nobody", 1)).code() == core::errc::invalid_argument);
}

TEST_CASE("delivery: receiver down for seconds, then up: delivered, same id on every attempt", "[delivery][fault]") {
  webhook_receiver rx({.key = k_key});
  rx.down();
  rig r("outage");
  alert::delivery d(*r.box, {endpoint("desk", receiver_kind::webhook, rx.url(), rx.ca_file(), k_key)},
                    r.options());
  d.start();
  REQUIRE(d.submit(sample("desk", 1)));
  REQUIRE(d.submit(sample("desk", 2)));
  // Several attempts fail (connection refused) while it is down.
  REQUIRE(eventually_true([&] { return of(d.counters(), "desk").retried >= 3; }, 5s));
  CHECK(of(d.counters(), "desk").outbox_pending == 2);
  rx.up();
  REQUIRE(rx.wait_for([](auto& h) { return h.size() == 2; }, 5s));
  const auto hits = rx.hits();
  CHECK(hits[0].signature_ok);
  CHECK(hits[1].signature_ok);
  CHECK(hits[0].id != hits[1].id);
  CHECK(hits[0].body.find("BTCUSDT1") != std::string::npos);  // order kept
  REQUIRE(eventually_true([&] { return of(d.counters(), "desk").outbox_pending == 0; }, 3s));
  CHECK(of(d.counters(), "desk").delivered == 2);
}

TEST_CASE("delivery: 500, then 429 with Retry-After: 2 -> next attempt not before 2 s, then delivered", "[delivery][fault]") {
  webhook_receiver rx({.key = k_key});
  rx.script({{.status = 500}, {.status = 429, .retry_after = "2"}});
  rig r("retry_after");
  alert::delivery d(*r.box, {endpoint("desk", receiver_kind::webhook, rx.url(), rx.ca_file(), k_key)},
                    r.options());
  d.start();
  REQUIRE(d.submit(sample("desk", 1)));
  REQUIRE(rx.wait_for([](auto& h) { return h.size() == 3; }, 8s));
  const auto h = rx.hits();
  CHECK(h[0].answered == 500);
  CHECK(h[1].answered == 429);
  CHECK(h[2].answered == 200);
  CHECK(h[2].at - h[1].at >= 2s);
  CHECK(h[1].at - h[0].at < 2s);  // the 500 was retried on backoff, not on a 2 s wait
  CHECK(h[0].id == h[1].id);
  CHECK(h[1].id == h[2].id);
  CHECK(h[2].signature_ok);
  REQUIRE(eventually_true([&] { return of(d.counters(), "desk").delivered == 1; }, 3s));
  CHECK(of(d.counters(), "desk").retried == 2);
  CHECK(of(d.counters(), "desk").failed == 2);
}

TEST_CASE("delivery: 400 is dead-lettered without a retry; the next notification goes on", "[delivery][fault]") {
  webhook_receiver rx({.key = k_key});
  rx.script({{.status = 400, .body = "invalid_payload"}});
  rig r("dead");
  alert::delivery d(*r.box, {endpoint("desk", receiver_kind::webhook, rx.url(), rx.ca_file(), k_key)},
                    r.options());
  d.start();
  REQUIRE(d.submit(sample("desk", 1)));
  REQUIRE(d.submit(sample("desk", 2)));
  // Rows go in order, so once the second arrived the first had its one and only attempt.
  REQUIRE(rx.wait_for([](auto& h) { return h.size() == 2; }, 5s));
  REQUIRE(eventually_true([&] { const auto c = of(d.counters(), "desk"); return c.delivered == 1 && c.outbox_pending == 0; }, 3s));
  const auto h = rx.hits();
  CHECK(h[0].answered == 400);
  CHECK(h[1].answered == 200);
  CHECK(h[0].id != h[1].id);
  auto dl = r.box->dead_letters();
  REQUIRE(dl.size() == 1);
  CHECK(dl[0].row.id == h[0].id);
  CHECK(dl[0].reason == "HTTP 400");
  CHECK(dl[0].row.attempts == 1);
  const auto c = of(d.counters(), "desk");
  CHECK(c.dead_letter == 1);
  CHECK(c.retried == 0);
  CHECK(c.outbox_pending == 0);
}

TEST_CASE("delivery: a dead letter listed and requeued with the real depthmon CLI is sent by the running delivery thread, same id", "[delivery][fault][cli]") {
  webhook_receiver rx({.key = k_key});
  rx.script({{.status = 400, .body = "invalid_payload"}});
  rig r("requeue");
  auto o = r.options();
  o.sweep_interval = 200ms;
  alert::delivery d(*r.box, {endpoint("desk", receiver_kind::webhook, rx.url(), rx.ca_file(), k_key)}, o);
  d.start();
  REQUIRE(d.submit(sample("desk", 1)));
  REQUIRE(eventually_true([&] { return r.box->dead_letters().size() == 1; }, 5s));
  const auto dead = r.box->dead_letters().at(0);

  const auto list = run({DEPTHMON_CLI, "alerts", "dead-letters", "--state-dir", r.dir});
  REQUIRE(list.exit_code == 0);
  const auto lines = list.lines();
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].rfind("SEQ", 0) == 0);
  CHECK(lines[1].rfind(std::to_string(dead.row.seq) + " ", 0) == 0);
  CHECK(lines[1].find("desk") != std::string::npos);
  CHECK(lines[1].find("HTTP 400") != std::string::npos);
  CHECK(lines[1].find(dead.row.id) != std::string::npos);
  CHECK(lines[2].rfind("1 dead letter(s)", 0) == 0);
  const auto bodies = run({DEPTHMON_CLI, "alerts", "dead-letters", "--state-dir", r.dir, "--bodies"});
  CHECK(bodies.out.find(R"("version":"4")") != std::string::npos);

  // Bad requests move nothing: an unknown seq, --all with a seq, no outbox there.
  const auto unknown = run({DEPTHMON_CLI, "alerts", "requeue", "--state-dir", r.dir, "424242"});
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err.find("no dead letter with seq 424242") != std::string::npos);
  CHECK(run({DEPTHMON_CLI, "alerts", "requeue", "--state-dir", r.dir, "--all", "1"}).exit_code == 2);
  CHECK(run({DEPTHMON_CLI, "alerts", "requeue", "--state-dir", r.dir}).exit_code == 2);
  const auto missing = run({DEPTHMON_CLI, "alerts", "dead-letters", "--state-dir", r.dir + "/nope"});
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("no outbox at") != std::string::npos);
  CHECK(r.box->dead_letters().size() == 1);

  // The receiver is fixed; the operator requeues; the running thread's sweep sends it.
  const auto rq = run({DEPTHMON_CLI, "alerts", "requeue", "--state-dir", r.dir, std::to_string(dead.row.seq)});
  REQUIRE(rq.exit_code == 0);
  CHECK(rq.out.rfind("1 dead letter(s) back in the outbox", 0) == 0);
  REQUIRE(rx.wait_for([](auto& h) { return h.size() == 2; }, 5s));
  const auto h = rx.hits();
  CHECK(h[1].answered == 200);
  CHECK(h[1].id == h[0].id);
  CHECK(h[1].id == dead.row.id);
  CHECK(h[1].signature_ok);
  REQUIRE(eventually_true([&] { return of(d.counters(), "desk").delivered == 1 && r.box->pending().empty(); }, 3s));
  CHECK(r.box->dead_letters().empty());
  const auto after = run({DEPTHMON_CLI, "alerts", "dead-letters", "--state-dir", r.dir});
  CHECK(after.out.find("0 dead letter(s)") != std::string::npos);
}

TEST_CASE("delivery: max_attempts reached -> dead letter after exactly that many attempts", "[delivery][fault]") {
  webhook_receiver rx({.key = k_key});
  rx.script({{.status = 503}, {.status = 503}, {.status = 503}, {.status = 503}});
  rig r("exhausted");
  auto ep = endpoint("desk", receiver_kind::webhook, rx.url(), rx.ca_file(), k_key);
  ep.config.max_attempts = 3;
  alert::delivery d(*r.box, {ep}, r.options());
  d.start();
  REQUIRE(d.submit(sample("desk", 1)));
  REQUIRE(eventually_true([&] { return r.box->dead_letters().size() == 1; }, 5s));
  CHECK(rx.hits().size() == 3);
  CHECK(r.box->dead_letters().at(0).reason == "HTTP 503");
}

TEST_CASE("delivery: a hanging receiver does not delay another one", "[delivery][fault]") {
  webhook_receiver slow({.key = k_key});
  webhook_receiver fast({.key = k_key});
  slow.script({{.hang = true}});
  rig r("isolation");
  auto s = endpoint("slow", receiver_kind::webhook, slow.url(), slow.ca_file(), k_key);
  s.config.timeout = 5000ms;
  alert::delivery d(*r.box, {s, endpoint("fast", receiver_kind::webhook, fast.url(), fast.ca_file(), k_key)},
                    r.options());
  d.start();
  REQUIRE(d.submit(sample("slow", 1)));
  REQUIRE(slow.wait_for([](auto& h) { return h.size() == 1; }, 3s));
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) REQUIRE(d.submit(sample("fast", i)));
  REQUIRE(fast.wait_for([](auto& h) { return h.size() == 5; }, 3s));
  CHECK(std::chrono::steady_clock::now() - t0 < 2s);
  CHECK(of(d.counters(), "slow").delivered == 0);  // still hanging
  CHECK(of(d.counters(), "slow").outbox_pending == 1);
}

TEST_CASE("delivery: a restart resends pending notifications under the same webhook-id", "[delivery][restart]") {
  webhook_receiver rx({.key = k_key});
  rx.down();
  rig r("restart");
  std::set<std::string> ids;
  {
    alert::delivery d(*r.box, {endpoint("desk", receiver_kind::webhook, rx.url(), rx.ca_file(), k_key)},
                      r.options());
    d.start();
    for (int i = 0; i < 3; ++i) REQUIRE(d.submit(sample("desk", i)));
    REQUIRE(eventually_true([&] { return of(d.counters(), "desk").retried >= 2; }, 5s));
    for (const auto& row : r.box->pending()) ids.insert(row.id);
  }
  REQUIRE(ids.size() == 3);
  r.reopen();
  rx.up();
  alert::delivery d(*r.box, {endpoint("desk", receiver_kind::webhook, rx.url(), rx.ca_file(), k_key)},
                    r.options());
  d.start();
  REQUIRE(rx.wait_for([](auto& h) { return h.size() == 3; }, 5s));
  std::set<std::string> got;
  for (const auto& h : rx.hits()) {
    got.insert(h.id);
    CHECK(h.signature_ok);
  }
  CHECK(got == ids);
}

TEST_CASE("delivery: the token bucket spaces requests at the configured rate", "[delivery]") {
  webhook_receiver rx({.key = k_key});
  rig r("rate");
  auto ep = endpoint("desk", receiver_kind::webhook, rx.url(), rx.ca_file(), k_key);
  ep.config.rate_limit_per_s = 5;
  ep.config.rate_limit_burst = 1;
  alert::delivery d(*r.box, {ep}, r.options());
  for (int i = 0; i < 4; ++i) REQUIRE(d.submit(sample("desk", i)));
  d.start();
  REQUIRE(rx.wait_for([](auto& h) { return h.size() == 4; }, 5s));
  const auto h = rx.hits();
  // 1 token, 5 per second: 200 ms apart. The first request also opened the TLS connection,
  // so its arrival is late; measure from the second.
  CHECK(h[3].at - h[1].at >= 390ms);
  CHECK(h[3].at - h[1].at < 1500ms);
}

TEST_CASE("delivery: secrets in URLs and keys never reach a log line", "[delivery][secrets]") {
  webhook_receiver rx(webhook_receiver_options{});
  rx.script({{.status = 500}, {.status = 500}, {.status = 404}});
  rig r("secrets");
  // A Slack-style receiver: the secret is the URL path.
  auto ep = endpoint("slack", receiver_kind::slack, rx.url("/services/T0/B0/SUPERSECRETPATH"),
                     rx.ca_file());
  alert::delivery d(*r.box, {ep}, r.options());
  d.start();
  REQUIRE(d.submit(sample("slack", 1)));
  REQUIRE(eventually_true([&] { return r.box->dead_letters().size() == 1 && r.log.lines().size() >= 3; }, 5s));
  CHECK(rx.hits().at(0).path == "/services/T0/B0/SUPERSECRETPATH");
  const auto lines = r.log.lines();
  REQUIRE(lines.size() >= 3);
  bool redacted = false;
  for (const auto& l : lines) {
    CHECK(l.find("SUPERSECRETPATH") == std::string::npos);
    redacted = redacted || l.find("<redacted>") != std::string::npos;
  }
  CHECK(redacted);
  for (const auto& row : r.box->dead_letters()) CHECK(row.row.body.find("SUPERSECRETPATH") == std::string::npos);
}
