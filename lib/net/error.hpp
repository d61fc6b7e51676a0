// net/error.hpp — net's own error codes and the phase names every failure is reported with.
//
// Asio, Beast and OpenSSL errors pass through unchanged (boost::system::error_code keeps their
// category); this enum only adds what those libraries have no code for. Every failure of a
// connection or request is reported once, as (error_code, phase), where phase is one of the
// constants below, so callers can count "tls" failures apart from "read" ones without parsing
// messages.
//
// Threads: constants and a stateless category. Errors: n/a.
#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace depthmon::net {

enum class error {
  idle_timeout = 1,   // nothing received (data or control frame) within the read-idle timeout
  bad_url,            // the URL is not ws://, wss://, http:// or https:// with a host
  proxy_refused,      // the proxy answered CONNECT with a non-2xx status
  proxy_protocol,     // the proxy sent bytes after its CONNECT reply, or an unparsable reply
  tls_setup,          // the TLS context or the CA file could not be loaded
  aborted,            // the owner stopped the request before it completed (http_client)
};

const boost::system::error_category& net_category() noexcept;

inline boost::system::error_code make_error_code(error e) noexcept {
  return {static_cast<int>(e), net_category()};
}

// Phase names: the second half of every reported failure.
namespace phase {
inline constexpr const char* resolve = "resolve";
inline constexpr const char* connect = "connect";
inline constexpr const char* proxy = "proxy";
inline constexpr const char* tls = "tls";
inline constexpr const char* ws_handshake = "ws_handshake";
inline constexpr const char* read = "read";
inline constexpr const char* write = "write";
inline constexpr const char* idle_timeout = "idle_timeout";
inline constexpr const char* close = "close";  // our own close handshake (code/reason we sent)
}  // namespace phase

}  // namespace depthmon::net

template <>
struct boost::system::is_error_code_enum<depthmon::net::error> : std::true_type {};
