// net/url.hpp — the parts of a ws/wss/http/https URL a client needs to dial it.
//
// Threads: plain values. Errors: parse_url returns nullopt for anything it cannot dial (no
// scheme it knows, no host, a port that is not 1..65535); it never throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace depthmon::net {

struct url {
  std::string scheme;   // lower case: "ws", "wss", "http", "https"
  std::string host;     // as written, IPv6 without brackets
  std::uint16_t port = 0;  // explicit or the scheme's default
  std::string target;   // path and query, "/" when empty
  std::string user, password;  // userinfo (proxy credentials), percent-decoding not applied
  bool tls = false;     // wss or https
  bool default_port = true;

  // "host" or "host:port" (port omitted when it is the scheme's default), brackets for IPv6:
  // what the Host header and HTTP CONNECT expect.
  std::string host_header() const;
  std::string authority() const;  // always "host:port"
};

std::optional<url> parse_url(std::string_view text);

// True for 127.0.0.0/8, ::1 and "localhost" (any case): loopback never goes through a proxy
// taken from the environment.
bool is_loopback_host(std::string_view host) noexcept;
// True when host is an IPv4 or IPv6 literal (no SNI is sent for those, RFC 6066 §3).
bool is_ip_literal(std::string_view host) noexcept;

}  // namespace depthmon::net
