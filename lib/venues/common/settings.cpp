#include "venues/common/settings.hpp"

#include <mutex>
#include <set>

namespace depthmon::venues {

const char* intern(std::string_view text) {
  static std::mutex mu;
  static std::set<std::string, std::less<>> texts;
  const std::lock_guard lock(mu);
  auto it = texts.find(text);
  if (it == texts.end()) it = texts.emplace(text).first;
  return it->c_str();
}

core::error settings_error(std::string_view text) {
  return {core::errc::invalid_argument, intern(text)};
}

core::status check_setting_keys(core::venue v, const std::map<std::string, std::string>& kv,
                                std::initializer_list<std::string_view> valid) {
  for (const auto& [key, value] : kv) {
    bool ok = false;
    for (std::string_view k : valid)
      if (k.ends_with('.') ? (key.size() > k.size() && key.starts_with(k)) : key == k) ok = true;
    if (ok) continue;
    std::string text = std::string(core::to_string(v)) + ": unknown setting '" + key + "' (";
    if (valid.size() == 0) {
      text += "this venue takes no settings)";
    } else {
      text += "valid: ";
      bool first = true;
      for (std::string_view k : valid) {
        if (!first) text += ", ";
        first = false;
        text += k;
        if (k.ends_with('.')) text += "<SYMBOL>";
      }
      text += ")";
    }
    return settings_error(text);
  }
  return {};
}

}  // namespace depthmon::venues
