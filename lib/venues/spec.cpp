#include "venues/spec.hpp"

namespace depthmon::venues {

connection_plan venue_spec::connect(std::span<const std::string> symbols) const {
  return {base_.ws_url + ws_path(), subscribe(symbols)};
}

std::optional<http_request> venue_spec::snapshot_request(std::string_view, std::uint32_t) const {
  return std::nullopt;
}

std::optional<http_request> venue_spec::metadata_request(std::string_view) const {
  return std::nullopt;
}

core::status venue_spec::apply_metadata(std::string_view, std::string_view,
                                        std::map<std::string, std::string>&) const {
  return {};
}

std::vector<std::string> venue_spec::subscribe_one(std::string_view symbol) const {
  const std::string s(symbol);
  return subscribe(std::span(&s, 1));
}

std::vector<std::string> venue_spec::unsubscribe_one(std::string_view symbol) const {
  const std::string s(symbol);
  return unsubscribe(std::span(&s, 1));
}

endpoints with_overrides(endpoints defaults, std::string_view ws_url, std::string_view rest_url) {
  // A trailing '/' would double the documented paths' leading one.
  auto trimmed = [](std::string_view u) {
    while (!u.empty() && u.back() == '/') u.remove_suffix(1);
    return std::string(u);
  };
  if (!ws_url.empty()) defaults.ws_url = trimmed(ws_url);
  if (!rest_url.empty()) defaults.rest_url = trimmed(rest_url);
  return defaults;
}

}  // namespace depthmon::venues
