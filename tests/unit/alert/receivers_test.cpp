// Each receiver's wire format against the shapes in docs/operations.md §2-3. The expected
// bodies were written out by hand from those sections (field names, order of the Alertmanager
// v4 example, zero endsAt for firing, PagerDuty dedup_key = hex SHA-256 of the label set,
// computed independently with Python's hashlib); the signature vector with Python's hmac.
#include "alert/receivers.hpp"

#include <boost/asio/error.hpp>

#include <catch2/catch.hpp>

#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "core/time.hpp"

using namespace depthmon;
using namespace depthmon::alert;

namespace {

core::unix_nanos at(const char* t) { return core::parse_rfc3339(t).value(); }

alert_instance depth_alert(alert_status s = alert_status::firing) {
  alert_instance a;
  a.labels = {{"alertname", "DepthBelowBaseline"}, {"band_bps", "200"}, {"exchange", "binance"},
              {"severity", "warning"}, {"side", "bid"}, {"symbol", "BTCUSDT"}};
  a.annotations = {{"description", "bid depth 1200000 USD is 0.6 of baseline 2000000 USD"},
                   {"runbook_url", "https://runbooks.example.invalid/depth"},
                   {"summary", "Depth within 2% is below baseline."}};
  a.status = s;
  a.starts_at = at("2026-08-24T09:15:30.123Z");
  if (s == alert_status::resolved) a.ends_at = at("2026-08-24T09:20:00Z");
  a.fingerprint = 0x5f0c8f9d1a2b3c4dull;
  return a;
}

notification group(alert_status s = alert_status::firing) {
  notification n;
  n.id = "msg_1";
  n.receiver = "desk";
  n.group_key = R"({}:{alertname="DepthBelowBaseline", exchange="binance", symbol="BTCUSDT"})";
  n.group_labels = {{"alertname", "DepthBelowBaseline"}, {"exchange", "binance"}, {"symbol", "BTCUSDT"}};
  n.alerts = {depth_alert(s)};
  n.common_labels = n.alerts[0].labels;
  n.common_annotations = n.alerts[0].annotations;
  n.status = s;
  return n;
}

bool valid_json(const std::string& s) {
  simdjson::dom::parser p;
  simdjson::dom::element e;
  return p.parse(s).get(e) == simdjson::SUCCESS;
}

receiver_endpoint endpoint(receiver_kind k, std::string url, std::string secret = {}) {
  receiver_config c;
  c.name = "desk";
  c.kind = k;
  c.url = url;
  c.chat_id = "-1001234567890";
  return {c, std::move(url), std::move(secret)};
}

}  // namespace

TEST_CASE("webhook v4 body: Alertmanager's shape, zero endsAt while firing", "[receivers]") {
  const auto body = render_webhook_v4(group(), {"http://h1:18095", "h1"});
  CHECK(body ==
        R"({"receiver":"desk","status":"firing","alerts":[{"status":"firing",)"
        R"("labels":{"alertname":"DepthBelowBaseline","band_bps":"200","exchange":"binance","severity":"warning","side":"bid","symbol":"BTCUSDT"},)"
        R"("annotations":{"description":"bid depth 1200000 USD is 0.6 of baseline 2000000 USD","runbook_url":"https://runbooks.example.invalid/depth","summary":"Depth within 2% is below baseline."},)"
        R"("startsAt":"2026-08-24T09:15:30.123Z","endsAt":"0001-01-01T00:00:00Z",)"
        R"("generatorURL":"http://h1:18095","fingerprint":"5f0c8f9d1a2b3c4d"}],)"
        R"("groupLabels":{"alertname":"DepthBelowBaseline","exchange":"binance","symbol":"BTCUSDT"},)"
        R"("commonLabels":{"alertname":"DepthBelowBaseline","band_bps":"200","exchange":"binance","severity":"warning","side":"bid","symbol":"BTCUSDT"},)"
        R"("commonAnnotations":{"description":"bid depth 1200000 USD is 0.6 of baseline 2000000 USD","runbook_url":"https://runbooks.example.invalid/depth","summary":"Depth within 2% is below baseline."},)"
        R"("externalURL":"http://h1:18095","version":"4",)"
        R"("groupKey":"{}:{alertname=\"DepthBelowBaseline\", exchange=\"binance\", symbol=\"BTCUSDT\"}","truncatedAlerts":0})");
  CHECK(valid_json(body));
  const auto resolved = render_webhook_v4(group(alert_status::resolved), {});
  CHECK(resolved.find(R"("status":"resolved","alerts":[{"status":"resolved")") != std::string::npos);
  CHECK(resolved.find(R"("endsAt":"2026-08-24T09:20:00.000Z")") != std::string::npos);
}

