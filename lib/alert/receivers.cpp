#include "alert/receivers.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include "core/json_escape.hpp"
#include "core/time.hpp"
#include "net/url.hpp"

namespace depthmon::alert {
namespace {

using core::append_json_string;

// ---- small crypto and text helpers --------------------------------------------------------------
std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3), '\0');
  const int n = ::EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()),
                                  static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(std::max(n, 0)));
  return out;
}

std::optional<std::string> unbase64(std::string_view in) {
  if (in.size() % 4 != 0) return std::nullopt;
  std::string out(3 * in.size() / 4, '\0');
  const int n = ::EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()),
                                  static_cast<int>(in.size()));
  if (n < 0) return std::nullopt;
  std::size_t len = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts padding as zero bytes.
  for (std::size_t i = in.size(); i > 0 && in[i - 1] == '='; --i) --len;
  out.resize(len);
  return out;
}

std::string hex(const unsigned char* p, std::size_t n) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(digits[p[i] >> 4]);
    out.push_back(digits[p[i] & 15]);
  }
  return out;
}

std::string hex16(std::uint64_t v) {
  unsigned char b[8];
  for (int i = 7; i >= 0; --i, v >>= 8) b[i] = static_cast<unsigned char>(v & 0xff);
  return hex(b, 8);
}

std::string rfc3339_ms(core::unix_nanos t) { return core::format_rfc3339(t, 3); }
constexpr std::string_view zero_time = "0001-01-01T00:00:00Z";

std::string_view label(const label_set& s, std::string_view name) {
  for (const auto& [k, v] : s)
    if (k == name) return v;
  return {};
}

void append_object(std::string& out, const label_set& s) {
  out.push_back('{');
  bool first = true;
  for (const auto& [k, v] : s) {
    if (!first) out.push_back(',');
    first = false;
    append_json_string(out, k);
    out.push_back(':');
    append_json_string(out, v);
  }
  out.push_back('}');
}

// "labels":{...},"annotations":{...},"startsAt":"..." — what webhook v4 and API v2 alerts share.
void append_identity(std::string& out, const alert_instance& a) {
  out += R"("labels":)";
  append_object(out, a.labels);
  out += R"(,"annotations":)";
  append_object(out, a.annotations);
  out += R"(,"startsAt":)";
  append_json_string(out, rfc3339_ms(a.starts_at));
}

// Cuts `s` to at most `max` bytes without splitting a UTF-8 sequence, marking the cut.
std::string clip(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t cut = max >= 3 ? max - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  s.resize(cut);
  s += "...";
  return s;
}

std::string escape_html(std::string_view s) {  // Telegram HTML and Slack mrkdwn: & < >
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out.push_back(c);
  }
  return out;
}

// "CRITICAL DepthBelowBaseline binance BTCUSDT bid" and the summary: the one-line title chat
// receivers show per alert.
std::string title(const alert_instance& a) {
  std::string sev(label(a.labels, "severity"));
  std::transform(sev.begin(), sev.end(), sev.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::string t = a.status == alert_status::resolved ? "RESOLVED" : sev;
  for (auto name : {"alertname", "exchange", "base", "symbol", "side"}) {
    auto v = label(a.labels, name);
    if (v.empty()) continue;
    if (!t.empty()) t.push_back(' ');
    t += v;
  }
  if (auto b = label(a.labels, "band_bps"); !b.empty()) t += " " + std::string(b) + "bps";
  return t;
}
std::string text_of(const alert_instance& a) {
  auto s = label(a.annotations, "summary");
  auto d = label(a.annotations, "description");
  std::string out(d.empty() ? s : d);
  return out;
}

std::string read_trimmed(const std::string& path, std::string* error, std::string_view what,
                         const std::string& receiver) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    *error = "receiver " + receiver + ": cannot read " + std::string(what) + " " + path;
    return {};
  }
  std::stringstream ss;
  ss << f.rdbuf();
  std::string s = std::move(ss).str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  if (s.empty()) *error = "receiver " + receiver + ": " + std::string(what) + " " + path + " is empty";
  return s;
}

bool secret_in_url(receiver_kind k) {
  return k == receiver_kind::slack || k == receiver_kind::discord || k == receiver_kind::telegram;
}

}  // namespace

