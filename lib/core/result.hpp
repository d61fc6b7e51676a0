// core/result.hpp — the project's one error type and value-or-error result for hot paths.
//
// Threads: plain values, no shared state.
// Errors: hot-path code (codecs, sync, book, depth) never throws; it returns result<T>, whose
// error is an errc plus a static detail string (no allocation). Startup code (config, CLI) may
// turn an error into a message and exit. Reading the value of an error result is a bug in the
// caller, not an error to handle: it aborts with the error's text in every build type, because
// a default-constructed value (a zero price, an empty book) would otherwise flow on as data.
#pragma once

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <utility>

namespace depthmon::core {

// Grouped by what the caller should do about them; see condition() below.
enum class errc : std::uint8_t {
  ok = 0,
  // The bytes are not what the venue sends: drop the message, count it, the book is untouched.
  malformed_json,     // not JSON, or truncated
  missing_field,      // a required field is absent
  wrong_type,         // a field has an unexpected JSON type
  bad_number,         // a price/size/id that is not a decimal number
  number_overflow,    // a number that does not fit the exact representation
  unknown_message,    // valid JSON the codec does not know
  unknown_symbol,     // a message for an instrument nobody subscribed
  // The message is fine but breaks a venue integrity rule: the affected book is invalid.
  sequence_gap,       // update ids / sequence numbers not contiguous
  checksum_mismatch,  // venue checksum differs from the local book's
  crossed_book,       // best bid >= best ask after a complete message
  stale_snapshot,     // snapshot older than the buffered updates it must align with
  precision_loss,     // a value cannot be held at the book's scale (rescale overflow)
  // Operational.
  buffer_overflow,    // too many messages buffered while waiting for a snapshot
  invalid_argument,
};

enum class condition : std::uint8_t { none, drop_message, resync_book };

constexpr condition condition_of(errc e) noexcept {
  switch (e) {
    case errc::ok: return condition::none;
    case errc::sequence_gap:
    case errc::checksum_mismatch:
    case errc::crossed_book:
    case errc::stale_snapshot:
    case errc::precision_loss:
    case errc::buffer_overflow:
      return condition::resync_book;
    default: return condition::drop_message;
  }
}

std::string_view to_string(errc e) noexcept;

struct error {
  errc code = errc::ok;
  const char* detail = "";  // static string: the field or rule involved
};

// Prints "result: value() of an error result: <errc> (<detail>)" to stderr and aborts.
// Out of line and cold so the check costs the hot paths one predicted branch.
[[noreturn, gnu::cold]] void abort_on_value_of_error(error e) noexcept;

// Minimal expected<T, error>: g++ 12 in C++20 mode has no std::expected.
template <class T>
class [[nodiscard]] result {
 public:
  result(T v) noexcept(std::is_nothrow_move_constructible_v<T>)  // NOLINT: implicit by design
      : value_(std::move(v)), ok_(true) {}
  result(error e) noexcept : err_(e), ok_(false) {}  // NOLINT
  result(errc c, const char* detail = "") noexcept : err_{c, detail}, ok_(false) {}

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  // Every accessor checks: the value of an error result does not exist (see the banner).
  const T& value() const& noexcept {
    check();
    return value_;
  }
  T& value() & noexcept {
    check();
    return value_;
  }
  T&& value() && noexcept {
    check();
    return std::move(value_);
  }
  const T& operator*() const noexcept { return value(); }
  const T* operator->() const noexcept { return &value(); }
  error err() const noexcept { return err_; }
  errc code() const noexcept { return ok_ ? errc::ok : err_.code; }

 private:
  void check() const noexcept {
    if (!ok_) [[unlikely]]
      abort_on_value_of_error(err_);
  }

  T value_{};
  error err_{};
  bool ok_;
};

template <>
class [[nodiscard]] result<void> {
 public:
  result() noexcept = default;
  result(error e) noexcept : err_(e) {}  // NOLINT
  result(errc c, const char* detail = "") noexcept : err_{c, detail} {}
  bool ok() const noexcept { return err_.code == errc::ok; }
  explicit operator bool() const noexcept { return ok(); }
  error err() const noexcept { return err_; }
  errc code() const noexcept { return err_.code; }

 private:
  error err_{};
};

using status = result<void>;

}  // namespace depthmon::core
