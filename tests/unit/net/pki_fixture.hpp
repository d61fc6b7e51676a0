// tests/unit/net/pki_fixture.hpp — the certificates every TLS test uses, generated once per
// process with net::cert_authority (nothing is checked in, nothing disables verification).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include "net/cert_authority.hpp"
#include "support/net_servers.hpp"

namespace depthmon::test {

struct test_pki {
  net::pki_files trusted;    // ca.pem is what clients trust; server.pem for localhost/127.0.0.1
  tls_identity good;         // signed by the trusted CA, for localhost, 127.0.0.1, ::1
  tls_identity wrong_name;   // signed by the trusted CA, for other.invalid only
  tls_identity untrusted;    // right names, signed by a CA nobody trusts
};

inline const test_pki& pki() {
  // Removes the per-process PEM directory when the test executable exits.
  static const struct cleanup {
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("depthmon_net_test_" + std::to_string(::getpid()));
    ~cleanup() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } tmp;
  static const test_pki p = [&] {
    test_pki t;
    std::string err;
    const auto dir = tmp.dir;
    auto files = net::write_loopback_pki(dir.string(), &err);
    if (!files) throw std::runtime_error(err);
    t.trusted = *files;
    t.good = {files->cert_pem, files->key_pem};
    // A second leaf from the same CA: re-create the CA object is impossible (keys are not
    // exported), so the wrong-name leaf comes from a CA whose cert is appended to ca.pem.
    auto ca2 = net::cert_authority::create("depthmon second trusted CA", 1, &err);
    auto other = ca2 ? ca2->issue({"other.invalid"}, {}, 1, &err) : std::nullopt;
    auto rogue = net::cert_authority::create("untrusted CA", 1, &err);
    auto bad = rogue ? rogue->issue({"localhost"}, {"127.0.0.1"}, 1, &err) : std::nullopt;
    if (!other || !bad) throw std::runtime_error(err);
    t.wrong_name = {other->cert_pem, other->key_pem};
    t.untrusted = {bad->cert_pem, bad->key_pem};
    t.trusted.ca_file = (dir / "trusted.pem").string();
    {
      std::FILE* f = std::fopen(t.trusted.ca_file.c_str(), "wb");
      if (!f) throw std::runtime_error("cannot write trusted.pem");
      std::fputs(files->ca_pem.c_str(), f);
      std::fputs(ca2->cert_pem().c_str(), f);
      std::fclose(f);
    }
    return t;
  }();
  return p;
}

}  // namespace depthmon::test