// ---- secrets ------------------------------------------------------------------------------------
std::optional<receiver_endpoint> load_endpoint(const receiver_config& c, std::string* error,
                                               const std::string& credentials_dir) {
  std::string err;
  receiver_endpoint e{c, c.url, {}};
  if (!c.url_file.empty()) {
    e.url = read_trimmed(c.url_file, &err, "url_file", c.name);
    if (!err.empty()) return *error = err, std::nullopt;
  }
  if (e.url.empty()) {
    if (c.kind == receiver_kind::telegram) e.url = "https://api.telegram.org";
    else if (c.kind == receiver_kind::pagerduty) e.url = "https://events.pagerduty.com";
  }
  if (e.url.empty()) return *error = "receiver " + c.name + ": no url", std::nullopt;
  std::string secret_path = c.secret_file;
  if (secret_path.empty() && !c.secret_credential.empty()) {
    std::string dir = credentials_dir;
    if (dir.empty())
      if (const char* d = std::getenv("CREDENTIALS_DIRECTORY")) dir = d;
    if (dir.empty())
      return *error = "receiver " + c.name + ": secret_credential " + c.secret_credential +
                      " but CREDENTIALS_DIRECTORY is not set",
             std::nullopt;
    secret_path = dir + "/" + c.secret_credential;
  }
  if (!secret_path.empty()) {
    e.secret = read_trimmed(secret_path, &err, "secret", c.name);
    if (!err.empty()) return *error = err, std::nullopt;
    if (c.kind == receiver_kind::webhook) e.secret = signing_key(e.secret);
  }
  if ((c.kind == receiver_kind::telegram || c.kind == receiver_kind::pagerduty) &&
      e.secret.empty())
    return *error = "receiver " + c.name + ": needs secret_file or secret_credential",
           std::nullopt;
  if (!net::parse_url(e.url))
    return *error = "receiver " + c.name + ": bad url " + display_url(e), std::nullopt;
  return e;
}

std::string signing_key(std::string_view secret) {
  constexpr std::string_view prefix = "whsec_";
  if (secret.substr(0, prefix.size()) == prefix)
    if (auto k = unbase64(secret.substr(prefix.size()))) return *k;
  return std::string(secret);
}

std::string webhook_signature(std::string_view key, std::string_view id, std::int64_t timestamp,
                              std::string_view body) {
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  ::HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &len);
  return "v1," + base64(std::string_view(reinterpret_cast<const char*>(mac), len));
}

std::string dedup_key(const label_set& labels) {
  std::string canon;
  bool first = true;
  for (const auto& [k, v] : labels) {  // label_set is sorted by name
    if (!first) canon.push_back(',');
    first = false;
    canon += k;
    canon.push_back('=');
    append_json_string(canon, v);
  }
  unsigned char d[SHA256_DIGEST_LENGTH];
  ::SHA256(reinterpret_cast<const unsigned char*>(canon.data()), canon.size(), d);
  return hex(d, sizeof d);
}

// ---- renderers ----------------------------------------------------------------------------------
std::string render_webhook_v4(const notification& n, const render_context& ctx) {
  std::string out;
  out.reserve(1024);
  out += R"({"receiver":)";
  append_json_string(out, n.receiver);
  out += R"(,"status":)";
  append_json_string(out, to_string(n.status));
  out += R"(,"alerts":[)";
  for (std::size_t i = 0; i < n.alerts.size(); ++i) {
    const auto& a = n.alerts[i];
    if (i) out.push_back(',');
    out += R"({"status":)";
    append_json_string(out, to_string(a.status));
    out.push_back(',');
    append_identity(out, a);
    out += R"(,"endsAt":)";
    append_json_string(out, a.status == alert_status::resolved && a.ends_at != 0
                                ? rfc3339_ms(a.ends_at) : std::string(zero_time));
    out += R"(,"generatorURL":)";
    append_json_string(out, ctx.external_url);
    out += R"(,"fingerprint":)";
    append_json_string(out, hex16(a.fingerprint));
    out.push_back('}');
  }
  out += R"(],"groupLabels":)";
  append_object(out, n.group_labels);
  out += R"(,"commonLabels":)";
  append_object(out, n.common_labels);
  out += R"(,"commonAnnotations":)";
  append_object(out, n.common_annotations);
  out += R"(,"externalURL":)";
  append_json_string(out, ctx.external_url);
  out += R"(,"version":"4","groupKey":)";
  append_json_string(out, n.group_key);
  out += R"(,"truncatedAlerts":0})";
  return out;
}

