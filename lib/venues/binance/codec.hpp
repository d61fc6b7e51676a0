// venues/binance/codec.hpp — bytes to Binance messages (spot and USD-M, raw or combined stream).
//
// A pure function with a reusable parser: no I/O, no clock, no book. Key order is never assumed
// (one pass over each object's fields), numbers are exact decimals from their token text.
//
// Threads: one codec per thread (it owns a simdjson parser). Errors: core::status —
// malformed_json / wrong_type / missing_field / bad_number / number_overflow for bytes that are
// not a valid Binance message, unknown_message for JSON Binance does not send.
#pragma once

#include <memory>

#include "core/frame.hpp"
#include "core/result.hpp"
#include "venues/binance/messages.hpp"

namespace depthmon::venues::binance {

class codec {
 public:
  codec();
  ~codec();
  codec(const codec&) = delete;
  codec& operator=(const codec&) = delete;

  // A websocket text frame: raw stream payload or combined-stream envelope.
  core::status parse(core::padded_view frame, message& out) noexcept;
  // A REST depth snapshot body (also accepts REST error bodies, as msg_kind::error).
  core::status parse_snapshot(core::padded_view body, message& out) noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace depthmon::venues::binance
