#include "net/error.hpp"

#include <string>

namespace depthmon::net {
namespace {
class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "depthmon.net"; }
  std::string message(int ev) const override {
    switch (static_cast<error>(ev)) {
      case error::idle_timeout: return "nothing received within the read-idle timeout";
      case error::bad_url: return "URL cannot be dialled";
      case error::proxy_refused: return "proxy refused the CONNECT request";
      case error::proxy_protocol: return "proxy reply not understood";
      case error::tls_setup: return "TLS context or CA file could not be loaded";
      case error::aborted: return "request aborted by its owner";
    }
    return "unknown net error";
  }
};
}  // namespace

const boost::system::error_category& net_category() noexcept {
  static const category c;
  return c;
}

}  // namespace depthmon::net