std::string render_slack(const notification& n) {
  std::string fallback, blocks;
  for (std::size_t i = 0; i < n.alerts.size(); ++i) {
    const auto& a = n.alerts[i];
    if (i) fallback += "\n";
    fallback += title(a);
    std::string mrk = "*" + escape_html(title(a)) + "*";
    if (auto t = text_of(a); !t.empty()) mrk += "\n" + escape_html(t);
    if (auto rb = label(a.annotations, "runbook_url"); !rb.empty())
      mrk += "\n<" + std::string(rb) + "|Runbook>";
    if (i < 50) {  // Slack: at most 50 blocks per message
      if (!blocks.empty()) blocks.push_back(',');
      blocks += R"({"type":"section","text":{"type":"mrkdwn","text":)";
      append_json_string(blocks, clip(mrk, 3000));  // section text limit
      blocks += "}}";
    }
  }
  std::string out = R"({"text":)";
  append_json_string(out, clip(fallback, 3000));
  out += R"(,"blocks":[)" + blocks + "]}";
  return out;
}

std::string render_discord(const notification& n) {
  std::string content;
  for (std::size_t i = 0; i < n.alerts.size(); ++i) content += (i ? "\n" : "") + title(n.alerts[i]);
  std::string out = R"({"username":"depthmon","allowed_mentions":{"parse":[]},"content":)";
  append_json_string(out, clip(content, 2000));
  out += R"(,"embeds":[)";
  std::size_t text_budget = 6000;
  for (std::size_t i = 0; i < n.alerts.size() && i < 10; ++i) {
    const auto& a = n.alerts[i];
    auto t = clip(title(a), 256), d = clip(text_of(a), 4096);
    if (t.size() + d.size() > text_budget) break;  // all embeds together: 6000 characters
    text_budget -= t.size() + d.size();
    if (i) out.push_back(',');
    out += R"({"title":)";
    append_json_string(out, t);
    out += R"(,"description":)";
    append_json_string(out, d);
    out += a.status == alert_status::resolved ? R"(,"color":3066993)"
           : label(a.labels, "severity") == "critical" ? R"(,"color":15158332)"
                                                       : R"(,"color":15105570)";
    out += R"(,"timestamp":)";
    append_json_string(out, rfc3339_ms(a.status == alert_status::resolved && a.ends_at
                                           ? a.ends_at : a.starts_at));
    if (auto rb = label(a.annotations, "runbook_url"); !rb.empty()) {
      out += R"(,"url":)";
      append_json_string(out, rb);
    }
    out.push_back('}');
  }
  out += "]}";
  return out;
}

std::string render_telegram(const notification& n, std::string_view chat_id) {
  // At most 4096 characters: whole alerts only (cutting HTML could split a tag or an entity),
  // then a count of those left out.
  std::string text;
  for (std::size_t i = 0; i < n.alerts.size(); ++i) {
    const auto& a = n.alerts[i];
    std::string one = "<b>" + escape_html(title(a)) + "</b>";
    if (auto t = text_of(a); !t.empty()) one += "\n" + escape_html(t);
    const std::string more = "\n\n... and " + std::to_string(n.alerts.size() - i) + " more";
    if (text.size() + 2 + one.size() + more.size() > 4096 && i > 0) {
      text += more;
      break;
    }
    if (i) text += "\n\n";
    text += i == 0 ? clip(std::move(one), 4000) : one;
  }
  std::string out = R"({"chat_id":)";
  const bool numeric = !chat_id.empty() &&
      std::all_of(chat_id.begin() + (chat_id[0] == '-'), chat_id.end(),
                  [](unsigned char c) { return std::isdigit(c); });
  if (numeric) out += chat_id;
  else append_json_string(out, chat_id);
  out += R"(,"parse_mode":"HTML","link_preview_options":{"is_disabled":true},"text":)";
  append_json_string(out, text);
  out.push_back('}');
  return out;
}

