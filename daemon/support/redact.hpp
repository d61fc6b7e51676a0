// support/redact.hpp — removes secrets from text before it is logged.
//
// Receiver endpoints carry their secret in the URL itself (Slack /services/T/B/X, Discord
// /api/webhooks/{id}/{token}, Telegram /bot<token>/), in userinfo (https://user:pass@host) or in
// query parameters (?token=, ?api_key=, ?signature=). redact_url() keeps what identifies the
// endpoint (scheme, host, port, the non-secret path) and replaces each secret with "***";
// redact_secrets() does that for every URL inside free text, plus `Bearer <token>` and
// Standard Webhooks `whsec_...` secrets. Every log line goes through redact_secrets() (the
// formatters of logging.hpp call it), so a secret cannot reach stderr or the journal by a
// forgotten call site.
//
// Threads: pure functions. Errors: none; text without secrets is returned unchanged.
#pragma once

#include <string>
#include <string_view>

namespace depthmon::daemon_support {

inline constexpr std::string_view redacted = "***";

// One URL (scheme://authority/path?query#fragment).
std::string redact_url(std::string_view url);

// Every URL, bearer token and whsec_ secret in `text`.
std::string redact_secrets(std::string_view text);

// True when a query parameter of this name carries a credential (token, key, secret, sig,
// password, auth, credential, session; case-insensitive substring).
bool is_secret_parameter(std::string_view name) noexcept;

}  // namespace depthmon::daemon_support
