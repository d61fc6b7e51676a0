// venues/bybit/codec.hpp — bytes to Bybit v5 public messages (spot, linear, inverse, option).
//
// A pure function with a reusable parser: no I/O, no clock, no book. Key order is never assumed
// (spot and linear order the top-level keys differently; "data" may even precede "topic"), so
// every object is read in one pass over its fields and classified afterwards. Prices and sizes
// are exact decimals from their token text; a price <= 0 or a negative size is a bad number.
//
// Threads: one codec per thread (it owns a simdjson parser). Errors: core::status —
// malformed_json / wrong_type / missing_field / bad_number / number_overflow for bytes that are
// not a valid Bybit message, unknown_message for JSON Bybit does not send (or topics this
// project does not read, such as orderbook.full).
#pragma once

#include "venues/bybit/messages.hpp"
#include "venues/common/codec.hpp"

namespace depthmon::venues {
template <>
core::status codec_for<bybit::message>::parse(core::padded_view frame, bybit::message& out) noexcept;
}  // namespace depthmon::venues

namespace depthmon::venues::bybit {

using codec = codec_for<bybit::message>;

// "orderbook.50.BTCUSDT" -> depth 50, symbol "BTCUSDT" (a view into `topic`).
core::status split_orderbook_topic(std::string_view topic, std::uint32_t& depth,
                                   std::string_view& symbol) noexcept;

}  // namespace depthmon::venues::bybit