std::string render_pagerduty(const alert_instance& a, const render_context& ctx) {
  std::string out;
  out += a.status == alert_status::resolved ? R"({"event_action":"resolve")"
                                            : R"({"event_action":"trigger")";
  out += R"(,"dedup_key":)";
  append_json_string(out, dedup_key(a.labels));
  if (a.status == alert_status::resolved) return out + "}";
  std::string sev(label(a.labels, "severity"));
  if (sev != "critical" && sev != "error" && sev != "warning" && sev != "info") sev = "warning";
  auto summary = std::string(label(a.annotations, "summary"));
  if (summary.empty()) summary = title(a);
  out += R"(,"payload":{"summary":)";
  append_json_string(out, clip(summary, 1024));
  out += R"(,"source":)";
  append_json_string(out, ctx.source);
  out += R"(,"severity":)";
  append_json_string(out, sev);
  if (auto ex = label(a.labels, "exchange"); !ex.empty()) {
    out += R"(,"component":)";
    append_json_string(out, ex);
  }
  out += R"(,"group":"depthmon","class":)";
  append_json_string(out, label(a.labels, "alertname"));
  out += R"(,"timestamp":)";
  append_json_string(out, rfc3339_ms(a.starts_at));
  label_set details = a.labels;
  for (const auto& kv : a.annotations) details.push_back(kv);
  out += R"(,"custom_details":)";
  append_object(out, details);
  out += "}";
  if (auto rb = label(a.annotations, "runbook_url"); !rb.empty()) {
    out += R"(,"links":[{"href":)";
    append_json_string(out, rb);
    out += R"(,"text":"Runbook"}])";
  }
  out += R"(,"client":"depthmon")";
  if (!ctx.external_url.empty()) {
    out += R"(,"client_url":)";
    append_json_string(out, ctx.external_url);
  }
  return out + "}";
}

std::string render_alertmanager_v2(const notification& n, const render_context& ctx) {
  std::string out = "[";
  for (std::size_t i = 0; i < n.alerts.size(); ++i) {
    const auto& a = n.alerts[i];
    if (i) out.push_back(',');
    out.push_back('{');
    append_identity(out, a);
    // Firing: no endsAt, so Alertmanager holds it for resolve_timeout and the repeat refreshes
    // it; resolved: its real end, which is in the past, so Alertmanager resolves it.
    if (a.status == alert_status::resolved) {
      out += R"(,"endsAt":)";
      append_json_string(out, rfc3339_ms(a.ends_at));
    }
    out += R"(,"generatorURL":)";
    append_json_string(out, ctx.external_url);
    out.push_back('}');
  }
  return out + "]";
}

std::vector<rendered_message> render(const receiver_endpoint& r, const notification& n,
                                     const render_context& ctx) {
  switch (r.config.kind) {
    case receiver_kind::webhook: return {{"", render_webhook_v4(n, ctx)}};
    case receiver_kind::slack: return {{"", render_slack(n)}};
    case receiver_kind::discord: return {{"", render_discord(n)}};
    case receiver_kind::telegram: return {{"", render_telegram(n, r.config.chat_id)}};
    case receiver_kind::alertmanager: return {{"", render_alertmanager_v2(n, ctx)}};
    case receiver_kind::pagerduty: {
      std::vector<rendered_message> out;
      for (std::size_t i = 0; i < n.alerts.size(); ++i)
        out.push_back({n.alerts.size() == 1 ? "" : "_" + std::to_string(i),
                       render_pagerduty(n.alerts[i], ctx)});
      return out;
    }
  }
  return {};
}

