#include "alert/grouping.hpp"

#include <catch2/catch.hpp>

using namespace depthmon;
using namespace depthmon::alert;
using namespace std::chrono_literals;

namespace {

constexpr core::unix_nanos s = 1'000'000'000;

struct collecting_sink : notification_sink {
  std::vector<notification> got;
  bool refuse = false;
  core::status submit(notification n) override {
    if (refuse) return core::error{core::errc::invalid_argument, "refused"};
    got.push_back(std::move(n));
    return {};
  }
};

alert_instance mk(std::string name, std::string exchange, std::string symbol, std::string severity = "warning") {
  std::map<std::string, std::string> l{{"alertname", std::move(name)}, {"exchange", std::move(exchange)},
                                       {"severity", std::move(severity)}};
  if (!symbol.empty()) l["symbol"] = std::move(symbol);
  alert_instance a;
  a.labels = make_label_set(std::move(l));
  a.fingerprint = fingerprint(a.labels);
  a.starts_at = 1;
  return a;
}

alert_instance resolved(alert_instance a, core::unix_nanos at) {
  a.status = alert_status::resolved;
  a.ends_at = at;
  return a;
}

alert_config cfg(bool send_resolved = true) {
  alert_config c;
  c.group_by = {"alertname", "exchange"};
  c.group_wait = 10s;
  c.group_interval = 60s;
  c.repeat_interval = 600s;
  receiver_config r;
  r.name = "desk";
  r.send_resolved = send_resolved;
  c.receivers.push_back(r);
  return c;
}

}  // namespace

TEST_CASE("grouping: group_wait, group_interval, repeat_interval and one resolution", "[alert]") {
  grouper g;
  REQUIRE(g.configure(cfg()));
  collecting_sink sink;
  const auto a = mk("Thin", "binance", "BTCUSDT");
  const auto b = mk("Thin", "binance", "ETHUSDT");
  std::vector<alert_instance> now{a};
  CHECK(g.process(now, {}, 0, &sink) == 0);
  CHECK(g.process(now, {}, 9 * s, &sink) == 0);  // group_wait not over
  now.push_back(b);                              // joins the group inside the wait
  CHECK(g.process(now, {}, 10 * s, &sink) == 1);
  REQUIRE(sink.got.size() == 1);
  const notification& n = sink.got[0];
  CHECK(n.receiver == "desk");
  CHECK(n.alerts.size() == 2);
  CHECK(n.status == alert_status::firing);
  CHECK(n.group_key == "desk:{}:{alertname=\"Thin\",exchange=\"binance\"}");
  CHECK(n.group_labels == label_set{{"alertname", "Thin"}, {"exchange", "binance"}});
  CHECK(n.common_labels == label_set{{"alertname", "Thin"}, {"exchange", "binance"}, {"severity", "warning"}});
  // Nothing changes: no flush at each interval, then a repeat after repeat_interval.
  for (core::unix_nanos t = 11 * s; t < 610 * s; t += s) CHECK(g.process(now, {}, t, &sink) == 0);
  CHECK(g.process(now, {}, 610 * s, &sink) == 1);
  // b resolves at 620 s: told at the next interval tick (670 s), once; then only a remains.
  std::vector<alert_instance> pass{a, resolved(b, 620 * s)};
  CHECK(g.process(pass, {}, 620 * s, &sink) == 0);
  for (core::unix_nanos t = 621 * s; t < 670 * s; t += s) CHECK(g.process({a}, {}, t, &sink) == 0);
  CHECK(g.process({a}, {}, 670 * s, &sink) == 1);
  REQUIRE(sink.got.size() == 3);
  REQUIRE(sink.got[2].alerts.size() == 2);
  CHECK(sink.got[2].status == alert_status::firing);
  int resolved_count = 0;
  for (const auto& x : sink.got[2].alerts) resolved_count += x.status == alert_status::resolved;
  CHECK(resolved_count == 1);
  CHECK(g.process({a}, {}, 730 * s, &sink) == 0);
  // a resolves: the group's last notification is resolved, then the group is gone.
  CHECK(g.process({resolved(a, 740 * s)}, {}, 740 * s, &sink) == 0);
  CHECK(g.process({}, {}, 790 * s, &sink) == 1);
  CHECK(sink.got.back().status == alert_status::resolved);
  CHECK(g.groups() == 0);
  CHECK(g.process({}, {}, 2000 * s, &sink) == 0);
}

TEST_CASE("grouping: send_resolved = false tells nothing on resolution", "[alert]") {
  grouper g;
  REQUIRE(g.configure(cfg(false)));
  collecting_sink sink;
  const auto a = mk("Thin", "binance", "BTCUSDT");
  CHECK(g.process({a}, {}, 0, &sink) == 0);
  CHECK(g.process({a}, {}, 10 * s, &sink) == 1);
  CHECK(g.process({resolved(a, 20 * s)}, {}, 20 * s, &sink) == 0);
  for (core::unix_nanos t = 21 * s; t < 1000 * s; t += 10 * s) CHECK(g.process({}, {}, t, &sink) == 0);
  CHECK(sink.got.size() == 1);
  CHECK(g.groups() == 0);
}

