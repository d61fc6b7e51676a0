// net/tls.hpp — the client TLS context: system trust store, optional extra CA file, always
// verifying.
//
// Policy (there is deliberately no switch to weaken it): TLS 1.2 or newer; the peer's chain must
// verify against the system store or the `ca_file` given (the simulator's CA, a corporate CA);
// the certificate must match the host name (DNS name, or IP address for IP literals) through
// OpenSSL's own verification parameters; SNI carries the host name unless it is an IP literal.
// A context is built once (loading the system store costs milliseconds) and shared by every
// connection that trusts the same CA file.
//
// Threads: a built context is immutable and may be shared across io threads (OpenSSL's SSL_CTX
// is thread-safe for creating sessions). Errors: create() returns nullptr and an error_code
// (tls_setup, or OpenSSL's) plus a message when the CA file cannot be read.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/system/error_code.hpp>

#include <memory>
#include <string>

namespace depthmon::net {

class tls_context {
 public:
  static std::shared_ptr<tls_context> create(const std::string& ca_file,
                                             boost::system::error_code& ec, std::string* message);

  boost::asio::ssl::context& native() noexcept { return ctx_; }
  const std::string& ca_file() const noexcept { return ca_file_; }

  explicit tls_context(std::string ca_file);

 private:
  boost::asio::ssl::context ctx_;
  std::string ca_file_;
};

// Prepares one SSL session before its handshake: SNI and host-name verification for `host`.
// Returns false (with ec) if OpenSSL refuses the name.
bool prepare_client_session(SSL* ssl, const std::string& host, boost::system::error_code& ec);

}  // namespace depthmon::net
