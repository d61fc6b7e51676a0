// The parse floor of a set of JSON documents: simdjson on-demand visiting every field and
// converting every number and numeric string exactly with core::parse_decimal, which is the
// least an exact codec must do. Shared by replay_pipeline_bench and book_profile_bench.
// Threads: one instance per benchmark thread. Errors: run() returns false on a parse error.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/decimal.hpp"

namespace depthmon::bench {

class parse_floor {
 public:
  explicit parse_floor(const std::vector<std::string>& docs) {
    for (const auto& d : docs) padded_.push_back(d + std::string(simdjson::SIMDJSON_PADDING, ' '));
  }

  // One pass over every document.
  bool run() {
    for (std::size_t i = 0; i < padded_.size(); ++i)
      if (!run_one(i)) return false;
    return true;
  }
  // One document (per-message latency).
  bool run_one(std::size_t i) {
    namespace od = simdjson::ondemand;
    const std::string& p = padded_[i];
    od::document doc;
    if (parser_.iterate(p.data(), p.size() - simdjson::SIMDJSON_PADDING, p.size()).get(doc))
      return false;
    od::value root;
    return !doc.get_value().get(root) && !walk(root);
  }
  std::size_t size() const noexcept { return padded_.size(); }
  std::int64_t checksum() const noexcept { return acc_; }

 private:
  simdjson::error_code walk(simdjson::ondemand::value v) {
    namespace od = simdjson::ondemand;
    od::json_type t;
    if (auto e = v.type().get(t)) return e;
    switch (t) {
      case od::json_type::object: {
        od::object o;
        if (auto e = v.get_object().get(o)) return e;
        for (auto f : o) {
          std::string_view k;
          if (auto e = f.unescaped_key().get(k)) return e;
          od::value fv;
          if (auto e = f.value().get(fv)) return e;
          if (auto e = walk(fv)) return e;
        }
        return simdjson::SUCCESS;
      }
      case od::json_type::array: {
        od::array a;
        if (auto e = v.get_array().get(a)) return e;
        for (auto el : a) {
          od::value ev;
          if (auto e = el.get(ev)) return e;
          if (auto e = walk(ev)) return e;
        }
        return simdjson::SUCCESS;
      }
      case od::json_type::string:
      case od::json_type::number: {
        std::string_view raw = v.raw_json_token();
        while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
        if (raw.size() >= 2 && raw.front() == '"') raw = raw.substr(1, raw.size() - 2);
        if (auto d = core::parse_decimal(raw)) acc_ += d->mantissa;
        return simdjson::SUCCESS;
      }
      default:
        return simdjson::SUCCESS;
    }
  }

  simdjson::ondemand::parser parser_;
  std::vector<std::string> padded_;
  std::int64_t acc_ = 0;
};

}  // namespace depthmon::bench
