#include "alert/notification.hpp"

namespace depthmon::alert {

std::string_view to_string(alert_status s) noexcept {
  return s == alert_status::firing ? "firing" : "resolved";
}

}  // namespace depthmon::alert
