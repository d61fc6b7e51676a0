#include "alert/labels.hpp"

#include <algorithm>

namespace depthmon::alert {

label_set make_label_set(std::map<std::string, std::string> m) {
  label_set out;
  out.reserve(m.size());
  for (auto& [k, v] : m) out.emplace_back(k, std::move(v));
  return out;  // std::map iterates sorted and unique
}

std::uint64_t fingerprint(const label_set& labels) noexcept {
  std::uint64_t h = 14695981039346656037ull;
  auto add = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ull;
    }
  };
  auto sep = [&h] {
    h ^= 0xffu;
    h *= 1099511628211ull;
  };
  for (const auto& [k, v] : labels) {
    add(k);
    sep();
    add(v);
    sep();
  }
  return h;
}

std::optional<std::string_view> label_value(const label_set& labels, std::string_view name) noexcept {
  for (const auto& [k, v] : labels)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

std::string fingerprint_hex(std::uint64_t fp) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, fp >>= 4) out[static_cast<std::size_t>(i)] = digits[fp & 0xf];
  return out;
}

std::optional<compiled_matcher> compiled_matcher::compile(const label_matcher& m, std::string* why) {
  compiled_matcher c;
  c.m_ = m;
  if (m.match == label_matcher::op::re || m.match == label_matcher::op::nre) {
    // Config time, never on the alert thread's pass: std::regex reports a bad pattern by throwing.
    try {
      c.re_ = std::make_shared<const std::regex>("^(?:" + m.value + ")$", std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      if (why) *why = std::string("bad regex '") + m.value + "': " + e.what();
      return std::nullopt;
    }
  }
  return c;
}

bool compiled_matcher::matches(const label_set& labels) const {
  const std::string value(label_value(labels, m_.name).value_or(""));
  switch (m_.match) {
    case label_matcher::op::eq: return value == m_.value;
    case label_matcher::op::ne: return value != m_.value;
    case label_matcher::op::re: return re_ && std::regex_match(value, *re_);
    case label_matcher::op::nre: return !re_ || !std::regex_match(value, *re_);
  }
  return false;
}

std::string render_template(std::string_view tpl, const std::map<std::string, std::string>& vars,
                            const label_set& labels) {
  std::string out;
  out.reserve(tpl.size() + 32);
  std::size_t pos = 0;
  while (pos < tpl.size()) {
    const auto open = tpl.find("{{", pos);
    if (open == std::string_view::npos) break;
    const auto close = tpl.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(tpl.substr(pos, open - pos));
    std::string_view name = tpl.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.starts_with(".")) name.remove_prefix(1);  // "{{ .depth_usd }}" as Go writes it
    std::optional<std::string> v;
    if (name.starts_with("labels.")) {
      if (auto l = label_value(labels, name.substr(7))) v = std::string(*l);
    } else if (auto it = vars.find(std::string(name)); it != vars.end()) {
      v = it->second;
    }
    out += v ? *v : std::string("<no value>");
    pos = close + 2;
  }
  out.append(tpl.substr(pos));
  return out;
}

}  // namespace depthmon::alert
