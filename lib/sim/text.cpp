#include "sim/text.hpp"

#include <cstdio>

#include "core/decimal.hpp"

namespace depthmon::sim {

void append_u64(std::string& out, std::uint64_t v) {
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf, "%llu", static_cast<unsigned long long>(v));
  out.append(buf, static_cast<std::size_t>(n));
}

void append_i64(std::string& out, std::int64_t v) {
  char buf[24];
  const int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  out.append(buf, static_cast<std::size_t>(n));
}

void append_fixed(std::string& out, std::int64_t ticks, unsigned scale, unsigned decimals) {
  if (ticks < 0) {
    out.push_back('-');
    ticks = -ticks;
  }
  const std::int64_t unit = core::pow10_i64(scale);
  append_i64(out, ticks / unit);
  if (decimals == 0) return;
  out.push_back('.');
  std::int64_t frac = ticks % unit;
  char buf[24];
  for (unsigned i = scale; i-- > 0;) {
    buf[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  out.append(buf, scale);
  out.append(decimals - scale, '0');
}

void append_canonical(std::string& out, std::int64_t ticks, unsigned scale) {
  char buf[48];
  out.append(buf, core::format_canonical(buf, ticks, scale));
}

std::string fixed(std::int64_t ticks, unsigned scale, unsigned decimals) {
  std::string s;
  append_fixed(s, ticks, scale, decimals);
  return s;
}

std::string canonical(std::int64_t ticks, unsigned scale) {
  std::string s;
  append_canonical(s, ticks, scale);
  return s;
}

void append_quoted(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out.append(buf);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

std::string rfc3339(core::unix_nanos t, unsigned digits) {
  return core::format_rfc3339(t, digits);
}

const jvalue* jvalue::get(std::string_view key) const noexcept {
  if (t != type::object) return nullptr;
  for (const auto& [k, v] : members)
    if (k == key) return &v;
  return nullptr;
}

std::string_view jvalue::str(std::string_view key) const noexcept {
  const jvalue* v = get(key);
  return v && v->t == type::string ? std::string_view(v->text) : std::string_view();
}

std::string_view jvalue::scalar(std::string_view key) const noexcept {
  const jvalue* v = get(key);
  return v && (v->t == type::string || v->t == type::number) ? std::string_view(v->text)
                                                              : std::string_view();
}

namespace {

class reader {
 public:
  explicit reader(std::string_view s) : s_(s) {}

  bool value(jvalue& out, int depth) {
    if (depth > 32) return false;
    ws();
    if (i_ >= s_.size()) return false;
    const char c = s_[i_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.t = jvalue::type::string;
      return string(out.text);
    }
    if (lit("true")) {
      out.t = jvalue::type::boolean;
      out.b = true;
      return true;
    }
    if (lit("false")) {
      out.t = jvalue::type::boolean;
      return true;
    }
    if (lit("null")) return true;
    return number(out);
  }
  bool at_end() {
    ws();
    return i_ == s_.size();
  }

 private:
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t'))
      ++i_;
  }
  bool lit(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool number(jvalue& out) {
    const std::size_t start = i_;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') ++i_;
      else break;
    }
    if (i_ == start) return false;
    out.t = jvalue::type::number;
    out.text = std::string(s_.substr(start, i_ - start));
    return true;
  }
  bool string(std::string& out) {
    ++i_;  // opening quote
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'u':
          // Control messages are ASCII; keep the escape's low byte, enough for our uses.
          {
            if (i_ + 4 > s_.size()) return false;
            unsigned v = 0;
            for (std::size_t k = 0; k < 4; ++k) {
              const char h = s_[i_ + k];
              const int d = h >= '0' && h <= '9'   ? h - '0'
                            : h >= 'a' && h <= 'f' ? h - 'a' + 10
                            : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                   : -1;
              if (d < 0) return false;
              v = v * 16 + static_cast<unsigned>(d);
            }
            out.push_back(static_cast<char>(v & 0xFFu));
            i_ += 4;
          }
          break;
        default: out.push_back(e);
      }
    }
    return false;
  }
  bool array(jvalue& out, int depth) {
    out.t = jvalue::type::array;
    ++i_;
    ws();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return true;
    }
    for (;;) {
      jvalue v;
      if (!value(v, depth + 1)) return false;
      out.items.push_back(std::move(v));
      ws();
      if (i_ >= s_.size()) return false;
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (s_[i_] == ']') {
        ++i_;
        return true;
      }
      return false;
    }
  }
  bool object(jvalue& out, int depth) {
    out.t = jvalue::type::object;
    ++i_;
    ws();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return true;
    }
    for (;;) {
      ws();
      if (i_ >= s_.size() || s_[i_] != '"') return false;
      std::string key;
      if (!string(key)) return false;
      ws();
      if (i_ >= s_.size() || s_[i_] != ':') return false;
      ++i_;
      jvalue v;
      if (!value(v, depth + 1)) return false;
      out.members.push_back({std::move(key), std::move(v)});
      ws();
      if (i_ >= s_.size()) return false;
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (s_[i_] == '}') {
        ++i_;
        return true;
      }
      return false;
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

std::optional<jvalue> parse_json(std::string_view text) {
  reader r(text);
  jvalue v;
  if (!r.value(v, 0) || !r.at_end()) return std::nullopt;
  return v;
}

}  // namespace depthmon::sim
