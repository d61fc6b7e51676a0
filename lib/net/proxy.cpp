#include "net/proxy.hpp"

#include <cctype>
#include <charconv>
#include <cstdlib>

namespace depthmon::net {
namespace {
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}
bool ends_with_domain(std::string_view host, std::string_view domain) {
  // domain without a leading dot: matches itself and subdomains; with one: subdomains only.
  if (!domain.empty() && domain.front() == '.') {
    return host.size() > domain.size() && iequals(host.substr(host.size() - domain.size()), domain);
  }
  if (iequals(host, domain)) return true;
  return host.size() > domain.size() + 1 && host[host.size() - domain.size() - 1] == '.' &&
         iequals(host.substr(host.size() - domain.size()), domain);
}
}  // namespace

bool no_proxy_matches(std::string_view list, std::string_view host, std::uint16_t port) {
  std::size_t i = 0;
  while (i < list.size()) {
    const auto end = list.find_first_of(", ", i);
    std::string_view entry = list.substr(i, end == std::string_view::npos ? list.npos : end - i);
    i = end == std::string_view::npos ? list.size() : end + 1;
    if (entry.empty()) continue;
    if (entry == "*") return true;
    std::string_view entry_host = entry;
    if (!entry.empty() && entry.front() == '[') {  // [v6]:port
      const auto close = entry.find(']');
      entry_host = entry.substr(1, close == entry.npos ? entry.npos : close - 1);
      if (close != entry.npos && close + 1 < entry.size() && entry[close + 1] == ':') {
        unsigned p = 0;
        const auto ps = entry.substr(close + 2);
        std::from_chars(ps.data(), ps.data() + ps.size(), p);
        if (p != port) continue;
      }
    } else if (const auto colon = entry.rfind(':');
               colon != entry.npos && entry.find(':') == colon) {  // host:port, not bare v6
      unsigned p = 0;
      const auto ps = entry.substr(colon + 1);
      std::from_chars(ps.data(), ps.data() + ps.size(), p);
      if (p != port) continue;
      entry_host = entry.substr(0, colon);
    }
    if (ends_with_domain(host, entry_host)) return true;
  }
  return false;
}

proxy_choice choose_proxy(const url& target, const proxy_settings& settings, const env_getter& env) {
  proxy_choice out;
  auto parse_proxy = [&](std::string_view text) {
    // "host:port" without a scheme is common in the environment; it means http://.
    std::string full(text);
    if (full.find("://") == std::string::npos) full = "http://" + full;
    auto u = parse_url(full);
    if (!u || u->scheme != "http") {
      out.error = "proxy URL not understood (want http://[user:pass@]host:port): " + std::string(text);
      return;
    }
    out.proxy = std::move(u);
  };
  if (!settings.url.empty()) {
    if (!no_proxy_matches(settings.no_proxy, target.host, target.port)) parse_proxy(settings.url);
    return out;
  }
  if (!settings.use_environment || is_loopback_host(target.host)) return out;
  auto get = [&](const char* name) -> const char* {
    const char* v = env ? env(name) : std::getenv(name);
    return (v && *v) ? v : nullptr;
  };
  const char* proxy = target.tls ? (get("https_proxy") ? get("https_proxy") : get("HTTPS_PROXY"))
                                 : (get("http_proxy") ? get("http_proxy") : get("HTTP_PROXY"));
  if (!proxy) return out;
  const char* no = get("no_proxy") ? get("no_proxy") : get("NO_PROXY");
  if (no && no_proxy_matches(no, target.host, target.port)) return out;
  parse_proxy(proxy);
  return out;
}

}  // namespace depthmon::net
