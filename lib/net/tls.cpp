#include "net/tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/error.hpp"
#include "net/url.hpp"

namespace depthmon::net {

namespace ssl = boost::asio::ssl;

tls_context::tls_context(std::string ca_file)
    : ctx_(ssl::context::tls_client), ca_file_(std::move(ca_file)) {}

std::shared_ptr<tls_context> tls_context::create(const std::string& ca_file,
                                                 boost::system::error_code& ec,
                                                 std::string* message) {
  ec.clear();
  auto t = std::make_shared<tls_context>(ca_file);
  auto& ctx = t->ctx_;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                  ec);
  if (!ec) ctx.set_default_verify_paths(ec);
  if (ec) {
    if (message) *message = "TLS: system trust store: " + ec.message();
    return nullptr;
  }
  if (!ca_file.empty()) {
    ctx.load_verify_file(ca_file, ec);
    if (ec) {
      if (message) *message = "TLS: cannot load ca_file " + ca_file + ": " + ec.message();
      return nullptr;
    }
  }
  // Always verify: no code path in depthmon sets verify_none.
  ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
  if (ec) {
    if (message) *message = "TLS: " + ec.message();
    return nullptr;
  }
  return t;
}

bool prepare_client_session(SSL* ssl, const std::string& host, boost::system::error_code& ec) {
  ec.clear();
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  int ok = 0;
  if (is_ip_literal(host)) {
    ok = X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  } else {
    ok = X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) &&
         SSL_set_tlsext_host_name(ssl, host.c_str());
  }
  if (ok != 1) {
    ec = boost::system::error_code(static_cast<int>(::ERR_get_error()),
                                   boost::asio::error::get_ssl_category());
    if (!ec) ec = make_error_code(error::tls_setup);
    return false;
  }
  return true;
}

}  // namespace depthmon::net
