// net/basic_auth.hpp — HTTP basic authentication for the server side, in the spirit of the
// Prometheus exporter-toolkit web config (`basic_auth_users: {user: hash}`), without bcrypt.
//
// Supported credential forms (one per user, given inline or as the first line of a file, e.g.
// a systemd LoadCredential= file):
//   sha256:<64 hex digits>   SHA-256 of the password (`printf %s "$PW" | sha256sum`)
//   plain:<password>         the password itself (for files only readable by the service)
// bcrypt (`$2y$...`, what exporter-toolkit stores) is refused with a message saying so.
// Every credential is kept as a SHA-256 digest; a check hashes the offered password once and
// compares user-name and password digests of every configured user with CRYPTO_memcmp, without
// an early exit, so neither a wrong password nor an unknown user name is revealed by timing.
// Nothing here logs; error messages name the user and the file, never a secret or its hash.
//
// Threads: built at start-up, then immutable; check() may run on any thread.
// Errors: add_user*() return false and set `*error`; check() returns nullopt when refused.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace depthmon::net {

class basic_auth {
 public:
  using digest = std::array<std::uint8_t, 32>;

  // `credential` is "sha256:<hex>" or "plain:<password>".
  bool add_user(std::string user, std::string_view credential, std::string* error);
  // Reads the credential from the first line of `path` (trailing CR/LF and spaces ignored).
  bool add_user_from_file(std::string user, const std::string& path, std::string* error);

  // Checks an Authorization header value ("Basic base64(user:password)"); the user on success.
  std::optional<std::string> check(std::string_view authorization) const;

  bool empty() const noexcept { return users_.empty(); }
  std::size_t size() const noexcept { return users_.size(); }

  std::string realm = "depthmon";  // sent in WWW-Authenticate on 401

 private:
  struct user {
    std::string name;
    digest name_digest;
    digest password_digest;
  };
  std::vector<user> users_;
};

// SHA-256 of `data`, and as lowercase hex (what `sha256:` expects).
basic_auth::digest sha256(std::string_view data) noexcept;
std::string sha256_hex(std::string_view data);
// Standard base64 (RFC 4648, padded), the encoding of the Authorization header.
std::string base64_encode(std::string_view data);
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace depthmon::net
