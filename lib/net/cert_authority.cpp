#include "net/cert_authority.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace depthmon::net {
namespace {

struct pkey_free { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct x509_free { void operator()(X509* p) const { X509_free(p); } };
struct bio_free { void operator()(BIO* p) const { BIO_free(p); } };
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;
using bio_ptr = std::unique_ptr<BIO, bio_free>;

bool set_err(std::string* error, const std::string& what) {
  if (error) *error = "certificate generation: " + what;
  return false;
}

pkey_ptr new_key() { return pkey_ptr(EVP_EC_gen("P-256")); }

std::string bio_string(BIO* b) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(b, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

std::string cert_to_pem(X509* c) {
  bio_ptr b(BIO_new(BIO_s_mem()));
  if (!b || PEM_write_bio_X509(b.get(), c) != 1) return {};
  return bio_string(b.get());
}

std::string key_to_pem(EVP_PKEY* k) {
  bio_ptr b(BIO_new(BIO_s_mem()));
  if (!b || PEM_write_bio_PrivateKey(b.get(), k, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return {};
  return bio_string(b.get());
}

bool add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) return false;
  const int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return ok == 1;
}

// A certificate with a random serial, `subject_cn`, the validity window and `key`'s public key.
x509_ptr base_cert(const std::string& subject_cn, EVP_PKEY* key, int valid_days) {
  x509_ptr c(X509_new());
  if (!c) return nullptr;
  X509_set_version(c.get(), 2);  // v3
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return nullptr;
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  ASN1_INTEGER* sn = bn ? BN_to_ASN1_INTEGER(bn, nullptr) : nullptr;
  BN_free(bn);
  if (!sn) return nullptr;
  X509_set_serialNumber(c.get(), sn);
  ASN1_INTEGER_free(sn);
  X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c.get()), static_cast<long>(valid_days) * 86400L);
  X509_NAME* name = X509_get_subject_name(c.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("depthmon"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(subject_cn.c_str()), -1, -1, 0);
  if (X509_set_pubkey(c.get(), key) != 1) return nullptr;
  return c;
}

bool write_file(const std::string& path, const std::string& data, bool secret, std::string* error) {
  std::error_code ec;
  std::filesystem::remove(path, ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (secret) ::chmod(path.c_str(), 0600);  // before the key bytes land in it
  out << data;
  out.close();
  if (!out) return set_err(error, "cannot write " + path);
  return true;
}

}  // namespace

struct cert_authority::keys {
  pkey_ptr key;
  x509_ptr cert;
};

cert_authority::cert_authority() : k_(std::make_unique<keys>()) {}
cert_authority::cert_authority(cert_authority&&) noexcept = default;
cert_authority& cert_authority::operator=(cert_authority&&) noexcept = default;
cert_authority::~cert_authority() = default;

std::optional<cert_authority> cert_authority::create(const std::string& common_name,
                                                     int valid_days, std::string* error) {
  cert_authority ca;
  ca.k_->key = new_key();
  if (!ca.k_->key) return set_err(error, "EC key"), std::nullopt;
  ca.k_->cert = base_cert(common_name, ca.k_->key.get(), valid_days);
  X509* c = ca.k_->cert.get();
  if (!c) return set_err(error, "CA certificate"), std::nullopt;
  X509_set_issuer_name(c, X509_get_subject_name(c));
  if (!add_ext(c, c, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !add_ext(c, c, NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !add_ext(c, c, NID_subject_key_identifier, "hash") ||
      X509_sign(c, ca.k_->key.get(), EVP_sha256()) == 0)
    return set_err(error, "CA extensions or signature"), std::nullopt;
  ca.cert_pem_ = cert_to_pem(c);
  if (ca.cert_pem_.empty()) return set_err(error, "CA PEM"), std::nullopt;
  return ca;
}

std::optional<issued_cert> cert_authority::issue(const std::vector<std::string>& dns_names,
                                                 const std::vector<std::string>& ip_addresses,
                                                 int valid_days, std::string* error) const {
  pkey_ptr key = new_key();
  if (!key) return set_err(error, "EC key"), std::nullopt;
  const std::string cn = !dns_names.empty() ? dns_names.front()
                         : !ip_addresses.empty() ? ip_addresses.front() : "depthmon";
  x509_ptr c = base_cert(cn, key.get(), valid_days);
  if (!c) return set_err(error, "server certificate"), std::nullopt;
  X509_set_issuer_name(c.get(), X509_get_subject_name(k_->cert.get()));
  std::string san;
  for (const auto& d : dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + d;
  for (const auto& ip : ip_addresses) san += (san.empty() ? "IP:" : ",IP:") + ip;
  if (san.empty()) return set_err(error, "no subject alternative names"), std::nullopt;
  if (!add_ext(c.get(), k_->cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_ext(c.get(), k_->cert.get(), NID_key_usage, "critical,digitalSignature") ||
      !add_ext(c.get(), k_->cert.get(), NID_ext_key_usage, "serverAuth") ||
      !add_ext(c.get(), k_->cert.get(), NID_subject_alt_name, san.c_str()) ||
      !add_ext(c.get(), k_->cert.get(), NID_authority_key_identifier, "keyid:always") ||
      X509_sign(c.get(), k_->key.get(), EVP_sha256()) == 0)
    return set_err(error, "server extensions or signature"), std::nullopt;
  issued_cert out{cert_to_pem(c.get()), key_to_pem(key.get())};
  if (out.cert_pem.empty() || out.key_pem.empty()) return set_err(error, "PEM"), std::nullopt;
  return out;
}

std::optional<pki_files> write_loopback_pki(const std::string& dir, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return set_err(error, "cannot create " + dir + ": " + ec.message()), std::nullopt;
  auto ca = cert_authority::create("depthmon loopback CA", 30, error);
  if (!ca) return std::nullopt;
  auto leaf = ca->issue({"localhost"}, {"127.0.0.1", "::1"}, 30, error);
  if (!leaf) return std::nullopt;
  pki_files f;
  const std::filesystem::path d(dir);
  f.ca_file = (d / "ca.pem").string();
  f.cert_file = (d / "server.pem").string();
  f.key_file = (d / "server.key").string();
  f.ca_pem = ca->cert_pem();
  f.cert_pem = leaf->cert_pem;
  f.key_pem = leaf->key_pem;
  if (!write_file(f.ca_file, f.ca_pem, false, error) ||
      !write_file(f.cert_file, f.cert_pem, false, error) ||
      !write_file(f.key_file, f.key_pem, true, error))
    return std::nullopt;
  return f;
}

}  // namespace depthmon::net
