// alert/labels.hpp — what rules, grouping and receivers share about an alert's label set:
// its fingerprint (Alertmanager's: FNV-1a 64 over sorted name 0xff value 0xff), label lookup,
// Alertmanager-style matchers (=, !=, =~, !~ with fully anchored regexes) and the annotation
// templates ("{{ depth_usd }}", "{{ labels.NAME }}").
//
// Threads: pure functions; compiled_matcher is immutable after construction.
// Errors: compiled_matcher::compile returns std::nullopt for a bad regex (config time only); an
// unknown template name renders as "<no value>" (Go templates' text, so a typo is visible).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "alert/alert_config.hpp"
#include "alert/notification.hpp"

namespace depthmon::alert {

// Sorts by name and keeps the last value of a repeated name.
label_set make_label_set(std::map<std::string, std::string> m);
std::uint64_t fingerprint(const label_set& labels) noexcept;
std::optional<std::string_view> label_value(const label_set& labels, std::string_view name) noexcept;
// Lower-case 16-digit hex, as Alertmanager prints a fingerprint.
std::string fingerprint_hex(std::uint64_t fp);

class compiled_matcher {
 public:
  // std::nullopt with `why` for a bad regex.
  static std::optional<compiled_matcher> compile(const label_matcher& m, std::string* why = nullptr);
  // A missing label matches as the empty string (Alertmanager).
  bool matches(const label_set& labels) const;

 private:
  label_matcher m_;
  std::shared_ptr<const std::regex> re_;
};

// Replaces each "{{ name }}" by vars[name] (or the label for "labels.NAME").
std::string render_template(std::string_view tpl, const std::map<std::string, std::string>& vars,
                            const label_set& labels);

}  // namespace depthmon::alert
