// alert/receivers.hpp — what a notification looks like on each receiver's wire: one renderer
// per receiver_kind (generic webhook = Alertmanager webhook v4 body signed with Standard
// Webhooks headers, Slack, Discord, Telegram, PagerDuty Events v2, Alertmanager API v2), the
// secrets each needs (read from a file or $CREDENTIALS_DIRECTORY), and how a response is judged.
//
// Rendering happens once, when the notification enters the outbox; what is stored there holds
// no secret: a receiver whose secret lives in the URL (Slack, Discord, Telegram) or in the body
// (PagerDuty's routing_key) gets it added by build_request() at send time, and the Standard
// Webhooks signature is computed per attempt (its timestamp is the attempt's). So the outbox
// file, logs and error texts never carry a secret; redact() scrubs any text that might.
//
// Threads: pure functions (load_endpoint reads files). Errors: load_endpoint returns nullopt
// with a one-line reason that names the receiver and file, never the secret.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alert/alert_config.hpp"
#include "alert/notification.hpp"
#include "net/http_client.hpp"

namespace depthmon::alert {

// A receiver with its secrets resolved (kept in memory only).
struct receiver_endpoint {
  receiver_config config;
  std::string url;     // the endpoint / base URL (Slack, Discord: contains the secret token)
  std::string secret;  // webhook: HMAC key bytes (decoded whsec_); telegram: bot token;
                       // pagerduty: routing key; others: empty
};

// Reads url_file, secret_file or $CREDENTIALS_DIRECTORY/<secret_credential> (one trailing
// newline trimmed). `credentials_dir` empty: the environment's CREDENTIALS_DIRECTORY.
std::optional<receiver_endpoint> load_endpoint(const receiver_config& c, std::string* error,
                                               const std::string& credentials_dir = {});

// Context the daemon adds to every payload.
struct render_context {
  std::string external_url;  // webhook v4 externalURL, API v2 generatorURL, PagerDuty client_url
  std::string source = "depthmon";  // PagerDuty payload.source
};

// One stored message: a notification for PagerDuty becomes one message per alert (dedup_key
// is per alert); every other receiver gets one message per notification.
struct rendered_message {
  std::string id_suffix;  // appended to the notification's webhook-id ("" or "_<i>")
  std::string body;       // exactly the bytes sent (minified JSON), without secrets
};
std::vector<rendered_message> render(const receiver_endpoint& r, const notification& n,
                                     const render_context& ctx = {});

// Bodies per receiver kind (tests check each against the documented shapes).
std::string render_webhook_v4(const notification& n, const render_context& ctx);
std::string render_slack(const notification& n);
std::string render_discord(const notification& n);
std::string render_telegram(const notification& n, std::string_view chat_id);
std::string render_pagerduty(const alert_instance& a, const render_context& ctx);  // w/o key
std::string render_alertmanager_v2(const notification& n, const render_context& ctx);

// Hex SHA-256 of the canonical sorted label set `a="x",b="y"`: PagerDuty's dedup_key, stable
// across restarts and replicas.
std::string dedup_key(const label_set& labels);

// The request for one attempt: URL with secrets, Content-Type, Standard Webhooks headers for a
// webhook with a secret (webhook-timestamp = `now_unix_s`), PagerDuty's routing_key inserted.
net::http_request build_request(const receiver_endpoint& r, std::string_view webhook_id,
                                std::string_view body, std::int64_t now_unix_s);

// Standard Webhooks: "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>".
std::string webhook_signature(std::string_view key, std::string_view id, std::int64_t timestamp,
                              std::string_view body);
// "whsec_<base64>" -> the decoded key; anything else -> the raw bytes.
std::string signing_key(std::string_view secret);

// What to do after an attempt.
enum class verdict : std::uint8_t { delivered, retry, dead_letter };
struct attempt_outcome {
  verdict what = verdict::retry;
  std::optional<std::chrono::milliseconds> retry_after;  // from Retry-After (429, 503)
  std::string reason;  // "HTTP 500", "connect: Connection refused" (no secrets)
};
// 2xx delivered; 429, 5xx, network errors retried (Retry-After honoured on 429/502/503/504);
// other statuses (3xx, 4xx) dead-lettered. `now` for an HTTP-date Retry-After.
attempt_outcome judge(const net::http_response& res, std::chrono::system_clock::time_point now);
// Retry-After: delta seconds or an HTTP-date (RFC 9110), relative to `now`; nullopt if neither.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view v, std::chrono::system_clock::time_point now);

// `text` with every secret of `r` (and the URL path of a secret-bearing URL) replaced by
// "<redacted>"; what logs and error messages use.
std::string redact(std::string_view text, const receiver_endpoint& r);
// scheme://host[:port]/<redacted> for URLs that carry secrets, the URL itself otherwise.
std::string display_url(const receiver_endpoint& r);

}  // namespace depthmon::alert
