#include "net/basic_auth.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cctype>
#include <fstream>

namespace depthmon::net {
namespace {

constexpr std::string_view b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool iequals_prefix(std::string_view s, std::string_view prefix) noexcept {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

}  // namespace

basic_auth::digest sha256(std::string_view data) noexcept {
  basic_auth::digest d{};
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), d.data(), &n, EVP_sha256(), nullptr);
  return d;
}

std::string sha256_hex(std::string_view data) {
  static constexpr char digits[] = "0123456789abcdef";
  const auto d = sha256(data);
  std::string out;
  out.reserve(64);
  for (auto b : d) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

std::string base64_encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const auto v = (std::uint32_t(std::uint8_t(data[i])) << 16) |
                   (std::uint32_t(std::uint8_t(data[i + 1])) << 8) | std::uint8_t(data[i + 2]);
    out.push_back(b64[(v >> 18) & 63]);
    out.push_back(b64[(v >> 12) & 63]);
    out.push_back(b64[(v >> 6) & 63]);
    out.push_back(b64[v & 63]);
  }
  if (const auto rest = data.size() - i; rest > 0) {
    std::uint32_t v = std::uint32_t(std::uint8_t(data[i])) << 16;
    if (rest == 2) v |= std::uint32_t(std::uint8_t(data[i + 1])) << 8;
    out.push_back(b64[(v >> 18) & 63]);
    out.push_back(b64[(v >> 12) & 63]);
    out.push_back(rest == 2 ? b64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t v = 0;
    int pad = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      std::uint32_t x = 0;
      if (c == '=') {
        // Padding only in the last quantum's last two places.
        if (i + 4 != text.size() || j < 2) return std::nullopt;
        ++pad;
      } else {
        if (pad) return std::nullopt;
        const auto pos = b64.find(c);
        if (pos == std::string_view::npos) return std::nullopt;
        x = static_cast<std::uint32_t>(pos);
      }
      v = (v << 6) | x;
    }
    out.push_back(static_cast<char>((v >> 16) & 255));
    if (pad < 2) out.push_back(static_cast<char>((v >> 8) & 255));
    if (pad < 1) out.push_back(static_cast<char>(v & 255));
  }
  return out;
}

bool basic_auth::add_user(std::string name, std::string_view credential, std::string* error) {
  auto fail = [&](std::string why) {
    if (error) *error = "basic auth user '" + name + "': " + std::move(why);
    return false;
  };
  if (name.empty() || name.find(':') != std::string::npos)
    return fail("a user name must be non-empty and contain no ':'");
  user u{name, sha256(name), {}};
  if (credential.substr(0, 7) == "sha256:") {
    const auto hex = credential.substr(7);
    if (hex.size() != 64) return fail("sha256: needs 64 hex digits");
    for (std::size_t i = 0; i < 32; ++i) {
      const int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
      if (hi < 0 || lo < 0) return fail("sha256: needs 64 hex digits");
      u.password_digest[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
  } else if (credential.substr(0, 6) == "plain:") {
    if (credential.size() == 6) return fail("plain: needs a password");
    u.password_digest = sha256(credential.substr(6));
  } else if (credential.substr(0, 2) == "$2") {
    return fail("bcrypt hashes are not supported; use sha256:<hex> or plain:<password>");
  } else {
    return fail("expected sha256:<hex> or plain:<password>");
  }
  for (const auto& existing : users_)
    if (existing.name == name) return fail("configured twice");
  users_.push_back(std::move(u));
  return true;
}

bool basic_auth::add_user_from_file(std::string name, const std::string& path,
                                    std::string* error) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line)) {
    if (error) *error = "basic auth user '" + name + "': cannot read " + path;
    return false;
  }
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
    line.pop_back();
  std::string why;
  if (!add_user(name, line, &why)) {
    if (error) *error = why + " (in " + path + ")";
    OPENSSL_cleanse(line.data(), line.size());
    return false;
  }
  OPENSSL_cleanse(line.data(), line.size());
  return true;
}

std::optional<std::string> basic_auth::check(std::string_view authorization) const {
  if (users_.empty() || !iequals_prefix(authorization, "basic ")) return std::nullopt;
  auto encoded = authorization.substr(6);
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
  auto decoded = base64_decode(encoded);
  if (!decoded) return std::nullopt;
  const auto colon = decoded->find(':');
  if (colon == std::string::npos) {
    OPENSSL_cleanse(decoded->data(), decoded->size());
    return std::nullopt;
  }
  const std::string_view name(decoded->data(), colon);
  const auto name_d = sha256(name);
  const auto pass_d = sha256(std::string_view(*decoded).substr(colon + 1));
  // Every user is compared in full: the time does not depend on which user or byte differs.
  const user* found = nullptr;
  for (const auto& u : users_) {
    const int name_diff = CRYPTO_memcmp(u.name_digest.data(), name_d.data(), name_d.size());
    const int pass_diff = CRYPTO_memcmp(u.password_digest.data(), pass_d.data(), pass_d.size());
    if ((name_diff | pass_diff) == 0) found = &u;
  }
  OPENSSL_cleanse(decoded->data(), decoded->size());
  if (!found) return std::nullopt;
  return found->name;
}

}  // namespace depthmon::net