TEST_CASE("Standard Webhooks signature: HMAC-SHA256 of id.timestamp.body, whsec_ keys", "[receivers]") {
  // Python: base64(hmac.new(b"0123456789abcdef0123456789abcdef", b'msg_1.1787562931.{"a":1}', sha256))
  const std::string key = "0123456789abcdef0123456789abcdef";
  CHECK(webhook_signature(key, "msg_1", 1787562931, R"({"a":1})") ==
        "v1,/y0eg6S10PgmSomr1VlbHByBGthKbnCu6LsbLJq+Z3M=");
  CHECK(signing_key("whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=") == key);
  CHECK(signing_key("plain-secret") == "plain-secret");
  auto req = build_request(endpoint(receiver_kind::webhook, "https://x.invalid/h", key), "msg_1",
                           R"({"a":1})", 1787562931);
  CHECK(req.method == "POST");
  CHECK(req.body == R"({"a":1})");
  auto h = [&](const char* n) {
    for (auto& [k, v] : req.headers)
      if (k == n) return v;
    return std::string();
  };
  CHECK(h("Content-Type") == "application/json");
  CHECK(h("webhook-id") == "msg_1");
  CHECK(h("webhook-timestamp") == "1787562931");
  CHECK(h("webhook-signature") == "v1,/y0eg6S10PgmSomr1VlbHByBGthKbnCu6LsbLJq+Z3M=");
  // No secret: id and timestamp still go out (idempotency), no signature.
  req = build_request(endpoint(receiver_kind::webhook, "https://x.invalid/h"), "msg_1", "{}", 1);
  CHECK(h("webhook-id") == "msg_1");
  CHECK(h("webhook-signature").empty());
}

