// net/cert_authority.hpp — a throw-away certificate authority generated at run time, and the
// certificates it signs: how the simulator serves wss/https and how tests trust it, so that no
// client ever needs verification turned off.
//
// Keys are ECDSA P-256 (generated in microseconds, unlike RSA); certificates are X.509 v3 with
// SHA-256 signatures. The CA has basicConstraints CA:TRUE and keyCertSign; a leaf has
// CA:FALSE, digitalSignature, extendedKeyUsage serverAuth and subjectAltName entries for the
// names and IP addresses asked for. Validity starts an hour in the past (clock skew).
//
// Threads: a cert_authority is immutable after create(); issue() may be called from any thread
// that owns the object. Errors: startup code only; functions return nullopt / false and set
// `*error` to a one-line reason. Private key files are written with mode 0600.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace depthmon::net {

struct issued_cert {
  std::string cert_pem;  // the leaf certificate
  std::string key_pem;   // its private key (PKCS#8, unencrypted)
};

class cert_authority {
 public:
  static std::optional<cert_authority> create(const std::string& common_name, int valid_days,
                                              std::string* error);

  const std::string& cert_pem() const noexcept { return cert_pem_; }

  // A server certificate for these DNS names and IP addresses (textual, v4 or v6).
  std::optional<issued_cert> issue(const std::vector<std::string>& dns_names,
                                   const std::vector<std::string>& ip_addresses, int valid_days,
                                   std::string* error) const;

  cert_authority(cert_authority&&) noexcept;
  cert_authority& operator=(cert_authority&&) noexcept;
  ~cert_authority();

 private:
  struct keys;
  cert_authority();
  std::unique_ptr<keys> k_;
  std::string cert_pem_;
};

// The files written by write_loopback_pki().
struct pki_files {
  std::string ca_file;      // <dir>/ca.pem          (what clients trust: config `ca_file`)
  std::string cert_file;    // <dir>/server.pem      (leaf for localhost, 127.0.0.1, ::1)
  std::string key_file;     // <dir>/server.key      (mode 0600)
  std::string cert_pem, key_pem, ca_pem;  // the same contents, for in-process servers
};

// Creates `dir` if needed, a new CA and a server certificate for localhost, 127.0.0.1 and ::1
// signed by it, and writes them as PEM files.
std::optional<pki_files> write_loopback_pki(const std::string& dir, std::string* error);

}  // namespace depthmon::net