// ---- requests and responses ---------------------------------------------------------------------
net::http_request build_request(const receiver_endpoint& r, std::string_view webhook_id,
                                std::string_view body, std::int64_t now_unix_s) {
  net::http_request q;
  q.method = "POST";
  q.headers.emplace_back("Content-Type", "application/json");
  std::string base = r.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  switch (r.config.kind) {
    case receiver_kind::webhook:
      q.url = r.url;
      q.headers.emplace_back("webhook-id", std::string(webhook_id));
      q.headers.emplace_back("webhook-timestamp", std::to_string(now_unix_s));
      if (!r.secret.empty())
        q.headers.emplace_back("webhook-signature",
                               webhook_signature(r.secret, webhook_id, now_unix_s, body));
      q.body = std::string(body);
      break;
    case receiver_kind::slack:
      q.url = r.url;
      q.body = std::string(body);
      break;
    case receiver_kind::discord:
      // wait=true: Discord answers 200 with the message, or an error, instead of a blind 204.
      q.url = r.url + (r.url.find('?') == std::string::npos ? "?wait=true" : "&wait=true");
      q.body = std::string(body);
      break;
    case receiver_kind::telegram:
      q.url = base + "/bot" + r.secret + "/sendMessage";
      q.body = std::string(body);
      break;
    case receiver_kind::pagerduty: {
      q.url = base + "/v2/enqueue";
      q.body = R"({"routing_key":)";
      append_json_string(q.body, r.secret);
      q.body.push_back(',');
      q.body.append(body.substr(1));  // stored without the key: {"event_action":...}
      break;
    }
    case receiver_kind::alertmanager:
      q.url = base + "/api/v2/alerts";
      q.body = std::string(body);
      break;
  }
  if (r.config.kind != receiver_kind::webhook)
    q.headers.emplace_back("Idempotency-Key", std::string(webhook_id));
  return q;
}

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view v, std::chrono::system_clock::time_point now) {
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  if (v.empty()) return std::nullopt;
  std::int64_t secs = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), secs);
  if (ec == std::errc{} && p == v.data() + v.size() && secs >= 0)
    return std::chrono::milliseconds(secs * 1000);
  std::tm tm{};
  const std::string s(v);
  const char* end = ::strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  const auto at = std::chrono::system_clock::from_time_t(::timegm(&tm));
  return std::max(std::chrono::milliseconds(0),
                  std::chrono::duration_cast<std::chrono::milliseconds>(at - now));
}

// Discord (`{"retry_after": 1.5, ...}`, seconds) and Telegram (`{"parameters":{"retry_after":
// 3}}`) say how long to wait in the 429 body as well; used when no Retry-After header came.
std::optional<std::chrono::milliseconds> body_retry_after(std::string_view body) {
  constexpr std::string_view key = "\"retry_after\"";
  auto at = body.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  at += key.size();
  while (at < body.size() && (body[at] == ' ' || body[at] == '\t' || body[at] == ':')) ++at;
  std::size_t end = at;
  while (end < body.size() && end - at < 24 &&
         ((body[end] >= '0' && body[end] <= '9') || body[end] == '.'))
    ++end;
  if (end == at) return std::nullopt;
  const std::string num(body.substr(at, end - at));
  char* stop = nullptr;
  const double secs = std::strtod(num.c_str(), &stop);
  if (stop != num.c_str() + num.size() || !(secs >= 0) || secs > 86'400) return std::nullopt;
  return std::chrono::milliseconds(static_cast<std::int64_t>(secs * 1000.0 + 0.5));
}

attempt_outcome judge(const net::http_response& res, std::chrono::system_clock::time_point now) {
  attempt_outcome o;
  if (!res.ok()) {
    o.what = verdict::retry;
    o.reason = std::string(res.phase) + ": " + res.ec.message();
    return o;
  }
  o.reason = "HTTP " + std::to_string(res.status);
  if (res.status >= 200 && res.status < 300) o.what = verdict::delivered;
  else if (res.status == 429 || res.status >= 500) o.what = verdict::retry;
  else o.what = verdict::dead_letter;
  if (res.status == 429 || res.status == 502 || res.status == 503 || res.status == 504)
    o.retry_after = parse_retry_after(res.header("retry-after"), now);
  if (res.status == 429 && !o.retry_after) o.retry_after = body_retry_after(res.body().text());
  return o;
}

std::string display_url(const receiver_endpoint& r) {
  if (!secret_in_url(r.config.kind)) return r.url;
  auto u = net::parse_url(r.url);
  if (!u) return "<redacted>";
  return u->scheme + "://" + u->host_header() +
         (r.config.kind == receiver_kind::telegram ? "/bot<redacted>" : "/<redacted>");
}

std::string redact(std::string_view text, const receiver_endpoint& r) {
  std::string out(text);
  auto scrub = [&](std::string_view secret) {
    if (secret.size() < 4) return;  // a secret this short cannot be told from ordinary text
    for (std::size_t at = out.find(secret); at != std::string::npos; at = out.find(secret, at))
      out.replace(at, secret.size(), "<redacted>");
  };
  if (secret_in_url(r.config.kind) && r.config.kind != receiver_kind::telegram) {
    if (auto u = net::parse_url(r.url)) scrub(u->target);
    scrub(r.url);
  }
  scrub(r.secret);
  if (r.config.kind == receiver_kind::webhook && !r.secret.empty()) scrub(base64(r.secret));
  return out;
}

}  // namespace depthmon::alert