TEST_CASE("Slack: text fallback plus an mrkdwn section block, & < > escaped", "[receivers]") {
  auto n = group();
  n.alerts[0].annotations[0].second = "depth <1.2M> & falling";
  CHECK(render_slack(n) ==
        R"({"text":"WARNING DepthBelowBaseline binance BTCUSDT bid 200bps","blocks":[{"type":"section","text":{"type":"mrkdwn",)"
        R"("text":"*WARNING DepthBelowBaseline binance BTCUSDT bid 200bps*\ndepth &lt;1.2M&gt; &amp; falling\n<https://runbooks.example.invalid/depth|Runbook>"}}]})");
}

TEST_CASE("Discord: no mentions, content within 2000 characters, embeds within limits", "[receivers]") {
  auto body = render_discord(group());
  CHECK(body ==
        R"({"username":"depthmon","allowed_mentions":{"parse":[]},"content":"WARNING DepthBelowBaseline binance BTCUSDT bid 200bps",)"
        R"("embeds":[{"title":"WARNING DepthBelowBaseline binance BTCUSDT bid 200bps","description":"bid depth 1200000 USD is 0.6 of baseline 2000000 USD",)"
        R"("color":15105570,"timestamp":"2026-08-24T09:15:30.123Z","url":"https://runbooks.example.invalid/depth"}]})");
  // 300 alerts: content clipped to 2000 bytes, at most 10 embeds.
  auto big = group();
  for (int i = 0; i < 300; ++i) big.alerts.push_back(depth_alert());
  body = render_discord(big);
  REQUIRE(valid_json(body));
  simdjson::dom::parser p;
  auto doc = p.parse(body);
  CHECK(std::string_view(doc["content"]).size() <= 2000);
  CHECK(simdjson::dom::array(doc["embeds"]).size() == 10);
  CHECK(build_request(endpoint(receiver_kind::discord, "https://discord.com/api/webhooks/1/tok"),
                      "m", body, 0).url == "https://discord.com/api/webhooks/1/tok?wait=true");
}

TEST_CASE("Telegram: sendMessage under /bot<token>, numeric chat_id, HTML escaped", "[receivers]") {
  auto n = group();
  n.alerts[0].annotations[0].second = "a < b & c";
  CHECK(render_telegram(n, "-1001234567890") ==
        R"({"chat_id":-1001234567890,"parse_mode":"HTML","link_preview_options":{"is_disabled":true},)"
        R"("text":"<b>WARNING DepthBelowBaseline binance BTCUSDT bid 200bps</b>\na &lt; b &amp; c"})");
  CHECK(render_telegram(n, "@desk").rfind(R"({"chat_id":"@desk",)", 0) == 0);
  // 300 alerts: whole alerts up to 4096 characters, then how many were left out.
  auto big = group();
  for (int i = 0; i < 300; ++i) big.alerts.push_back(depth_alert());
  simdjson::dom::parser p;
  const auto body = render_telegram(big, "-1");
  const std::string_view text = p.parse(body)["text"];
  CHECK(text.size() <= 4096);
  CHECK(text.find(" more") == text.size() - 5);
  CHECK(text.find("</b>\n") != std::string_view::npos);
  auto ep = endpoint(receiver_kind::telegram, "https://api.telegram.org/", "123:SECRETTOKEN");
  CHECK(build_request(ep, "m", "{}", 0).url == "https://api.telegram.org/bot123:SECRETTOKEN/sendMessage");
}

TEST_CASE("PagerDuty Events v2: one event per alert, stable dedup_key, resolve", "[receivers]") {
  const std::string key = "1bb84af36bfb15fc53ff6b860e1c752730ff8d9cc01de86503a55e9b2f0048d6";
  CHECK(dedup_key(depth_alert().labels) == key);
  const auto trig = render_pagerduty(depth_alert(), {"http://h1:18095", "h1"});
  CHECK(trig ==
        R"({"event_action":"trigger","dedup_key":")" + key +
            R"(","payload":{"summary":"Depth within 2% is below baseline.","source":"h1","severity":"warning",)"
            R"("component":"binance","group":"depthmon","class":"DepthBelowBaseline","timestamp":"2026-08-24T09:15:30.123Z",)"
            R"("custom_details":{"alertname":"DepthBelowBaseline","band_bps":"200","exchange":"binance","severity":"warning","side":"bid","symbol":"BTCUSDT",)"
            R"("description":"bid depth 1200000 USD is 0.6 of baseline 2000000 USD","runbook_url":"https://runbooks.example.invalid/depth","summary":"Depth within 2% is below baseline."}},)"
            R"("links":[{"href":"https://runbooks.example.invalid/depth","text":"Runbook"}],"client":"depthmon","client_url":"http://h1:18095"})");
  // The stored body has no routing key; the request adds it in front.
  auto ep = endpoint(receiver_kind::pagerduty, "https://events.pagerduty.com", "R0UTINGKEY0123456789");
  const auto res = render_pagerduty(depth_alert(alert_status::resolved), {});
  CHECK(res == R"({"event_action":"resolve","dedup_key":")" + key + R"("})");
  auto req = build_request(ep, "m", res, 0);
  CHECK(req.url == "https://events.pagerduty.com/v2/enqueue");
  CHECK(req.body == R"({"routing_key":"R0UTINGKEY0123456789","event_action":"resolve","dedup_key":")" + key + R"("})");
  auto two = group();
  two.alerts.push_back(depth_alert());
  two.alerts[1].labels[5].second = "ETHUSDT";
  auto msgs = render(ep, two);
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[0].id_suffix == "_0");
  CHECK(msgs[1].body.find(dedup_key(two.alerts[1].labels)) != std::string::npos);
  CHECK(msgs[0].body.find("R0UTINGKEY") == std::string::npos);
}

TEST_CASE("Alertmanager API v2: an array of postable alerts; resolved carries its endsAt", "[receivers]") {
  auto n = group();
  n.alerts.push_back(depth_alert(alert_status::resolved));
  CHECK(render_alertmanager_v2(n, {"http://h1:18095", "h1"}) ==
        R"([{"labels":{"alertname":"DepthBelowBaseline","band_bps":"200","exchange":"binance","severity":"warning","side":"bid","symbol":"BTCUSDT"},)"
        R"("annotations":{"description":"bid depth 1200000 USD is 0.6 of baseline 2000000 USD","runbook_url":"https://runbooks.example.invalid/depth","summary":"Depth within 2% is below baseline."},)"
        R"("startsAt":"2026-08-24T09:15:30.123Z","generatorURL":"http://h1:18095"},)"
        R"({"labels":{"alertname":"DepthBelowBaseline","band_bps":"200","exchange":"binance","severity":"warning","side":"bid","symbol":"BTCUSDT"},)"
        R"("annotations":{"description":"bid depth 1200000 USD is 0.6 of baseline 2000000 USD","runbook_url":"https://runbooks.example.invalid/depth","summary":"Depth within 2% is below baseline."},)"
        R"("startsAt":"2026-08-24T09:15:30.123Z","endsAt":"2026-08-24T09:20:00.000Z","generatorURL":"http://h1:18095"}])");
  CHECK(build_request(endpoint(receiver_kind::alertmanager, "http://127.0.0.1:9093/"), "m", "[]", 0).url ==
        "http://127.0.0.1:9093/api/v2/alerts");
}

TEST_CASE("responses: 2xx delivered, 429/5xx/network retried with Retry-After, other 4xx dead", "[receivers]") {
  const auto now = std::chrono::system_clock::from_time_t(1'787'562'930);
  net::http_response r;
  auto status = [&](unsigned s, std::string ra = {}) {
    r = {};
    r.status = s;
    if (!ra.empty()) r.headers.emplace_back("Retry-After", ra);
    return judge(r, now);
  };
  CHECK(status(200).what == verdict::delivered);
  CHECK(status(202).what == verdict::delivered);
  CHECK(status(500).what == verdict::retry);
  CHECK_FALSE(status(500).retry_after);
  auto o = status(429, "2");
  CHECK(o.what == verdict::retry);
  CHECK(o.retry_after == std::chrono::milliseconds(2000));
  // HTTP-date, 90 s after `now` (1787562930 is Mon, 24 Aug 2026 09:15:30 GMT).
  CHECK(status(503, "Mon, 24 Aug 2026 09:17:00 GMT").retry_after == std::chrono::milliseconds(90'000));
  CHECK(status(400).what == verdict::dead_letter);
  CHECK(status(404).what == verdict::dead_letter);
  CHECK(status(301).what == verdict::dead_letter);
  CHECK_FALSE(parse_retry_after("soon", now));
  // Without the header, a 429 body's retry_after (Discord: seconds as a float at the top;
  // Telegram: parameters.retry_after) is the wait; the header wins when both are there.
  auto body429 = [&](std::string body, std::string ra = {}) {
    r = {};
    r.status = 429;
    if (!ra.empty()) r.headers.emplace_back("Retry-After", ra);
    r.body_buffer.assign(body);
    return judge(r, now);
  };
  CHECK(body429(R"({"message": "You are being rate limited.", "retry_after": 1.25, "global": false})").retry_after ==
        std::chrono::milliseconds(1250));
  CHECK(body429(R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}})")
            .retry_after == std::chrono::milliseconds(3000));
  CHECK(body429(R"({"retry_after": 1.25})", "7").retry_after == std::chrono::milliseconds(7000));
  CHECK_FALSE(body429(R"({"retry_after": "soon"})").retry_after);
  CHECK_FALSE(body429("busy").retry_after);
  r = {};
  r.ec = boost::asio::error::connection_refused;
  r.phase = "connect";
  CHECK(judge(r, now).what == verdict::retry);
}

TEST_CASE("secrets: read from files and credentials, never in display URLs or redacted text", "[receivers][secrets]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("depthmon_receivers_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto write = [&](const char* name, const char* text) {
    std::ofstream(dir / name) << text;
    return (dir / name).string();
  };
  receiver_config c;
  c.name = "slack-desk";
  c.kind = receiver_kind::slack;
  c.url_file = write("slack_url", "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX\n");
  std::string err;
  auto ep = load_endpoint(c, &err);
  REQUIRE(ep);
  CHECK(ep->url == "https://hooks.slack.com/services/T000/B000/XXXXSECRETXXXX");
  CHECK(display_url(*ep) == "https://hooks.slack.com/<redacted>");
  CHECK(redact("POST " + ep->url + " failed", *ep).find("XXXXSECRETXXXX") == std::string::npos);

  receiver_config t;
  t.name = "tg";
  t.kind = receiver_kind::telegram;
  t.chat_id = "-1";
  t.secret_credential = "tg_token";
  write("tg_token", "123456:TELEGRAMSECRET\n");
  auto tg = load_endpoint(t, &err, dir.string());
  REQUIRE(tg);
  CHECK(tg->secret == "123456:TELEGRAMSECRET");
  CHECK(redact("https://api.telegram.org/bot123456:TELEGRAMSECRET/sendMessage", *tg) ==
        "https://api.telegram.org/bot<redacted>/sendMessage");

  receiver_config w;
  w.name = "hook";
  w.kind = receiver_kind::webhook;
  w.url = "https://example.invalid/h";
  w.secret_file = write("whsec", "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n");
  auto wh = load_endpoint(w, &err);
  REQUIRE(wh);
  CHECK(wh->secret == "0123456789abcdef0123456789abcdef");
  CHECK(redact("key MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY= / 0123456789abcdef0123456789abcdef", *wh) ==
        "key <redacted> / <redacted>");

  // Errors name the receiver and the file, never the content.
  receiver_config pd;
  pd.name = "pd";
  pd.kind = receiver_kind::pagerduty;
  CHECK_FALSE(load_endpoint(pd, &err));
  CHECK(err == "receiver pd: needs secret_file or secret_credential");
  pd.secret_file = (dir / "missing").string();
  CHECK_FALSE(load_endpoint(pd, &err));
  CHECK(err.find("cannot read secret") != std::string::npos);
  fs::remove_all(dir);
}
