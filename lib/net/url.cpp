#include "net/url.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace depthmon::net {
namespace {
std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}
std::uint16_t default_port_of(std::string_view scheme) {
  return (scheme == "wss" || scheme == "https") ? 443 : 80;
}
}  // namespace

std::string url::authority() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string url::host_header() const {
  const bool v6 = host.find(':') != std::string::npos;
  std::string h = v6 ? "[" + host + "]" : host;
  if (!default_port) h += ":" + std::to_string(port);
  return h;
}

std::optional<url> parse_url(std::string_view text) {
  url u;
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  u.scheme = lower(text.substr(0, sep));
  if (u.scheme != "ws" && u.scheme != "wss" && u.scheme != "http" && u.scheme != "https")
    return std::nullopt;
  u.tls = u.scheme == "wss" || u.scheme == "https";
  std::string_view rest = text.substr(sep + 3);
  const auto path_at = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_at);
  std::string_view target = path_at == std::string_view::npos ? std::string_view{} : rest.substr(path_at);
  if (const auto hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view info = authority.substr(0, at);
    const auto colon = info.find(':');
    u.user = std::string(info.substr(0, colon));
    if (colon != std::string_view::npos) u.password = std::string(info.substr(colon + 1));
    authority = authority.substr(at + 1);
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    u.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    u.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (u.host.empty()) return std::nullopt;
  u.port = default_port_of(u.scheme);
  if (!port_text.empty()) {
    unsigned p = 0;
    const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), p);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || p == 0 || p > 65535)
      return std::nullopt;
    u.port = static_cast<std::uint16_t>(p);
    u.default_port = u.port == default_port_of(u.scheme);
  }
  u.target = target.empty() ? "/" : std::string(target);
  if (u.target.front() == '?') u.target.insert(0, "/");
  return u;
}

bool is_ip_literal(std::string_view host) noexcept {
  if (host.size() >= 64) return false;
  char buf[64] = {};
  std::copy(host.begin(), host.end(), buf);
  unsigned char out[16];
  return ::inet_pton(AF_INET, buf, out) == 1 || ::inet_pton(AF_INET6, buf, out) == 1;
}

bool is_loopback_host(std::string_view host) noexcept {
  if (host.size() == 9) {
    bool eq = true;
    for (std::size_t i = 0; i < 9; ++i)
      eq = eq && std::tolower(static_cast<unsigned char>(host[i])) == "localhost"[i];
    if (eq) return true;
  }
  if (host == "::1") return true;
  if (host.size() < 64 && host.rfind("127.", 0) == 0) {
    char buf[64] = {};
    std::copy(host.begin(), host.end(), buf);
    unsigned char out[4];
    return ::inet_pton(AF_INET, buf, out) == 1;
  }
  return false;
}

}  // namespace depthmon::net
