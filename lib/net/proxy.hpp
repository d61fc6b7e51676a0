// net/proxy.hpp — which HTTP CONNECT proxy, if any, a connection to a URL goes through.
//
// Rules, decided once at configuration time (not per frame):
//   * an explicit proxy (config) wins; its own no_proxy list is honoured, loopback is NOT
//     implied, so a test or an operator can route even 127.0.0.1 through a proxy on purpose;
//   * otherwise the environment: https_proxy / HTTPS_PROXY for wss and https, http_proxy /
//     HTTP_PROXY for ws and http (curl's convention), minus no_proxy / NO_PROXY entries, and
//     never for loopback hosts (127.0.0.0/8, ::1, localhost): the simulator is never reached
//     through a corporate proxy by accident.
// no_proxy entries: comma or space separated; "*" matches everything; "host" matches that host
// and its subdomains; ".domain" matches subdomains; an entry may carry ":port".
//
// Threads: pure functions (the environment is read through the getter passed in).
// Errors: a proxy URL that does not parse is ignored and reported by `error`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "net/url.hpp"

namespace depthmon::net {

struct proxy_settings {
  std::string url;       // explicit proxy, "http://[user:pass@]host:port"; empty: use env
  std::string no_proxy;  // explicit exclusions for the explicit proxy
  bool use_environment = true;  // false: ignore https_proxy and friends entirely
};

using env_getter = std::function<const char*(const char*)>;  // std::getenv by default

struct proxy_choice {
  std::optional<url> proxy;  // nullopt: connect directly
  std::string error;         // non-empty when a configured proxy URL could not be parsed
};

proxy_choice choose_proxy(const url& target, const proxy_settings& settings,
                          const env_getter& env = {});

// True when `host:port` is excluded by a no_proxy list.
bool no_proxy_matches(std::string_view list, std::string_view host, std::uint16_t port);

}  // namespace depthmon::net
