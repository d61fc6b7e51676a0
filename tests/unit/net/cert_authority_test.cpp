#include "net/cert_authority.hpp"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace depthmon::net;

namespace {
X509* load(const std::string& pem) {
  BIO* b = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509* x = PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
  BIO_free(b);
  return x;
}
// Verifies leaf against ca as a client would, for `host` (DNS or IP).
bool verifies(const std::string& ca_pem, const std::string& leaf_pem, const std::string& host, bool ip) {
  X509* ca = load(ca_pem);
  X509* leaf = load(leaf_pem);
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, leaf, nullptr);
  X509_VERIFY_PARAM* p = X509_STORE_CTX_get0_param(ctx);
  X509_VERIFY_PARAM_set_purpose(p, X509_PURPOSE_SSL_SERVER);
  if (ip) X509_VERIFY_PARAM_set1_ip_asc(p, host.c_str());
  else X509_VERIFY_PARAM_set1_host(p, host.c_str(), host.size());
  const bool ok = X509_verify_cert(ctx) == 1;
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  X509_free(leaf);
  X509_free(ca);
  return ok;
}
}  // namespace

TEST_CASE("cert_authority issues server certificates that verify for their names only", "[pki]") {
  std::string err;
  auto ca = cert_authority::create("test CA", 1, &err);
  REQUIRE(ca);
  auto leaf = ca->issue({"localhost"}, {"127.0.0.1", "::1"}, 1, &err);
  REQUIRE(leaf);
  CHECK(verifies(ca->cert_pem(), leaf->cert_pem, "localhost", false));
  CHECK(verifies(ca->cert_pem(), leaf->cert_pem, "127.0.0.1", true));
  CHECK(verifies(ca->cert_pem(), leaf->cert_pem, "::1", true));
  CHECK_FALSE(verifies(ca->cert_pem(), leaf->cert_pem, "example.com", false));
  CHECK_FALSE(verifies(ca->cert_pem(), leaf->cert_pem, "127.0.0.2", true));
  auto other = cert_authority::create("other CA", 1, &err);
  REQUIRE(other);
  CHECK_FALSE(verifies(other->cert_pem(), leaf->cert_pem, "localhost", false));
  // A leaf cannot sign: the CA is the only trust anchor a client needs.
  CHECK(leaf->key_pem.find("PRIVATE KEY") != std::string::npos);
  CHECK_FALSE(ca->issue({}, {}, 1, &err));
}

TEST_CASE("write_loopback_pki writes the CA, the leaf and a private key only we can read", "[pki]") {
  const auto dir = std::filesystem::temp_directory_path() / ("depthmon_pki_" + std::to_string(::getpid()));
  std::string err;
  auto f = write_loopback_pki(dir.string(), &err);
  REQUIRE(f);
  std::ifstream in(f->ca_file);
  std::stringstream ss;
  ss << in.rdbuf();
  CHECK(ss.str() == f->ca_pem);
  CHECK(verifies(f->ca_pem, f->cert_pem, "127.0.0.1", true));
  struct stat st {};
  REQUIRE(::stat(f->key_file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  std::filesystem::remove_all(dir);
}
