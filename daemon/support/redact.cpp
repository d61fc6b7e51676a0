#include "support/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace depthmon::daemon_support {
namespace {

char lower(char c) noexcept { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool icontains(std::string_view hay, std::string_view needle) noexcept {
  if (needle.size() > hay.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() && lower(hay[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return true;
  }
  return false;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && icontains(a, b);
}

bool scheme_char(char c) noexcept {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
}

// Where a URL embedded in prose ends: whitespace, quotes, angle brackets.
bool url_end(char c) noexcept {
  return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '<' ||
         c == '>' || c == '`';
}

// "a=1&token=x" -> "a=1&token=***"
std::string redact_params(std::string_view q) {
  std::string out;
  std::size_t start = 0;
  while (start <= q.size()) {
    std::size_t amp = q.find('&', start);
    if (amp == std::string_view::npos) amp = q.size();
    const std::string_view pair = q.substr(start, amp - start);
    const std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && is_secret_parameter(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1));
      out.append(redacted);
    } else {
      out.append(pair);
    }
    if (amp == q.size()) break;
    out += '&';
    start = amp + 1;
  }
  return out;
}

// The path with secret segments replaced, judged by host and position.
std::string redact_path(std::string_view host, std::string_view path) {
  std::string out;
  std::size_t segment = 0;
  std::size_t pos = 0;
  bool rest_secret = false;  // every later segment is secret (Slack's T/B/X triple)
  while (pos < path.size()) {
    // path starts with '/'; each iteration copies "/segment".
    std::size_t next = path.find('/', pos + 1);
    if (next == std::string_view::npos) next = path.size();
    const std::string_view seg = path.substr(pos + 1, next - pos - 1);
    out += '/';
    bool secret = rest_secret;
    // Telegram: /bot<id>:<token>/method
    if (seg.size() > 3 && seg.substr(0, 3) == "bot" && seg.find(':') != std::string_view::npos) {
      out += "bot";
      out.append(redacted);
    } else {
      // Discord: /api/webhooks/<id>/<token>; the id identifies the hook, the token is secret.
      if (icontains(host, "discord") && segment >= 3) secret = true;
      if (secret && !seg.empty()) out.append(redacted);
      else out.append(seg);
    }
    if (icontains(host, "hooks.slack.com") && iequals(seg, "services")) rest_secret = true;
    ++segment;
    pos = next;
  }
  return out;
}

}  // namespace

bool is_secret_parameter(std::string_view name) noexcept {
  static constexpr std::array<std::string_view, 9> k_words = {
      "token", "key", "secret", "sig", "pass", "auth", "credential", "session", "pwd"};
  for (const auto w : k_words)
    if (icontains(name, w)) return true;
  return false;
}

std::string redact_url(std::string_view url) {
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, sep + 3));
  std::string_view rest = url.substr(sep + 3);

  const std::size_t auth_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, auth_end);
  rest = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    out.append(redacted);
    out += '@';
    authority = authority.substr(at + 1);
  }
  out.append(authority);

  const std::size_t path_end = rest.find_first_of("?#");
  out += redact_path(authority, rest.substr(0, path_end));
  if (path_end == std::string_view::npos) return out;
  rest = rest.substr(path_end);
  // query and fragment (OAuth puts access_token in the fragment): the same key=value rule.
  const std::size_t hash = rest.find('#', 1);
  const std::string_view query = rest.substr(0, hash);
  out += query[0];
  out += redact_params(query.substr(1));
  if (hash != std::string_view::npos) {
    out += '#';
    out += redact_params(rest.substr(hash + 1));
  }
  return out;
}

std::string redact_secrets(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t sep = text.find("://", i);
    const std::size_t bearer = [&] {
      for (std::size_t k = i; k + 7 <= text.size(); ++k)
        if (lower(text[k]) == 'b' && iequals(text.substr(k, 7), "bearer ")) return k;
      return std::string_view::npos;
    }();
    const std::size_t whsec = text.find("whsec_", i);
    std::size_t scheme = sep;
    if (sep != std::string_view::npos)
      while (scheme > i && scheme_char(text[scheme - 1])) --scheme;
    const std::size_t first = std::min({sep == std::string_view::npos ? sep : scheme, bearer, whsec});
    if (first == std::string_view::npos) break;
    out.append(text.substr(i, first - i));
    if (first == bearer) {
      out.append(text.substr(first, 7));
      out.append(redacted);
      std::size_t e = first + 7;
      while (e < text.size() && !url_end(text[e])) ++e;
      i = e;
    } else if (first == whsec) {
      out.append("whsec_");
      out.append(redacted);
      std::size_t e = first + 6;
      while (e < text.size() && !url_end(text[e]) && text[e] != ',' && text[e] != ';') ++e;
      i = e;
    } else if (scheme == sep) {  // "://" with no scheme before it: not a URL
      out.append("://");
      i = sep + 3;
    } else {
      std::size_t e = sep + 3;
      while (e < text.size() && !url_end(text[e])) ++e;
      out += redact_url(text.substr(scheme, e - scheme));
      i = e;
    }
  }
  if (i < text.size()) out.append(text.substr(i));
  return out;
}

}  // namespace depthmon::daemon_support
