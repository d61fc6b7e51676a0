// venues/coinbase/exchange_codec.hpp — bytes to legacy Coinbase Exchange feed messages.
//
// A pure function with a reusable parser: no I/O, no clock, no book. One pass over each object's
// fields whatever their order (the book arrays are read whatever `type` turns out to be, then
// the type decides). Prices and sizes are exact decimals from their token text; prices must be
// > 0 and sizes >= 0, so nothing a book would reject midway reaches the sync layer.
//
// Threads: one codec per thread (it owns a simdjson parser). Errors: core::status —
// malformed_json / wrong_type / missing_field / bad_number / number_overflow for bytes that are
// not a valid Exchange message, unknown_message for a `type` the Exchange feed does not send.
#pragma once

#include "venues/common/codec.hpp"
#include "venues/coinbase/exchange_messages.hpp"

namespace depthmon::venues {
template <>
core::status codec_for<coinbase::exchange_message>::parse(core::padded_view frame, coinbase::exchange_message& out) noexcept;
}  // namespace depthmon::venues

namespace depthmon::venues::coinbase {

using exchange_codec = codec_for<coinbase::exchange_message>;

}  // namespace depthmon::venues::coinbase