TEST_CASE("grouping: routes by anchored matchers, group_by per receiver", "[alert]") {
  alert_config c = cfg();
  c.receivers[0].match = {{"severity", label_matcher::op::re, "crit"}};  // anchored: not "critical"
  receiver_config pager;
  pager.name = "pager";
  pager.match = {{"severity", label_matcher::op::re, "crit.*"}, {"exchange", label_matcher::op::ne, "okx"}};
  pager.group_by = {"alertname"};
  pager.group_wait = 0ms;
  c.receivers.push_back(pager);
  grouper g;
  REQUIRE(g.configure(c));
  collecting_sink sink;
  const std::vector<alert_instance> alerts{mk("Thin", "binance", "BTCUSDT", "critical"),
                                           mk("Thin", "kraken", "BTC/USD", "critical"),
                                           mk("Thin", "okx", "BTC-USDT", "critical"),
                                           mk("Thin", "binance", "SOLUSDT", "warning")};
  CHECK(g.process(alerts, {}, 0, &sink) == 1);
  REQUIRE(sink.got.size() == 1);
  CHECK(sink.got[0].receiver == "pager");
  CHECK(sink.got[0].alerts.size() == 2);  // binance + kraken in one group by alertname
  CHECK(g.process(alerts, {}, 100 * s, &sink) == 0);  // desk matched nothing

  label_matcher bad{"severity", label_matcher::op::re, "("};
  c.receivers[0].match = {bad};
  std::string why;
  CHECK_FALSE(g.configure(c, &why));
  CHECK(why.find("bad regex") != std::string::npos);
}

TEST_CASE("grouping: a venue's per-book alerts are muted while its feed_down fires", "[alert]") {
  grouper g;
  REQUIRE(g.configure(cfg()));
  collecting_sink sink;
  const auto book = mk("Thin", "kraken", "BTC/USD");
  const auto down = mk("FeedDown", "kraken", "");
  const auto other = mk("Thin", "binance", "BTCUSDT");
  CHECK(g.process({book, down, other}, {"kraken"}, 0, &sink) == 0);
  CHECK(g.process({book, down, other}, {"kraken"}, 10 * s, &sink) == 2);  // FeedDown and binance
  for (const auto& n : sink.got) CHECK(n.alerts.size() == 1);
  CHECK(label_value(sink.got[0].alerts[0].labels, "symbol").value_or("") != "BTC/USD");
  CHECK(label_value(sink.got[1].alerts[0].labels, "symbol").value_or("") != "BTC/USD");
  // The feed is back: FeedDown's resolution goes out at its group's tick; the book alert
  // (still firing, never told) starts a new group and goes out after group_wait.
  sink.got.clear();
  CHECK(g.process({book, resolved(down, 70 * s), other}, {}, 70 * s, &sink) == 1);
  CHECK(g.process({book, other}, {}, 79 * s, &sink) == 0);
  CHECK(g.process({book, other}, {}, 80 * s, &sink) == 1);
  bool book_told = false, down_resolved = false;
  for (const auto& n : sink.got)
    for (const auto& a : n.alerts) {
      book_told |= label_value(a.labels, "symbol").value_or("") == "BTC/USD";
      down_resolved |= label_value(a.labels, "alertname").value_or("") == "FeedDown" && a.status == alert_status::resolved;
    }
  CHECK(book_told);
  CHECK(down_resolved);
}

TEST_CASE("grouping: a refused submit is offered again at the next interval; no sink keeps nothing", "[alert]") {
  grouper g;
  REQUIRE(g.configure(cfg()));
  collecting_sink sink;
  sink.refuse = true;
  const auto a = mk("Thin", "binance", "BTCUSDT");
  CHECK(g.process({a}, {}, 0, &sink) == 0);
  CHECK(g.process({a}, {}, 10 * s, &sink) == 0);
  sink.refuse = false;
  CHECK(g.process({a}, {}, 30 * s, &sink) == 0);
  CHECK(g.process({a}, {}, 70 * s, &sink) == 1);
  CHECK(g.process({a}, {}, 200 * s, nullptr) == 0);
  CHECK(g.groups() == 0);
}

TEST_CASE("labels: fingerprint is order-independent and template renders labels and values", "[alert]") {
  const label_set a = make_label_set({{"b", "2"}, {"a", "1"}});
  CHECK(a == label_set{{"a", "1"}, {"b", "2"}});
  CHECK(fingerprint(a) == fingerprint(make_label_set({{"a", "1"}, {"b", "2"}})));
  CHECK(fingerprint(a) != fingerprint(make_label_set({{"a", "12"}})));  // separators matter
  CHECK(fingerprint(make_label_set({{"a", "1"}, {"b", "2"}})) != fingerprint(make_label_set({{"a", "1b"}, {"", "2"}})));
  CHECK(fingerprint_hex(0xabcull) == "0000000000000abc");
  CHECK(render_template("x {{ v }} {{.v}} {{ labels.a }} {{ labels.z }} {{", {{"v", "7"}}, a) ==
        "x 7 7 1 <no value> {{");
}
