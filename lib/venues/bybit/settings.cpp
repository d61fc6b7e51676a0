#include "venues/bybit/settings.hpp"

#include "venues/common/settings.hpp"

namespace depthmon::venues::bybit {

core::result<settings> parse_settings(const std::map<std::string, std::string>& kv) {
  using core::errc;
  if (auto st = check_setting_keys(core::venue::bybit, kv, {"category", "depth"}); !st)
    return st.err();
  settings s;
  if (auto it = kv.find("category"); it != kv.end()) {
    const std::string& v = it->second;
    if (v == "spot") s.cat = category::spot;
    else if (v == "linear") s.cat = category::linear;
    else if (v == "inverse") s.cat = category::inverse;
    else if (v == "option") s.cat = category::option;
    else return {errc::invalid_argument, "bybit setting 'category' must be spot, linear, inverse or option"};
  }
  if (auto it = kv.find("depth"); it != kv.end()) {
    const std::string& v = it->second;
    if (s.cat == category::option) {
      if (v == "25") s.depth = 25;
      else if (v == "100") s.depth = 100;
      else return {errc::invalid_argument, "bybit setting 'depth' must be 25 or 100 for category=option"};
    } else {
      if (v == "1") s.depth = 1;
      else if (v == "50") s.depth = 50;
      else if (v == "200") s.depth = 200;
      else if (v == "1000") s.depth = 1000;
      else return {errc::invalid_argument, "bybit setting 'depth' must be 1, 50, 200 or 1000"};
    }
  }
  return s;
}

}  // namespace depthmon::venues::bybit
